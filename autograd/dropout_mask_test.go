package autograd

import (
	"math"
	"testing"
)

// TestDropoutMaskMatchesPlainLoop checks the branch-free mask against the
// loop it replaces: the same decisions from the same random stream, the same
// output values (0 for a dropped element, even when x is infinite), and the
// generator left in the same state.
func TestDropoutMaskMatchesPlainLoop(t *testing.T) {
	for _, p := range []float32{1e-7, 0.1, 0.25, 0.5, 0.9, 0.999, 1 - 1.0/(1<<24)} {
		for _, n := range []int{0, 1, 7, 1000} {
			x := RandN(NewRNG(2), n).Data()
			if n > 3 {
				x[1], x[2] = float32(math.Inf(1)), float32(math.Inf(-1))
			}
			fast, plain := NewRNG(9), NewRNG(9)
			mask, out := make([]float32, n), make([]float32, n)
			dropoutMask(fast, p, x, mask, out)
			scale := 1 / (1 - p)
			for i := range x {
				wantM, wantO := float32(0), float32(0)
				if plain.Float32() >= p {
					wantM, wantO = scale, x[i]*scale
				}
				if math.Float32bits(mask[i]) != math.Float32bits(wantM) || math.Float32bits(out[i]) != math.Float32bits(wantO) {
					t.Fatalf("p=%v n=%d element %d: mask %v out %v, want %v %v", p, n, i, mask[i], out[i], wantM, wantO)
				}
			}
			if fast.Uint64() != plain.Uint64() {
				t.Fatalf("p=%v n=%d: the generator is left in a different state", p, n)
			}
		}
	}
}

// BenchmarkDropoutMask times the mask of one course-size activation (32 × 48
// × 128 values, p = 0.1): the branch-free dropoutMask beside the plain loop it
// replaced.
//
//	go test ./autograd -run '^$' -bench DropoutMask -count 3
func BenchmarkDropoutMask(b *testing.B) {
	const n, p = 32 * 48 * 128, float32(0.1)
	x := RandN(NewRNG(2), n).Data()
	mask, out := make([]float32, n), make([]float32, n)
	rng := NewRNG(1)
	b.Run("branch-free", func(b *testing.B) {
		for range b.N {
			dropoutMask(rng, p, x, mask, out)
		}
	})
	b.Run("plain-loop", func(b *testing.B) {
		scale := 1 / (1 - p)
		for range b.N {
			for i := range mask {
				if rng.Float32() >= p {
					mask[i], out[i] = scale, x[i]*scale
				} else {
					mask[i], out[i] = 0, 0
				}
			}
		}
	})
}
