package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Attention is the attention half of a Layer, HF's BertAttention: the
// self-attention ("self") followed by its output projection and residual
// LayerNorm ("output"). It exists as its own module so that names and paths
// match HF: "encoder.layer.0.attention.self.query", "...attention.output.dense".
type Attention struct {
	Self   *SelfAttention   // attention.self
	Output *AttentionOutput // attention.output
}

// NewAttention builds the block with HF's initialisation.
func NewAttention(c *Config, rng *autograd.RNG) *Attention {
	return &Attention{Self: NewSelfAttention(c, rng), Output: NewAttentionOutput(c, rng)}
}

// Forward returns AttentionOutput(SelfAttention(h), h) and the attention
// probabilities (see SelfAttention.Forward for mask and prefix).
func (a *Attention) Forward(h, mask *autograd.Tensor, prefix *KVPrefix) (out, probs *autograd.Tensor) {
	context, probs := a.Self.Forward(h, mask, prefix)
	return a.Output.Forward(context, h), probs
}

// Children names the sub-modules as HF does.
func (a *Attention) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "self", Module: a.Self}, {Name: "output", Module: a.Output}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (a *Attention) SetChild(name string, m nn.Module) error {
	switch name {
	case "self":
		if s, ok := m.(*SelfAttention); ok {
			a.Self = s
			return nil
		}
	case "output":
		if o, ok := m.(*AttentionOutput); ok {
			a.Output = o
			return nil
		}
	}
	return noChild("Attention", name+" of that type", a.Children())
}

// NamedParameters lists self and output under prefix (e.g. "bert.encoder.layer.0.attention").
func (a *Attention) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, a.Children())
}

// SetTraining switches every dropout on or off.
func (a *Attention) SetTraining(train bool) { nn.SetChildrenTraining(a.Children(), train) }
