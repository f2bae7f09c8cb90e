package multimodal

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// CrossAttention is one cross-attention block (the decoder's second
// sub-layer in Vaswani et al. 2017, the fusion layers of LXMERT and ALBEF):
// the queries come from one sequence x (text tokens), the keys and values
// from another, ctx (image or audio tokens), so each text token reads the
// media tokens it needs:
//
//	a   = MultiHead(Q = x·W_Q, K = ctx·W_K, V = ctx·W_V)·W_O
//	x′  = LayerNorm(x + a)
//	out = LayerNorm(x′ + W₂·GELU(W₁·x′))
//
// post-LayerNorm, as BERT's blocks. The attention itself is
// nn.ScaledDotProductAttention, the same core as BERT's self-attention; only
// where the keys come from differs.
// Names: "query", "key", "value", "output", "attention_norm",
// "intermediate", "ffn_output", "ffn_norm".
type CrossAttention struct {
	Query, Key, Value, Output *nn.Linear
	AttentionNorm             *nn.LayerNorm
	Intermediate, FFNOutput   *nn.Linear
	FFNNorm                   *nn.LayerNorm
	Heads                     int
}

// NewCrossAttention builds a block of the given hidden size, heads (which
// must divide hidden) and feed-forward size.
func NewCrossAttention(hidden, heads, intermediate int, eps float32, rng *autograd.RNG) (*CrossAttention, error) {
	if heads <= 0 || hidden%heads != 0 {
		return nil, fmt.Errorf("multimodal.NewCrossAttention: %d heads do not divide hidden size %d", heads, hidden)
	}
	return &CrossAttention{
		Query: nn.NewLinear(hidden, hidden, true, rng), Key: nn.NewLinear(hidden, hidden, true, rng),
		Value: nn.NewLinear(hidden, hidden, true, rng), Output: nn.NewLinear(hidden, hidden, true, rng),
		AttentionNorm: nn.NewLayerNorm(hidden, eps),
		Intermediate:  nn.NewLinear(hidden, intermediate, true, rng), FFNOutput: nn.NewLinear(intermediate, hidden, true, rng),
		FFNNorm: nn.NewLayerNorm(hidden, eps),
		Heads:   heads,
	}, nil
}

// Forward lets x [batch, T, hidden] attend to ctx [batch, S, hidden] (every
// ctx token is visible) and returns the new states [batch, T, hidden] and
// the attention probabilities [batch, heads, T, S].
func (c *CrossAttention) Forward(x, ctx *autograd.Tensor) (out, probs *autograd.Tensor) {
	xs, cs := x.Shape(), ctx.Shape()
	if len(xs) != 3 || len(cs) != 3 || xs[0] != cs[0] || xs[2] != cs[2] {
		panic(fmt.Sprintf("multimodal.CrossAttention: x %v and ctx %v, want [batch, T, hidden] and [batch, S, hidden]", xs, cs))
	}
	q := nn.SplitHeads(c.Query.Forward(x), c.Heads)
	k := nn.SplitHeads(c.Key.Forward(ctx), c.Heads)
	v := nn.SplitHeads(c.Value.Forward(ctx), c.Heads)
	scale := float32(math.Sqrt(float64(xs[2] / c.Heads)))
	a, probs := nn.ScaledDotProductAttention(q, k, v, nn.AttentionOptions{Divisors: []float32{scale}})
	h := c.AttentionNorm.Forward(x.Add(c.Output.Forward(a)))
	ff := c.FFNOutput.Forward(c.Intermediate.Forward(h).GELU())
	return c.FFNNorm.Forward(h.Add(ff)), probs
}

// Children lists the sub-layers.
func (c *CrossAttention) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "query", Module: c.Query}, {Name: "key", Module: c.Key}, {Name: "value", Module: c.Value},
		{Name: "output", Module: c.Output}, {Name: "attention_norm", Module: c.AttentionNorm},
		{Name: "intermediate", Module: c.Intermediate}, {Name: "ffn_output", Module: c.FFNOutput},
		{Name: "ffn_norm", Module: c.FFNNorm},
	}
}

// SetChild replaces one of the Linear layers (e.g. with a LoRA wrapper).
func (c *CrossAttention) SetChild(name string, m nn.Module) error {
	l, ok := m.(*nn.Linear)
	if !ok {
		return fmt.Errorf("multimodal.CrossAttention: child %q must be *nn.Linear, got %T", name, m)
	}
	switch name {
	case "query":
		c.Query = l
	case "key":
		c.Key = l
	case "value":
		c.Value = l
	case "output":
		c.Output = l
	case "intermediate":
		c.Intermediate = l
	case "ffn_output":
		c.FFNOutput = l
	default:
		return fmt.Errorf("multimodal.CrossAttention: no Linear child %q", name)
	}
	return nil
}

// NamedParameters lists the sub-layers' parameters.
func (c *CrossAttention) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, c.Children())
}

// SetTraining does nothing: the block has no dropout.
func (c *CrossAttention) SetTraining(bool) {}
