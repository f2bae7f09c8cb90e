package bert

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// SelfAttention is multi-head scaled dot-product self-attention, HF's
// BertSelfAttention (the core after the projections is
// nn.ScaledDotProductAttention, shared with GPT-2):
//
//	Q, K, V = h Wqᵀ + bq, h Wkᵀ + bk, h Wvᵀ + bv       split into heads
//	scores  = Q Kᵀ / sqrt(head_dim) + mask               [batch, heads, T, T]
//	probs   = Dropout(softmax(scores over keys))
//	context = probs V                                    heads joined back to [batch, T, hidden]
//
// The mask is additive: 0 on keys that may be attended to and float32's most
// negative value on padding keys, so after the softmax they get exactly zero
// weight. Padded query positions are computed normally.
type SelfAttention struct {
	Query   nn.Layer    // query: *nn.Linear, weight [hidden, hidden] and bias (or a PEFT wrapper)
	Key     nn.Layer    // key: *nn.Linear
	Value   nn.Layer    // value: *nn.Linear
	Dropout *nn.Dropout // attention_probs_dropout_prob, on the probabilities

	numHeads, headDim int
}

// NewSelfAttention builds the block with HF's initialisation.
func NewSelfAttention(c *Config, rng *autograd.RNG) *SelfAttention {
	return &SelfAttention{
		Query:    newDense(c.HiddenSize, c.HiddenSize, c, rng),
		Key:      newDense(c.HiddenSize, c.HiddenSize, c, rng),
		Value:    newDense(c.HiddenSize, c.HiddenSize, c, rng),
		Dropout:  nn.NewDropout(float32(c.AttentionProbsDropoutProb), rng),
		numHeads: c.NumAttentionHeads,
		headDim:  c.HeadDim(),
	}
}

// Forward attends h [batch, T, hidden] to itself. mask is the additive mask
// [batch, 1, 1, keys] (nil: attend everywhere). prefix, when not nil, holds
// extra keys and values (prefix tuning) placed before the sequence's own; mask
// must then cover prefix + T keys. It returns the context [batch, T, hidden] and
// the attention probabilities [batch, heads, T, keys].
func (a *SelfAttention) Forward(h, mask *autograd.Tensor, prefix *KVPrefix) (context, probs *autograd.Tensor) {
	shape := h.Shape()
	if len(shape) != 3 || shape[2] != a.numHeads*a.headDim {
		panic(fmt.Sprintf("bert: self-attention input has shape %v, want [batch, seq, %d]", shape, a.numHeads*a.headDim))
	}
	q := nn.SplitHeads(a.Query.Forward(h), a.numHeads)
	k := nn.SplitHeads(a.Key.Forward(h), a.numHeads)
	v := nn.SplitHeads(a.Value.Forward(h), a.numHeads)
	if prefix != nil {
		k, v = prefix.prepend(k, v, shape[0])
	}
	return nn.ScaledDotProductAttention(q, k, v, nn.AttentionOptions{
		Divisors: []float32{float32(math.Sqrt(float64(a.headDim)))},
		Mask:     mask,
		Dropout:  a.Dropout,
	})
}

// Children names the sub-modules as HF does.
func (a *SelfAttention) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "query", Module: a.Query},
		{Name: "key", Module: a.Key},
		{Name: "value", Module: a.Value},
		{Name: "dropout", Module: a.Dropout},
	}
}

// SetChild replaces a sub-module by name (how PEFT wraps query and value).
func (a *SelfAttention) SetChild(name string, m nn.Module) error {
	switch name {
	case "query":
		return setChild(&a.Query, name, m)
	case "key":
		return setChild(&a.Key, name, m)
	case "value":
		return setChild(&a.Value, name, m)
	case "dropout":
		return setChild(&a.Dropout, name, m)
	}
	return noChild("SelfAttention", name, a.Children())
}

// NamedParameters lists query, key and value under prefix (e.g.
// "bert.encoder.layer.0.attention.self").
func (a *SelfAttention) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, a.Children())
}

// SetTraining switches the probability dropout on or off.
func (a *SelfAttention) SetTraining(train bool) { nn.SetChildrenTraining(a.Children(), train) }

// ExtendedAttentionMask is the additive mask the encoder gives every layer
// for in, HF's get_extended_attention_mask: [batch, 1, 1, seq] with 0 where
// AttentionMask is 1 and float32's most negative value where it is 0 (all
// zeros when in has no mask). It broadcasts over heads and queries.
func ExtendedAttentionMask(in *Inputs) *autograd.Tensor {
	if in.AttentionMask == nil {
		return autograd.Zeros(in.Batch, 1, 1, in.SeqLen)
	}
	return additiveMask(in.AttentionMask, in.Batch, in.SeqLen, 0)
}

// additiveMask is HF's extended additive mask for a 0/1 attention mask
// [batch, T] with prefixLen leading zeros for prefix-tuning keys (every query
// may see the prefix): nn.PaddingMask. It is nil when mask is nil.
func additiveMask(mask []int, batch, seq, prefixLen int) *autograd.Tensor {
	return nn.PaddingMask(mask, batch, seq, prefixLen)
}
