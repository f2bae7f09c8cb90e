package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestLogSoftmaxRows compares LogSoftmaxRows with a float64 reference on
// awkward row lengths (tails shorter than a vector), large logits and a
// vocabulary-sized row, on the assembly path and on the Go fallback.
func TestLogSoftmaxRows(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, asm := range []bool{true, false} {
		for _, cols := range []int{1, 3, 7, 8, 17, 31, 33, 65, 30522} {
			rows := 3
			x := make([]float32, rows*cols)
			for i := range x {
				x[i] = float32(rng.NormFloat64()*4) + 1000 // a large common offset
			}
			y := make([]float32, len(x))
			forceGo = !asm
			LogSoftmaxRows(rows, cols, x, y)
			forceGo = false
			for r := 0; r < rows; r++ {
				xr := x[r*cols : (r+1)*cols]
				mx := math.Inf(-1)
				for _, v := range xr {
					mx = math.Max(mx, float64(v))
				}
				var s float64
				for _, v := range xr {
					s += math.Exp(float64(v) - mx)
				}
				for i, v := range xr {
					want := float64(v) - mx - math.Log(s)
					if got := float64(y[r*cols+i]); math.Abs(got-want) > 2e-5*math.Max(1, math.Abs(want)) {
						t.Fatalf("asm=%v cols=%d row %d [%d]: got %g, want %g", asm, cols, r, i, got, want)
					}
				}
			}
		}
	}
}

// TestExp compares Exp with math.Exp, including inputs below the underflow
// threshold, which give exactly 0.
func TestExp(t *testing.T) {
	for _, asm := range []bool{true, false} {
		for _, n := range []int{0, 1, 7, 8, 9, 33} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(i)*0.7 - 12
			}
			if n > 2 {
				x[1] = float32(math.Inf(-1))
				x[2] = -100
			}
			y := make([]float32, n)
			forceGo = !asm
			Exp(x, y)
			forceGo = false
			for i, v := range x {
				want := math.Exp(float64(v))
				if v < -87.4 {
					want = 0
				}
				if got := float64(y[i]); math.Abs(got-want) > 3e-7*want {
					t.Fatalf("asm=%v n=%d: exp(%g) = %g, want %g", asm, n, v, got, want)
				}
			}
		}
	}
}
