package gpt2

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Block is one GPT-2 transformer block, HF's GPT2Block, pre-LN:
//
//	h = h + Attention(ln_1(h))
//	h = h + MLP(ln_2(h))
//
// (LayerNorm before each sub-block, the residual stream itself never
// normalised; post-LN BERT does the opposite).
type Block struct {
	Ln1  *nn.LayerNorm // ln_1, eps layer_norm_epsilon
	Attn *Attention    // attn
	Ln2  *nn.LayerNorm // ln_2
	MLP  *MLP          // mlp
}

// NewBlock builds block layerIdx with HF's initialisation.
func NewBlock(c *Config, layerIdx int, rng *autograd.RNG) *Block {
	return &Block{
		Ln1:  nn.NewLayerNorm(c.NEmbd, float32(c.LayerNormEps)),
		Attn: NewAttention(c, layerIdx, rng),
		Ln2:  nn.NewLayerNorm(c.NEmbd, float32(c.LayerNormEps)),
		MLP:  NewMLP(c, rng),
	}
}

// Forward runs the block on the residual stream h [batch, T, n_embd] with the
// additive padding mask and the layer's cache (both may be nil; see
// Attention.Forward). hook, when not nil, sees (and may replace) the
// attention and MLP outputs before each is added to the stream. It returns
// the new stream, the attention probabilities and the layer's keys and values.
func (b *Block) Forward(h, mask *autograd.Tensor, past *LayerCache, hook func(Sublayer, *autograd.Tensor) *autograd.Tensor) (out, probs *autograd.Tensor, present *LayerCache) {
	attn, probs, present := b.Attn.Forward(b.Ln1.Forward(h), mask, past)
	if hook != nil {
		attn = hook(SublayerAttention, attn)
	}
	h = attn.Add(h)
	mlp := b.MLP.Forward(b.Ln2.Forward(h))
	if hook != nil {
		mlp = hook(SublayerMLP, mlp)
	}
	return h.Add(mlp), probs, present
}

// Children names the sub-modules as HF does.
func (b *Block) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "ln_1", Module: b.Ln1}, {Name: "attn", Module: b.Attn}, {Name: "ln_2", Module: b.Ln2}, {Name: "mlp", Module: b.MLP}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (b *Block) SetChild(name string, m nn.Module) error {
	switch name {
	case "ln_1":
		return setChild(&b.Ln1, name, m)
	case "ln_2":
		return setChild(&b.Ln2, name, m)
	case "attn":
		if a, ok := m.(*Attention); ok {
			b.Attn = a
			return nil
		}
	case "mlp":
		if p, ok := m.(*MLP); ok {
			b.MLP = p
			return nil
		}
	}
	return noChild("Block", name+" of that type", b.Children())
}

// NamedParameters lists the block's parameters under prefix (e.g. "transformer.h.0").
func (b *Block) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, b.Children())
}

// SetTraining switches every dropout of the block on or off.
func (b *Block) SetTraining(train bool) { nn.SetChildrenTraining(b.Children(), train) }
