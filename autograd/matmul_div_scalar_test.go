package autograd

import (
	"math"
	"testing"
)

// TestMatMulDivScalarMatchesTwoOps checks that the fused product gives the
// result and the gradients of MatMul then DivScalar bit for bit: attention's
// batched q·kᵀ through a transposed view (k larger than the GEMM's kc, so
// its sums are added in several passes), a 2-D product, a vector, and a
// divisor that is not a power of two (two ops inside too).
func TestMatMulDivScalarMatchesTwoOps(t *testing.T) {
	cases := []struct {
		name   string
		a, b   []int
		transB bool
		s      float32
	}{
		{"scores", []int{2, 3, 17, 64}, []int{2, 3, 19, 64}, true, 8},
		{"deep", []int{2, 33, 300}, []int{2, 300, 40}, false, 0.5},
		{"2-D", []int{37, 45}, []int{45, 29}, false, 16},
		{"vector", []int{45}, []int{45, 29}, false, 4},
		{"not a power of two", []int{2, 3, 17, 32}, []int{2, 3, 19, 32}, true, 5.656854},
	}
	for _, c := range cases {
		rng := NewRNG(11)
		run := func(fused bool) (out, ga, gb []float32) {
			rng.Seed(11)
			a := RandN(rng, c.a...).SetRequiresGrad(true)
			b := RandN(rng, c.b...).SetRequiresGrad(true)
			bb := b
			if c.transB {
				bb = b.Transpose(-1, -2)
			}
			var y *Tensor
			if fused {
				y = a.MatMulDivScalar(bb, c.s)
			} else {
				y = a.MatMul(bb).DivScalar(c.s)
			}
			w := RandN(rng, y.Shape()...) // a loss Σ w·y, so that every gradient element differs
			y.Mul(w).Sum().Backward()
			return append([]float32(nil), y.Data()...), a.Grad().Data(), b.Grad().Data()
		}
		y0, ga0, gb0 := run(false)
		y1, ga1, gb1 := run(true)
		for _, p := range []struct {
			what      string
			want, got []float32
		}{{"result", y0, y1}, {"grad of a", ga0, ga1}, {"grad of b", gb0, gb1}} {
			if len(p.want) != len(p.got) {
				t.Fatalf("%s: %s has %d values, want %d", c.name, p.what, len(p.got), len(p.want))
			}
			for i := range p.want {
				if math.Float32bits(p.want[i]) != math.Float32bits(p.got[i]) {
					t.Fatalf("%s: %s[%d] = %v, MatMul then DivScalar gives %v", c.name, p.what, i, p.got[i], p.want[i])
				}
			}
		}
	}
}
