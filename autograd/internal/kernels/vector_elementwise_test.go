package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestElementwise checks Sadd and Smul against Go's float32 addition and
// multiplication bit for bit, at every level, on every tail length, out of
// place and with z aliasing x or y, with an infinity and a NaN among the
// inputs.
func TestElementwise(t *testing.T) {
	for _, op := range []struct {
		name string
		run  func(x, y, z []float32)
		want func(a, b float32) float32
	}{
		{"Sadd", Sadd, func(a, b float32) float32 { return a + b }},
		{"Smul", Smul, func(a, b float32) float32 { return a * b }},
	} {
		bothPaths(t, func(t *testing.T) {
			rng := rand.New(rand.NewSource(8))
			for _, n := range vectorLengths {
				x, y := randSlice(rng, n), randSlice(rng, n)
				if n > 2 {
					x[0], y[1] = float32(math.Inf(1)), float32(math.NaN())
				}
				want := make([]float32, n)
				for i := range want {
					want[i] = op.want(x[i], y[i])
				}
				z := make([]float32, n+1)
				z[n] = sentinel
				op.run(x, y, z[:n])
				if z[n] != sentinel {
					t.Fatalf("%s n=%d: wrote past the end", op.name, n)
				}
				zx, zy := append([]float32(nil), x...), append([]float32(nil), y...)
				op.run(zx, y, zx)
				op.run(x, zy, zy)
				for i := range want {
					for _, got := range []float32{z[i], zx[i], zy[i]} {
						if !sameFloat(got, want[i]) {
							t.Fatalf("%s n=%d: z[%d] = %g of %g and %g, want %g", op.name, n, i, got, x[i], y[i], want[i])
						}
					}
				}
			}
		})
	}
}

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
				z := make([]float32, n+1)
				z[n] = sentinel
				Sdiv(x, s, z[:n])
				if z[n] != sentinel {
					t.Fatalf("s=%g n=%d: Sdiv wrote past the end", s, n)
				}
				zx := append([]float32(nil), x...)
				Sdiv(zx, s, zx)
				for i := range x {
					want := x[i] / s
					for _, got := range []float32{z[i], zx[i]} {
						if !sameFloat(got, want) {
							t.Fatalf("s=%g n=%d: z[%d] = %g, want %g / %g = %g", s, n, i, got, x[i], s, want)
						}
					}
				}
			}
		}
	})
}

// sameFloat reports whether a and b have the same bits, or are both NaN.
func sameFloat(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// TestElementwiseBadInput checks that unequal lengths panic.
func TestElementwiseBadInput(t *testing.T) {
	for name, f := range map[string]func(){
		"Sadd": func() { Sadd(make([]float32, 3), make([]float32, 3), make([]float32, 2)) },
		"Smul": func() { Smul(make([]float32, 3), make([]float32, 2), make([]float32, 3)) },
		"Sdiv": func() { Sdiv(make([]float32, 3), 2, make([]float32, 2)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with unequal lengths did not panic", name)
				}
			}()
			f()
		}()
	}
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
			for i, v := range x {
				z[i] = v / s
			}
		}
	})
}

// TestAccumulateWide checks AccumulateWide against the Go loop's float64
// sums bit for bit, at every level and on every tail length, with an
// infinity, a NaN and a subnormal among the values.
func TestAccumulateWide(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(10))
		for _, n := range vectorLengths {
			x := randSlice(rng, n)
			if n > 3 {
				x[0], x[1], x[2] = float32(math.Inf(-1)), float32(math.NaN()), 1e-44
			}
			acc := make([]float64, n+1)
			want := make([]float64, n)
			for i := range want {
				acc[i] = rng.NormFloat64() * 1e3
				want[i] = acc[i] + float64(x[i])
			}
			acc[n] = 7
			AccumulateWide(acc[:n], x)
			if acc[n] != 7 {
				t.Fatalf("n=%d: wrote past the end", n)
			}
			for i := range want {
				if math.Float64bits(acc[i]) != math.Float64bits(want[i]) && !(math.IsNaN(acc[i]) && math.IsNaN(want[i])) {
					t.Fatalf("n=%d: acc[%d] = %g, want %g", n, i, acc[i], want[i])
				}
			}
		}
	})
}
