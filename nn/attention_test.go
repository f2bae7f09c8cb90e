package nn

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestConv1DIsTransposedLinear checks y = x·W + b with W [in, out]: the same
// as a Linear layer holding Wᵀ.
func TestConv1DIsTransposedLinear(t *testing.T) {
	rng := autograd.NewRNG(3)
	c := NewConv1D(5, 7, 0.5, rng)
	c.Bias = autograd.Normal(rng, 0, 1, 7).SetRequiresGrad(true)
	x := autograd.Normal(rng, 0, 1, 2, 3, 5)
	l := LinearFrom(c.Weight.T().Contiguous(), c.Bias)
	if got, want := c.Forward(x), l.Forward(x); !got.AllClose(want, 1e-6, 1e-6) {
		t.Fatalf("Conv1D %v differs from Linear with the transposed weight %v", got, want)
	}
	if got := Repr(c); got != "Conv1D(nf=7, nx=5)" {
		t.Errorf("repr %q, want Conv1D(nf=7, nx=5)", got)
	}
}

// TestCausalMask checks which keys a query sees, with and without cached keys.
func TestCausalMask(t *testing.T) {
	m := CausalMask(2, 4).Data() // queries at positions 2 and 3
	want := []float32{1, 1, 1, 0, 1, 1, 1, 1}
	for i := range want {
		if m[i] != want[i] {
			t.Fatalf("CausalMask(2, 4) = %v, want %v", m, want)
		}
	}
}

// TestScaledDotProductAttentionPadQueryRow checks HF's order of masks on a
// left-padded row: the pad query row 0 sees only key 0 (padding), so its
// scores are min (pad key 0, causally allowed: score + min), min (the real
// key 1, causally forbidden) and -Inf (the pad key 2, forbidden twice); it
// attends uniformly to keys 0 and 1. The real query row 1 ignores the pad.
func TestScaledDotProductAttentionPadQueryRow(t *testing.T) {
	rng := autograd.NewRNG(5)
	q := autograd.Normal(rng, 0, 1, 1, 1, 3, 2)
	k := autograd.Normal(rng, 0, 1, 1, 1, 3, 2)
	v := autograd.Normal(rng, 0, 1, 1, 1, 3, 2)
	_, probs := ScaledDotProductAttention(q, k, v, AttentionOptions{
		Divisors: []float32{float32(math.Sqrt(2))},
		Causal:   true,
		Mask:     PaddingMask([]int{0, 1, 0}, 1, 3, 0),
	})
	p := probs.Data()
	row0 := []float32{0.5, 0.5, 0}
	for j, w := range row0 {
		if p[j] != w {
			t.Fatalf("pad query row = %v, want %v", p[:3], row0)
		}
	}
	if p[3] != 0 || p[4] != 1 || p[5] != 0 {
		t.Fatalf("real query row 1 = %v, want [0 1 0]", p[3:6])
	}
}

// TestScaledDotProductAttentionGradient checks the backward pass of the
// composed core (causal, padding mask, two divisors) numerically.
func TestScaledDotProductAttentionGradient(t *testing.T) {
	rng := autograd.NewRNG(7)
	leaf := func(shape ...int) *autograd.Tensor {
		return autograd.Normal(rng, 0, 1, shape...).SetRequiresGrad(true)
	}
	mask := PaddingMask([]int{1, 1, 1, 1, 0, 1, 1, 1}, 2, 4, 0)
	f := func(in []*autograd.Tensor) *autograd.Tensor {
		ctx, _ := ScaledDotProductAttention(in[0], in[1], in[2], AttentionOptions{Divisors: []float32{1.5, 2}, Causal: true, Mask: mask})
		return ctx
	}
	in := []*autograd.Tensor{leaf(2, 2, 3, 2), leaf(2, 2, 4, 2), leaf(2, 2, 4, 2)}
	if err := autograd.GradCheck(f, in, 1e-3, 2e-3, 2e-3); err != nil {
		t.Fatal(err)
	}
	c := NewConv1D(3, 4, 1, rng)
	conv := func(in []*autograd.Tensor) *autograd.Tensor { return c.Forward(in[0]) }
	if err := autograd.GradCheck(conv, []*autograd.Tensor{leaf(2, 3), c.Weight, c.Bias}, 1e-3, 2e-3, 2e-3); err != nil {
		t.Fatal(err)
	}
}
