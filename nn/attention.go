package nn

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// The attention core that BERT's self-attention and GPT-2's attention share:
// both project the hidden states to queries, keys and values their own way
// (three Linear layers, one fused Conv1D), then run exactly this:
//
//	scores  = q·kᵀ / d₁ / d₂ ...                 [batch, heads, queries, keys]
//	scores  = where(causal allows, scores, min)  decoders only
//	scores  = scores + mask                      additive padding mask
//	probs   = Dropout(softmax(scores over keys))
//	context = probs·v, heads merged back         [batch, queries, heads·head_dim]
//
// with min = float32's most negative value. The order matters for rows that
// see nothing but padding (left padding in a decoder): see
// ScaledDotProductAttention.

// MaskMin is the value masked attention scores get: float32's most negative
// finite value (torch.finfo(torch.float32).min), which is what HF adds for
// padding and puts where the causal mask forbids a key.
const MaskMin = -math.MaxFloat32

// AttentionOptions says how ScaledDotProductAttention scales and masks.
type AttentionOptions struct {
	// Divisors divide the scores q·kᵀ one after the other, as HF does:
	// {sqrt(head_dim)} for BERT and GPT-2 (the float32 value of the square
	// root), {sqrt(head_dim), layer_idx+1} for GPT-2 with
	// scale_attn_by_inverse_layer_idx; none for GPT-2 with
	// scale_attn_weights false.
	Divisors []float32
	// Causal lets query i see only keys up to its own position. With more
	// keys than queries (cached keys from earlier steps come first), query i
	// is at position keys−queries+i, as in HF's
	// bias[:, :, keys-queries:keys, :keys]. Forbidden keys get MaskMin by
	// replacement (torch.where), before Mask is added.
	Causal bool
	// Mask is an additive mask broadcastable to [batch, heads, queries, keys]
	// (PaddingMask builds HF's [batch, 1, 1, keys] one); nil adds nothing.
	Mask *autograd.Tensor
	// Dropout is applied to the probabilities (attention dropout); nil for none.
	Dropout *Dropout
}

// ScaledDotProductAttention attends queries q [batch, heads, queries, head_dim]
// to keys k and values v [batch, heads, keys, head_dim] and returns the
// context with the heads merged, [batch, queries, heads·head_dim], and the
// attention probabilities [batch, heads, queries, keys] (before dropout).
//
// The causal mask replaces scores and the padding mask is then added, exactly
// as HF's eager BERT and GPT-2 attention do, so the corner cases agree too: a
// padded key the causal mask allows gets score + min (= min after rounding), a
// padded key the causal mask already removed gets min + min = -Inf. A query
// row that sees only padding (a left-padding position) is left with no finite
// score and attends uniformly to every key that holds min, as in
// transformers 4.44.
func ScaledDotProductAttention(q, k, v *autograd.Tensor, o AttentionOptions) (context, probs *autograd.Tensor) {
	qs, ks, vs := q.Shape(), k.Shape(), v.Shape()
	if len(qs) != 4 || len(ks) != 4 || !autograd.SameShape(ks, vs) || qs[0] != ks[0] || qs[1] != ks[1] || qs[3] != ks[3] {
		panic(fmt.Sprintf("nn.ScaledDotProductAttention: q %v, k %v, v %v; want q [batch, heads, queries, head_dim] and k, v [batch, heads, keys, head_dim]", qs, ks, vs))
	}
	var scores *autograd.Tensor
	if len(o.Divisors) == 0 {
		scores = q.MatMul(k.Transpose(-1, -2))
	} else {
		// The first division rides on the product (bit for bit the same).
		scores = q.MatMulDivScalar(k.Transpose(-1, -2), o.Divisors[0])
	}
	for _, d := range o.Divisors[min(1, len(o.Divisors)):] {
		scores = scores.DivScalar(d)
	}
	if o.Causal {
		scores = autograd.Where(CausalMask(qs[2], ks[2]), scores, autograd.Scalar(MaskMin))
	}
	if o.Mask != nil {
		scores = scores.Add(o.Mask)
	}
	probs = scores.Softmax(-1)
	attended := probs
	if o.Dropout != nil {
		attended = o.Dropout.Forward(probs)
	}
	// The product is written in merged-heads order, so MergeHeads is a view.
	return MergeHeads(attended.MatMulHeads(v)), probs
}

// CausalMask is the [queries, keys] 0/1 matrix of which keys each query may
// see: query i, at position keys−queries+i, sees keys 0..keys−queries+i.
func CausalMask(queries, keys int) *autograd.Tensor {
	if queries > keys {
		panic(fmt.Sprintf("nn.CausalMask: %d queries but only %d keys (the queries' own keys are among them)", queries, keys))
	}
	data := make([]float32, queries*keys)
	for i := 0; i < queries; i++ {
		for j := 0; j <= keys-queries+i; j++ {
			data[i*keys+j] = 1
		}
	}
	return autograd.New(data, queries, keys)
}

// PaddingMask turns a 0/1 attention mask (1 = attend) of shape [batch, seq]
// into HF's extended additive mask [batch, 1, 1, prefixLen+seq]: (1 − mask) ·
// MaskMin, with prefixLen leading zeros for keys every query may see (BERT's
// prefix-tuning keys). It broadcasts over heads and queries. It returns nil
// when mask is nil: nothing is masked.
func PaddingMask(mask []int, batch, seq, prefixLen int) *autograd.Tensor {
	if mask == nil {
		return nil
	}
	if len(mask) != batch*seq {
		panic(fmt.Sprintf("nn.PaddingMask: %d mask values for batch %d × seq %d", len(mask), batch, seq))
	}
	keys := prefixLen + seq
	data := make([]float32, batch*keys)
	for b := 0; b < batch; b++ {
		for t := 0; t < seq; t++ {
			data[b*keys+prefixLen+t] = float32(1-mask[b*seq+t]) * MaskMin
		}
	}
	return autograd.New(data, batch, 1, 1, keys)
}

// SplitHeads reshapes x [batch, T, heads·head_dim] to [batch, heads, T,
// head_dim]: head j holds features j·head_dim … (j+1)·head_dim−1.
func SplitHeads(x *autograd.Tensor, heads int) *autograd.Tensor {
	s := x.Shape()
	if len(s) != 3 || heads <= 0 || s[2]%heads != 0 {
		panic(fmt.Sprintf("nn.SplitHeads: input of shape %v cannot be split into %d heads (want [batch, T, heads·head_dim])", s, heads))
	}
	return x.Reshape(s[0], s[1], heads, s[2]/heads).Permute(0, 2, 1, 3)
}

// MergeHeads is SplitHeads backwards: [batch, heads, T, head_dim] to a
// contiguous [batch, T, heads·head_dim].
func MergeHeads(x *autograd.Tensor) *autograd.Tensor {
	s := x.Shape()
	if len(s) != 4 {
		panic(fmt.Sprintf("nn.MergeHeads: input of shape %v, want [batch, heads, T, head_dim]", s))
	}
	return x.Permute(0, 2, 1, 3).Contiguous().Reshape(s[0], s[2], s[1]*s[3])
}
