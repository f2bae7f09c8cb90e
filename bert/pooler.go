package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Pooler summarises a sequence by its first token ([CLS]), HF's BertPooler:
//
//	pooled = tanh(h[:, 0] Wᵀ + b)
//
// The next-sentence and sequence-classification heads read the pooled output.
type Pooler struct {
	Dense nn.Layer // dense: *nn.Linear, weight [hidden, hidden] and bias
}

// NewPooler builds the pooler with HF's initialisation.
func NewPooler(c *Config, rng *autograd.RNG) *Pooler {
	return &Pooler{Dense: newDense(c.HiddenSize, c.HiddenSize, c, rng)}
}

// Forward returns tanh(Dense(h[:, 0])) [batch, hidden] for h [batch, T, hidden].
func (p *Pooler) Forward(h *autograd.Tensor) *autograd.Tensor {
	return p.Dense.Forward(h.Select(1, 0)).Tanh()
}

// Children names the sub-module as HF does.
func (p *Pooler) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: p.Dense}}
}

// SetChild replaces the dense layer.
func (p *Pooler) SetChild(name string, m nn.Module) error {
	if name == "dense" {
		return setChild(&p.Dense, name, m)
	}
	return noChild("Pooler", name, p.Children())
}

// NamedParameters lists dense under prefix (e.g. "bert.pooler").
func (p *Pooler) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, p.Children())
}

// SetTraining passes the mode on (the pooler has no dropout).
func (p *Pooler) SetTraining(train bool) { nn.SetChildrenTraining(p.Children(), train) }
