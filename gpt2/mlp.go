package gpt2

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// MLP is GPT-2's feed-forward block, HF's GPT2MLP:
//
//	out = Dropout(act(h·W_fc + b_fc)·W_proj + b_proj)
//
// with act = activation_function (gelu_new, the tanh GELU, for GPT-2), the
// inner width n_inner (4·n_embd by default) and both weights in the Conv1D
// layout [in, out].
type MLP struct {
	CFc     nn.Layer       // c_fc: *nn.Conv1D, weight [n_embd, n_inner]
	CProj   nn.Layer       // c_proj: *nn.Conv1D, weight [n_inner, n_embd]
	Act     *nn.Activation // act (no parameters)
	Dropout *nn.Dropout    // dropout (resid_pdrop)
}

// NewMLP builds the block with HF's initialisation.
func NewMLP(c *Config, rng *autograd.RNG) *MLP {
	act, err := nn.ActivationByName(c.Activation)
	if err != nil {
		panic("gpt2: " + err.Error()) // NewModel validated the config
	}
	return &MLP{
		CFc:     newConv1D(c.NEmbd, c.InnerDim(), c.InitRange, rng),
		CProj:   newConv1D(c.InnerDim(), c.NEmbd, residualStd(c), rng),
		Act:     act,
		Dropout: nn.NewDropout(float32(c.ResidPdrop), rng),
	}
}

// Forward returns Dropout(CProj(act(CFc(h)))).
func (m *MLP) Forward(h *autograd.Tensor) *autograd.Tensor {
	return m.Dropout.Forward(m.CProj.Forward(m.Act.Forward(m.CFc.Forward(h))))
}

// Children names the sub-modules as HF does.
func (m *MLP) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "c_fc", Module: m.CFc},
		{Name: "c_proj", Module: m.CProj},
		{Name: "act", Module: m.Act},
		{Name: "dropout", Module: m.Dropout},
	}
}

// SetChild replaces a sub-module by name.
func (m *MLP) SetChild(name string, c nn.Module) error {
	switch name {
	case "c_fc":
		return setChild(&m.CFc, name, c)
	case "c_proj":
		return setChild(&m.CProj, name, c)
	case "act":
		if a, ok := c.(*nn.Activation); ok {
			m.Act = a
			return nil
		}
		return noChild("MLP", name+" of that type", m.Children())
	case "dropout":
		return setChild(&m.Dropout, name, c)
	}
	return noChild("MLP", name, m.Children())
}

// NamedParameters lists c_fc and c_proj under prefix (e.g. "transformer.h.0.mlp").
func (m *MLP) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches dropout on or off.
func (m *MLP) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }
