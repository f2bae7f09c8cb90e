package nn

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// Activation is a parameter-free Layer applying an elementwise function, so
// activations can sit in a Sequential: NewReLU(), NewGELU(), NewTanh(), ...
type Activation struct {
	name string
	fn   func(*autograd.Tensor) *autograd.Tensor
}

// NewReLU is max(x, 0) (torch.nn.ReLU).
func NewReLU() *Activation { return &Activation{"ReLU", (*autograd.Tensor).ReLU} }

// NewGELU is the exact erf GELU (torch.nn.GELU(), HF "gelu").
func NewGELU() *Activation { return &Activation{"GELU", (*autograd.Tensor).GELU} }

// NewGELUTanh is the tanh-approximated GELU (torch.nn.GELU(approximate="tanh"), HF "gelu_new").
func NewGELUTanh() *Activation { return &Activation{"GELUTanh", (*autograd.Tensor).GELUTanh} }

// NewTanh is tanh (torch.nn.Tanh).
func NewTanh() *Activation { return &Activation{"Tanh", (*autograd.Tensor).Tanh} }

// NewSigmoid is the logistic function (torch.nn.Sigmoid).
func NewSigmoid() *Activation { return &Activation{"Sigmoid", (*autograd.Tensor).Sigmoid} }

// NewSiLU is x·σ(x) (torch.nn.SiLU).
func NewSiLU() *Activation { return &Activation{"SiLU", (*autograd.Tensor).SiLU} }

// Forward applies the function.
func (a *Activation) Forward(x *autograd.Tensor) *autograd.Tensor { return a.fn(x) }

// NamedParameters returns nothing: activations have no parameters.
func (a *Activation) NamedParameters(string) []NamedParameter { return nil }

// SetTraining does nothing.
func (a *Activation) SetTraining(bool) {}

// ReprName is the torch class name ("ReLU", "GELU", ...).
func (a *Activation) ReprName() string { return a.name }

// String prints "ReLU()" etc., as torch does.
func (a *Activation) String() string { return Repr(a) }

// hfActivations are HF's ACT2FN names (config.json's hidden_act or
// activation_function) with the layers that compute them: "gelu" is the
// exact erf GELU, "gelu_new" and "gelu_pytorch_tanh" the tanh approximation
// GPT-2 uses.
var hfActivations = map[string]func() *Activation{
	"gelu": NewGELU, "gelu_python": NewGELU, "gelu_new": NewGELUTanh, "gelu_pytorch_tanh": NewGELUTanh,
	"relu": NewReLU, "silu": NewSiLU, "swish": NewSiLU, "tanh": NewTanh, "sigmoid": NewSigmoid,
}

// ActivationByName returns the activation HF's config.json calls name
// ("gelu_new", "gelu", "relu", ...), or an error listing the supported names.
func ActivationByName(name string) (*Activation, error) {
	if f, ok := hfActivations[name]; ok {
		return f(), nil
	}
	names := make([]string, 0, len(hfActivations))
	for n := range hfActivations {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown activation %q (supported: %s)", name, strings.Join(names, ", "))
}
