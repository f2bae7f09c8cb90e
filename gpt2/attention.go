package gpt2

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// Attention is GPT-2's causal multi-head self-attention, HF's GPT2Attention:
//
//	q, k, v = split(ln_1(h)·W_attn + b_attn)        one fused Conv1D, [B, T, 3·E], sliced q | k | v
//	k, v    = past keys/values ++ k, v               when a cache is given
//	context = core(q, k, v)                         nn.ScaledDotProductAttention: /sqrt(head_dim), causal, padding
//	out     = Dropout(context·W_proj + b_proj)      resid_pdrop
//
// The weights are in HF's Conv1D layout [in, out]. Query row i of T new
// tokens after P cached ones sits at position P+i and sees keys 0..P+i.
type Attention struct {
	CAttn        nn.Layer    // c_attn: *nn.Conv1D, weight [n_embd, 3·n_embd] (or a PEFT wrapper)
	CProj        nn.Layer    // c_proj: *nn.Conv1D, weight [n_embd, n_embd]
	AttnDropout  *nn.Dropout // attn_dropout (attn_pdrop), on the probabilities
	ResidDropout *nn.Dropout // resid_dropout (resid_pdrop), on the output

	numHeads, embd int
	divisors       []float32
}

// NewAttention builds layer layerIdx's attention with HF's initialisation.
func NewAttention(c *Config, layerIdx int, rng *autograd.RNG) *Attention {
	a := &Attention{
		CAttn:        newConv1D(c.NEmbd, 3*c.NEmbd, c.InitRange, rng),
		CProj:        newConv1D(c.NEmbd, c.NEmbd, residualStd(c), rng),
		AttnDropout:  nn.NewDropout(float32(c.AttnPdrop), rng),
		ResidDropout: nn.NewDropout(float32(c.ResidPdrop), rng),
		numHeads:     c.NHead,
		embd:         c.NEmbd,
	}
	// HF divides by the float32 value of sqrt(head_dim), then by layer_idx+1.
	// reorder_and_upcast_attn multiplies by the combined factor inside the
	// product instead; in float32 that is the same up to rounding.
	if c.ScaleAttnWeights {
		a.divisors = append(a.divisors, float32(math.Sqrt(float64(c.HeadDim()))))
	}
	if c.ScaleAttnByInverseLayer {
		a.divisors = append(a.divisors, float32(layerIdx+1))
	}
	return a
}

// Forward attends h [batch, T, n_embd] (the output of ln_1) causally to
// itself and to past, the layer's cached keys and values (nil for none).
// mask is the additive padding mask over all past+T keys (nn.PaddingMask;
// nil: none). It returns the output [batch, T, n_embd], the probabilities
// [batch, heads, T, past+T] and the layer's keys and values including the
// new ones (HF's present), [batch, heads, past+T, head_dim] each.
func (a *Attention) Forward(h, mask *autograd.Tensor, past *LayerCache) (out, probs *autograd.Tensor, present *LayerCache) {
	s := h.Shape()
	if len(s) != 3 || s[2] != a.embd {
		panic(fmt.Sprintf("gpt2: attention input has shape %v, want [batch, seq, %d]", s, a.embd))
	}
	qkv := a.CAttn.Forward(h).Split(a.embd, 2)
	q := nn.SplitHeads(qkv[0], a.numHeads)
	k := nn.SplitHeads(qkv[1], a.numHeads)
	v := nn.SplitHeads(qkv[2], a.numHeads)
	present = &LayerCache{Key: k, Value: v}
	if past != nil {
		present = past.extend(k, v)
		k, v = present.Key, present.Value
	}
	context, probs := nn.ScaledDotProductAttention(q, k, v, nn.AttentionOptions{
		Divisors: a.divisors,
		Causal:   true,
		Mask:     mask,
		Dropout:  a.AttnDropout,
	})
	return a.ResidDropout.Forward(a.CProj.Forward(context)), probs, present
}

// Children names the sub-modules as HF does.
func (a *Attention) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "c_attn", Module: a.CAttn},
		{Name: "c_proj", Module: a.CProj},
		{Name: "attn_dropout", Module: a.AttnDropout},
		{Name: "resid_dropout", Module: a.ResidDropout},
	}
}

// SetChild replaces a sub-module by name (how PEFT wraps c_attn).
func (a *Attention) SetChild(name string, m nn.Module) error {
	switch name {
	case "c_attn":
		return setChild(&a.CAttn, name, m)
	case "c_proj":
		return setChild(&a.CProj, name, m)
	case "attn_dropout":
		return setChild(&a.AttnDropout, name, m)
	case "resid_dropout":
		return setChild(&a.ResidDropout, name, m)
	}
	return noChild("Attention", name, a.Children())
}

// NamedParameters lists c_attn and c_proj under prefix (e.g. "transformer.h.0.attn").
func (a *Attention) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, a.Children())
}

// SetTraining switches both dropouts on or off.
func (a *Attention) SetTraining(train bool) { nn.SetChildrenTraining(a.Children(), train) }
