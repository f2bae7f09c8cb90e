package kernels

import (
	"fmt"
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
)

// geluInputs spans the region where GELU bends, the tails, and exact points.
func geluInputs(rng *rand.Rand) []float32 {
	xs := []float32{0, -0, 1, -1, 0.5, -0.5, 3, -3, 5, -5, 8, -8, 10, -10, 20, -20, 1e-6, -1e-6}
	for range 2000 {
		xs = append(xs, float32(rng.NormFloat64()*3))
	}
	for x := float32(-12); x < 12; x += 0.01 {
		xs = append(xs, x)
	}
	return xs
}

func TestGELU(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		xs := geluInputs(rand.New(rand.NewSource(10)))
		y, cdf := make([]float32, len(xs)), make([]float32, len(xs))
		GELU(xs, y, cdf)
		for i, x := range xs {
			xv := float64(x)
			wantCDF := 0.5 * math.Erfc(-xv/math.Sqrt2)
			wantY := xv * wantCDF
			// Φ within 3e-7 absolute (a few ulps of values near 1) or 6e-7
			// relative; y likewise, scaled by |x|.
			if d := math.Abs(float64(cdf[i]) - wantCDF); d > 3e-7 && d > 6e-7*wantCDF {
				t.Fatalf("Φ(%g) = %g, want %g", x, cdf[i], wantCDF)
			}
			if d := math.Abs(float64(y[i]) - wantY); d > 3e-7*math.Abs(xv) && d > 6e-7*math.Abs(wantY) {
				t.Fatalf("GELU(%g) = %g, want %g", x, y[i], wantY)
			}
		}
		// In place, without cdf.
		z := append([]float32(nil), xs...)
		GELU(z, z, nil)
		for i := range z {
			if z[i] != y[i] {
				t.Fatalf("in-place GELU(%g) = %g, out of place %g", xs[i], z[i], y[i])
			}
		}
	})
}

func TestGELUBackward(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(11))
		xs := geluInputs(rng)
		cdf, gy, gx := make([]float32, len(xs)), randSlice(rng, len(xs)), make([]float32, len(xs))
		GELU(xs, make([]float32, len(xs)), cdf)
		GELUBackward(xs, cdf, gy, gx)
		for i, x := range xs {
			xv := float64(x)
			d := 0.5*math.Erfc(-xv/math.Sqrt2) + xv*math.Exp(-xv*xv/2)/math.Sqrt(2*math.Pi)
			want := float64(gy[i]) * d
			if diff := math.Abs(float64(gx[i]) - want); diff > 1e-7*math.Abs(float64(gy[i])) && diff > 1e-6*math.Abs(want) {
				t.Fatalf("GELU'(%g)·%g = %g, want %g", x, gy[i], gx[i], want)
			}
		}
	})
}

func TestGELUBadInput(t *testing.T) {
	for name, call := range map[string]func(){
		"short y":       func() { GELU(make([]float32, 3), make([]float32, 2), nil) },
		"short cdf":     func() { GELU(make([]float32, 3), make([]float32, 3), make([]float32, 1)) },
		"backward lens": func() { GELUBackward(make([]float32, 3), make([]float32, 3), make([]float32, 3), make([]float32, 2)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}

// BenchmarkGELU measures GELU forward (with cdf) and backward on a BERT-small
// intermediate activation (32 × 128 tokens × 512), against the float64
// math.Erf loop it replaces.
func BenchmarkGELU(b *testing.B) {
	const n = 32 * 128 * 512
	rng := rand.New(rand.NewSource(1))
	x, y, cdf, g := randSlice(rng, n), make([]float32, n), make([]float32, n), randSlice(rng, n)
	for _, lv := range simd.Supported() {
		name := lv.String()
		run := func(b *testing.B, f func()) {
			defer setLevel(lv)()
			for range b.N {
				f()
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*n), "ns/elem")
		}
		b.Run(fmt.Sprintf("forward/%s", name), func(b *testing.B) { run(b, func() { GELU(x, y, cdf) }) })
		b.Run(fmt.Sprintf("backward/%s", name), func(b *testing.B) { run(b, func() { GELUBackward(x, cdf, g, y) }) })
	}
	b.Run("forward/math.Erf", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				c := 0.5 * (1 + math.Erf(float64(v)/math.Sqrt2))
				cdf[i] = float32(c)
				y[i] = float32(float64(v) * c)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*n), "ns/elem")
	})
}
