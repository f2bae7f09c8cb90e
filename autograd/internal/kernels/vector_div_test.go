package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestSdiv checks Sdiv against Go's float32 division bit for bit, at every
// level, on every tail length, out of place and in place, for divisors whose
// reciprocal is inexact (√32, attention's √d at 32 dimensions per head), a
// negative one, one that makes quotients subnormal, and infinities and NaN
// in x.
func TestSdiv(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(9))
		for _, s := range []float32{float32(math.Sqrt(32)), -3, 1e30, 0.1} {
			for _, n := range vectorLengths {
				x := randSlice(rng, n)
				if n > 3 {
					x[0], x[1], x[2] = float32(math.Inf(1)), float32(math.NaN()), 1e-38
				}
				want := make([]float32, n)
				for i := range want {
					want[i] = x[i] / s
				}
				z := make([]float32, n+1)
				z[n] = sentinel
				Sdiv(x, s, z[:n])
				if z[n] != sentinel {
					t.Fatalf("s=%g n=%d: Sdiv wrote past the end", s, n)
				}
				zx := append([]float32(nil), x...)
				Sdiv(zx, s, zx)
				for i := range want {
					for _, got := range []float32{z[i], zx[i]} {
						if math.Float32bits(got) != math.Float32bits(want[i]) && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want[i]))) {
							t.Fatalf("s=%g n=%d: z[%d] = %g, want %g / %g = %g", s, n, i, got, x[i], s, want[i])
						}
					}
				}
			}
		}
	})
}

// TestSdivBadInput checks that unequal lengths panic with the lengths.
func TestSdivBadInput(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("Sdiv with x of 3 and z of 2 elements did not panic")
		}
	}()
	Sdiv(make([]float32, 3), 2, make([]float32, 2))
}

// BenchmarkSdiv times Sdiv on a course-size attention map (32·4·48·48
// scores) beside the plain Go loop.
//
//	go test ./autograd/internal/kernels -run '^$' -bench Sdiv -count 3
func BenchmarkSdiv(b *testing.B) {
	const n = 32 * 4 * 48 * 48
	x, z := randSlice(rand.New(rand.NewSource(1)), n), make([]float32, n)
	s := float32(math.Sqrt(32))
	b.Run("Sdiv", func(b *testing.B) {
		for range b.N {
			Sdiv(x, s, z)
		}
	})
	b.Run("go", func(b *testing.B) {
		for range b.N {
			sdivGo(x, s, z)
		}
	})
}
