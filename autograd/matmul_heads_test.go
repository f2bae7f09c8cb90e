package autograd

import (
	"math"
	"testing"
)

// sameBitsAs fails the test unless got and want hold the same bits.
func sameBitsAs(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

// TestMatMulHeadsMatchesMatMul runs attention's core (scores, softmax,
// weighted values, heads merged) on queries, keys and values split from
// [batch, T, heads·d] projections, once with MatMulHeads and once with
// MatMul and a copying merge: the context and every gradient must agree bit
// for bit, and with MatMulHeads the merge must be a view of the product.
func TestMatMulHeadsMatchesMatMul(t *testing.T) {
	const batch, T, heads, d = 3, 5, 4, 8
	run := func(fused bool) (ctx []float32, grads [][]float32) {
		rng := NewRNG(21)
		var leaves []*Tensor
		split := func() *Tensor {
			x := RandN(rng, batch, T, heads*d).SetRequiresGrad(true)
			leaves = append(leaves, x)
			return x.Reshape(batch, T, heads, d).Permute(0, 2, 1, 3)
		}
		q, k, v := split(), split(), split()
		p := q.MatMulDivScalar(k.Transpose(-1, -2), 3).Softmax(-1)
		var heads4 *Tensor
		if fused {
			heads4 = p.MatMulHeads(v)
		} else {
			heads4 = p.MatMul(v)
		}
		merged := heads4.Permute(0, 2, 1, 3).Contiguous()
		if fused && storageKey(merged) != storageKey(heads4) {
			t.Fatal("merging the heads of MatMulHeads copied the product")
		}
		out := merged.Reshape(batch, T, heads*d)
		out.Mul(RandN(rng, batch, T, heads*d)).Sum().Backward()
		for _, x := range leaves {
			grads = append(grads, x.Grad().Data())
		}
		return out.Data(), grads
	}
	ctx, grads := run(false)
	fctx, fgrads := run(true)
	sameBitsAs(t, "context", fctx, ctx)
	for i, name := range []string{"query", "key", "value"} {
		sameBitsAs(t, name+" projection gradient", fgrads[i], grads[i])
	}
}

// TestGradStrides checks which operands of a batched product get their
// gradient in their own layout: dense permutations with a unit last stride
// and the product's full batch do; contiguous tensors, slices with gaps,
// expanded views, transposed last dims and broadcast batches do not.
func TestGradStrides(t *testing.T) {
	rng := NewRNG(2)
	heads := RandN(rng, 2, 5, 3, 4).Permute(0, 2, 1, 3) // [2, 3, 5, 4]
	out := []int{2, 3, 5, 4}
	if got := gradStrides(heads, out); got == nil || got[0] != 60 || got[1] != 4 || got[2] != 12 || got[3] != 1 {
		t.Fatalf("permuted heads: gradStrides = %v, want [60 4 12 1]", got)
	}
	for name, x := range map[string]*Tensor{
		"contiguous":        RandN(rng, 2, 3, 5, 4),
		"slice with gaps":   RandN(rng, 2, 5, 3, 8).Permute(0, 2, 1, 3).Slice(3, 0, 4),
		"expanded":          RandN(rng, 2, 1, 5, 4).Expand(2, 3, 5, 4),
		"transposed":        RandN(rng, 2, 3, 4, 5).Transpose(-1, -2),
		"broadcast batch 1": RandN(rng, 1, 5, 3, 4).Permute(0, 2, 1, 3),
	} {
		if got := gradStrides(x, out); got != nil {
			t.Errorf("%s (shape %v, strides %v): gradStrides = %v, want nil", name, x.shape, x.strides, got)
		}
	}
}
