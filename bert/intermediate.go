package bert

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Intermediate is the first half of the feed-forward block, HF's
// BertIntermediate: act(h Wᵀ + b), widening hidden to intermediate_size.
type Intermediate struct {
	Dense nn.Layer   // dense: *nn.Linear, weight [intermediate, hidden] and bias
	Act   Activation // hidden_act (a function, as in HF: no parameters)
}

// NewIntermediate builds the block with HF's initialisation.
func NewIntermediate(c *Config, rng *autograd.RNG) *Intermediate {
	return &Intermediate{Dense: newDense(c.HiddenSize, c.IntermediateSize, c, rng), Act: mustActivation(c.HiddenAct)}
}

// Forward returns act(Dense(h)).
func (m *Intermediate) Forward(h *autograd.Tensor) *autograd.Tensor {
	return m.Act(m.Dense.Forward(h))
}

// Children names the sub-module as HF does.
func (m *Intermediate) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: m.Dense}}
}

// SetChild replaces the dense layer.
func (m *Intermediate) SetChild(name string, c nn.Module) error {
	if name == "dense" {
		return setLayer(&m.Dense, name, c)
	}
	return noChild("Intermediate", name, m.Children())
}

// NamedParameters lists dense under prefix (e.g. "bert.encoder.layer.0.intermediate").
func (m *Intermediate) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining does nothing visible (no dropout here) but passes the mode on.
func (m *Intermediate) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// Activation is an elementwise activation function, as named by config.json's
// hidden_act.
type Activation func(x *autograd.Tensor) *autograd.Tensor

// activations maps HF's ACT2FN names to their functions. "gelu" is the exact
// erf GELU (as in the original BERT and HF); "gelu_new" and
// "gelu_pytorch_tanh" are the tanh approximation.
var activations = map[string]Activation{
	"gelu":              func(x *autograd.Tensor) *autograd.Tensor { return x.GELU() },
	"gelu_python":       func(x *autograd.Tensor) *autograd.Tensor { return x.GELU() },
	"gelu_new":          func(x *autograd.Tensor) *autograd.Tensor { return x.GELUTanh() },
	"gelu_pytorch_tanh": func(x *autograd.Tensor) *autograd.Tensor { return x.GELUTanh() },
	"relu":              func(x *autograd.Tensor) *autograd.Tensor { return x.ReLU() },
	"silu":              func(x *autograd.Tensor) *autograd.Tensor { return x.SiLU() },
	"swish":             func(x *autograd.Tensor) *autograd.Tensor { return x.SiLU() },
	"tanh":              func(x *autograd.Tensor) *autograd.Tensor { return x.Tanh() },
	"sigmoid":           func(x *autograd.Tensor) *autograd.Tensor { return x.Sigmoid() },
}

// ActivationByName returns the activation config.json calls name, or an error
// listing the supported names.
func ActivationByName(name string) (Activation, error) {
	if f, ok := activations[name]; ok {
		return f, nil
	}
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown activation %q (supported: %s)", name, strings.Join(names, ", "))
}

// mustActivation is ActivationByName for configs that were validated already.
func mustActivation(name string) Activation {
	f, err := ActivationByName(name)
	if err != nil {
		panic("bert: " + err.Error())
	}
	return f
}
