package kernels

import (
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
)

// TestLogSoftmaxRows compares LogSoftmaxRows with a float64 reference on
// awkward row lengths (tails shorter than a vector), large logits and a
// vocabulary-sized row, on the assembly path and on the Go fallback.
func TestLogSoftmaxRows(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, lv := range simd.Supported() {
		for _, cols := range []int{1, 3, 7, 8, 17, 31, 33, 65, 30522} {
			rows := 3
			x := make([]float32, rows*cols)
			for i := range x {
				x[i] = float32(rng.NormFloat64()*4) + 1000 // a large common offset
			}
			y := make([]float32, len(x))
			level = lv
			LogSoftmaxRows(rows, cols, x, y)
			level = defaultLevel
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
						t.Fatalf("level=%v cols=%d row %d [%d]: got %g, want %g", lv, cols, r, i, got, want)
					}
				}
			}
		}
	}
}

// TestExpShift compares ExpShift with math.Exp, including arguments below the
// underflow threshold, which give exactly 0.
func TestExpShift(t *testing.T) {
	for _, lv := range simd.Supported() {
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
			level = lv
			ExpShift(x, 2, y)
			level = defaultLevel
			for i, v := range x {
				want := math.Exp(float64(v - 2)) // of the float32 argument
				if v-2 < -87.4 {
					want = 0
				}
				if got := float64(y[i]); math.Abs(got-want) > 3e-7*want {
					t.Fatalf("level=%v n=%d: exp(%g - 2) = %g, want %g", lv, n, v, got, want)
				}
			}
		}
	}
}

// TestLogSumExp checks LogSumExp against LogSoftmaxRows, which is tested
// against float64 above.
func TestLogSumExp(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{1, 9, 30522} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 3)
		}
		y := make([]float32, n)
		LogSoftmaxRows(1, n, x, y)
		mx, ls := LogSumExp(x, make([]float32, n))
		for i, v := range x {
			if got := (v - mx) - ls; got != y[i] {
				t.Fatalf("n=%d [%d]: (x - max) - logSum = %g, LogSoftmaxRows gave %g", n, i, got, y[i])
			}
		}
	}
}
