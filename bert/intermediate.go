package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Intermediate is the first half of the feed-forward block, HF's
// BertIntermediate: act(h Wᵀ + b), widening hidden to intermediate_size.
type Intermediate struct {
	Dense nn.Layer       // dense: *nn.Linear, weight [intermediate, hidden] and bias
	Act   *nn.Activation // hidden_act (no parameters; not listed among the children)
}

// NewIntermediate builds the block with HF's initialisation.
func NewIntermediate(c *Config, rng *autograd.RNG) *Intermediate {
	return &Intermediate{Dense: newDense(c.HiddenSize, c.IntermediateSize, c, rng), Act: mustActivation(c.HiddenAct)}
}

// Forward returns act(Dense(h)).
func (m *Intermediate) Forward(h *autograd.Tensor) *autograd.Tensor {
	return m.Act.Forward(m.Dense.Forward(h))
}

// Children names the sub-module as HF does.
func (m *Intermediate) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: m.Dense}}
}

// SetChild replaces the dense layer.
func (m *Intermediate) SetChild(name string, c nn.Module) error {
	if name == "dense" {
		return setChild(&m.Dense, name, c)
	}
	return noChild("Intermediate", name, m.Children())
}

// NamedParameters lists dense under prefix (e.g. "bert.encoder.layer.0.intermediate").
func (m *Intermediate) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining does nothing visible (no dropout here) but passes the mode on.
func (m *Intermediate) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// mustActivation is nn.ActivationByName for configs that were validated
// already (Config.Validate rejects an unknown hidden_act).
func mustActivation(name string) *nn.Activation {
	a, err := nn.ActivationByName(name)
	if err != nil {
		panic("bert: " + err.Error())
	}
	return a
}
