package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestSmul checks Smul against Go's float32 multiplication bit for bit, at
// every level, on every tail length, out of place and with z aliasing x or y.
func TestSmul(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(8))
		for _, n := range vectorLengths {
			x, y := randSlice(rng, n), randSlice(rng, n)
			if n > 2 {
				x[0], y[1] = float32(math.Inf(1)), float32(math.NaN())
			}
			want := make([]float32, n)
			for i := range want {
				want[i] = x[i] * y[i]
			}
			z := make([]float32, n+1)
			z[n] = sentinel
			Smul(x, y, z[:n])
			if z[n] != sentinel {
				t.Fatalf("n=%d: Smul wrote past the end", n)
			}
			zx, zy := append([]float32(nil), x...), append([]float32(nil), y...)
			Smul(zx, y, zx)
			Smul(x, zy, zy)
			for i := range want {
				for _, got := range []float32{z[i], zx[i], zy[i]} {
					if math.Float32bits(got) != math.Float32bits(want[i]) {
						t.Fatalf("n=%d: z[%d] = %g, want %g · %g = %g", n, i, got, x[i], y[i], want[i])
					}
				}
			}
		}
	})
}
