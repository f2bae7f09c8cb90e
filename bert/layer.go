package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Layer is one transformer encoder layer, HF's BertLayer: attention with its
// residual LayerNorm, then the feed-forward block with its own (post-LN).
//
//	a   = Attention(h)                    = LayerNorm(SelfAttention(h) Wₒᵀ + bₒ + h)
//	out = Output(Intermediate(a), a)      = LayerNorm(act(a W₁ᵀ + b₁) W₂ᵀ + b₂ + a)
type Layer struct {
	Attention    *Attention    // attention.self.*, attention.output.*
	Intermediate *Intermediate // intermediate.dense.*
	Output       *Output       // output.dense.*, output.LayerNorm.*
}

// NewLayer builds one layer with HF's initialisation.
func NewLayer(c *Config, rng *autograd.RNG) *Layer {
	return &Layer{Attention: NewAttention(c, rng), Intermediate: NewIntermediate(c, rng), Output: NewOutput(c, rng)}
}

// Forward runs the layer on h [batch, T, hidden] with the additive mask (see
// SelfAttention.Forward) and returns the new hidden state and the attention
// probabilities.
func (l *Layer) Forward(h, mask *autograd.Tensor, prefix *KVPrefix) (out, probs *autograd.Tensor) {
	return l.forward(h, mask, prefix, nil)
}

// forward is Forward with the encoder's sub-layer hook (nil for none), which
// sees and may replace the attention and feed-forward outputs before each
// residual add.
func (l *Layer) forward(h, mask *autograd.Tensor, prefix *KVPrefix, hook func(Sublayer, *autograd.Tensor) *autograd.Tensor) (out, probs *autograd.Tensor) {
	context, probs := l.Attention.Self.Forward(h, mask, prefix)
	a := l.Attention.Output.forward(context, h, sublayerFunc(hook, SublayerAttention))
	return l.Output.forward(l.Intermediate.Forward(a), a, sublayerFunc(hook, SublayerMLP)), probs
}

// sublayerFunc binds a layer's hook to one of its blocks (nil stays nil).
func sublayerFunc(hook func(Sublayer, *autograd.Tensor) *autograd.Tensor, kind Sublayer) func(*autograd.Tensor) *autograd.Tensor {
	if hook == nil {
		return nil
	}
	return func(out *autograd.Tensor) *autograd.Tensor { return hook(kind, out) }
}

// Children names the sub-modules as HF does.
func (l *Layer) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "attention", Module: l.Attention}, {Name: "intermediate", Module: l.Intermediate}, {Name: "output", Module: l.Output}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (l *Layer) SetChild(name string, m nn.Module) error {
	switch name {
	case "attention":
		if a, ok := m.(*Attention); ok {
			l.Attention = a
			return nil
		}
	case "intermediate":
		if i, ok := m.(*Intermediate); ok {
			l.Intermediate = i
			return nil
		}
	case "output":
		if o, ok := m.(*Output); ok {
			l.Output = o
			return nil
		}
	}
	return noChild("Layer", name+" of that type", l.Children())
}

// NamedParameters lists the layer's parameters with HF names under prefix
// (e.g. "bert.encoder.layer.0").
func (l *Layer) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, l.Children())
}

// SetTraining switches every dropout of the layer on or off.
func (l *Layer) SetTraining(train bool) { nn.SetChildrenTraining(l.Children(), train) }
