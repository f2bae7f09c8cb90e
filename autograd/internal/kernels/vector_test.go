package kernels

import (
	"fmt"
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
)

// vectorLengths cover empty, shorter than one vector block, exact blocks
// and blocks plus a tail.
var vectorLengths = []int{0, 1, 7, 31, 32, 33, 64, 100, 1000, 4099}

// bothPaths runs f at every level this machine supports (the Go path and
// the assembly ones), naming the subtest after the level.
func bothPaths(t *testing.T, f func(t *testing.T)) { eachLevel(t, f) }

func TestSaxpy(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(7))
		for _, n := range vectorLengths {
			x, y := randSlice(rng, n), randSlice(rng, n+3)
			y0 := append([]float32(nil), y...)
			const alpha = -1.75
			Saxpy(alpha, x, y)
			for i := range y {
				want := y0[i]
				if i < n {
					want = float32(float64(y0[i]) + alpha*float64(x[i]))
				}
				if d := math.Abs(float64(y[i] - want)); d > 4e-7*(1+math.Abs(float64(want))) {
					t.Fatalf("n=%d: y[%d] = %g, want %g", n, i, y[i], want)
				}
			}
		}
	})
}

func TestSscal(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(8))
		for _, n := range vectorLengths {
			x := levelInputs(rng, n, 20)
			x0 := append([]float32(nil), x...)
			const alpha = -0.37
			Sscal(alpha, x)
			for i, v := range x0 {
				if want := v * alpha; math.Float32bits(x[i]) != math.Float32bits(want) {
					t.Fatalf("n=%d: x[%d] = %g, want %g·%g = %g", n, i, x[i], v, float32(alpha), want)
				}
			}
		}
	})
}

func TestSdot(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(8))
		for _, n := range vectorLengths {
			x, y := randSlice(rng, n), randSlice(rng, n)
			var want, abs float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
				abs += math.Abs(float64(x[i]) * float64(y[i]))
			}
			got := Sdot(x, y)
			if d := math.Abs(float64(got) - want); d > 2*float64(n+1)*(1.0/(1<<23))*abs {
				t.Fatalf("n=%d: Sdot = %g, want %g", n, got, want)
			}
		}
	})
}

func TestVectorBadInput(t *testing.T) {
	for name, call := range map[string]func(){
		"Saxpy short y": func() { Saxpy(1, make([]float32, 3), make([]float32, 2)) },
		"Sdot lengths":  func() { Sdot(make([]float32, 3), make([]float32, 2)) },
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

// benchVector times f on vectors of n floats, reporting GB/s of the
// operands it streams (bytesPerElem per element).
func benchVector(b *testing.B, name string, bytesPerElem int, f func(x, y []float32)) {
	for _, n := range []int{768, 1 << 16} {
		for _, lv := range simd.Supported() {
			b.Run(fmt.Sprintf("%s/%s/%d", name, lv.String(), n), func(b *testing.B) {
				defer setLevel(lv)()
				rng := rand.New(rand.NewSource(1))
				x, y := randSlice(rng, n), randSlice(rng, n)
				b.SetBytes(int64(bytesPerElem * n))
				for range b.N {
					f(x, y)
				}
			})
		}
	}
}

var sinkFloat float32

func BenchmarkSaxpy(b *testing.B) {
	benchVector(b, "Saxpy", 12, func(x, y []float32) { Saxpy(1e-3, x, y) })
}

func BenchmarkSdot(b *testing.B) {
	benchVector(b, "Sdot", 8, func(x, y []float32) { sinkFloat = Sdot(x, y) })
}
