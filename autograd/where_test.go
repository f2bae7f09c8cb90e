package autograd

import (
	"runtime"
	"testing"
)

// TestWhereStridedBroadcast checks Where on the inputs attention gives it
// (a causal [T, T] condition, permuted scores, a scalar) against the
// definition element by element, at one and four goroutines (the shape is
// large enough to split), and that the backward pass sends the gradient to
// the scores where the condition holds and nothing to the constant scalar.
func TestWhereStridedBroadcast(t *testing.T) {
	const B, H, T = 2, 4, 64
	rng := NewRNG(3)
	cond := make([]float32, T*T)
	for i := range T {
		for j := 0; j <= i; j++ {
			cond[i*T+j] = 1
		}
	}
	c := New(cond, T, T)
	for _, procs := range []int{1, 4} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			base := RandN(rng, B, T, H, T).SetRequiresGrad(true)
			scores := base.Permute(0, 2, 1, 3) // [B, H, T, T], not contiguous
			out := Where(c, scores, Scalar(-7))
			want := scores.Detach().Contiguous().Data()
			got := out.Data()
			for i := range got {
				if cond[i%(T*T)] == 0 {
					want[i] = -7
				}
				if got[i] != want[i] {
					t.Fatalf("GOMAXPROCS=%d: element %d = %v, want %v", procs, i, got[i], want[i])
				}
			}
			upstream := RandN(rng, B, H, T, T)
			out.BackwardWith(upstream)
			g := base.Grad().Permute(0, 2, 1, 3).Contiguous().Data()
			u := upstream.Data()
			for i := range g {
				w := u[i]
				if cond[i%(T*T)] == 0 {
					w = 0
				}
				if g[i] != w {
					t.Fatalf("GOMAXPROCS=%d: gradient %d = %v, want %v", procs, i, g[i], w)
				}
			}
		}()
	}
}
