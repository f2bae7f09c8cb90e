package kernels

import (
	"fmt"
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
	"unsafe"
)

// TestAdamStepLayout pins the field offsets that adam_amd64.s reads.
func TestAdamStepLayout(t *testing.T) {
	var s AdamStep
	got := []uintptr{unsafe.Offsetof(s.Decay), unsafe.Offsetof(s.L2), unsafe.Offsetof(s.Beta1), unsafe.Offsetof(s.Beta2),
		unsafe.Offsetof(s.OneMinusBeta1), unsafe.Offsetof(s.OneMinusBeta2), unsafe.Offsetof(s.BC2Sqrt),
		unsafe.Offsetof(s.Eps), unsafe.Offsetof(s.StepSize)}
	for i, off := range got {
		if off != uintptr(4*i) {
			t.Fatalf("AdamStep field %d at offset %d, want %d: update adam_amd64.s", i, off, 4*i)
		}
	}
}

// adamStepFor computes the scalars as torch does for step t.
func adamStepFor(lr, beta1, beta2, eps, wd float64, decoupled bool, t int) AdamStep {
	s := AdamStep{Decay: 1, Beta1: float32(beta1), Beta2: float32(beta2),
		OneMinusBeta1: float32(1 - beta1), OneMinusBeta2: float32(1 - beta2),
		BC2Sqrt:  float32(math.Sqrt(1 - math.Pow(beta2, float64(t)))),
		Eps:      float32(eps),
		StepSize: float32(lr / (1 - math.Pow(beta1, float64(t))))}
	if decoupled {
		s.Decay = float32(1 - lr*wd)
	} else {
		s.L2 = float32(wd)
	}
	return s
}

func TestAdamUpdate(t *testing.T) {
	for _, decoupled := range []bool{true, false} {
		for _, n := range []int{1, 7, 8, 9, 100, 1027} {
			rng := rand.New(rand.NewSource(int64(n)))
			w0 := randSlice(rng, n)
			// One run per path, five steps each, against float64.
			levels := simd.Supported()
			results := make([][]float32, len(levels))
			for pi, lv := range levels {
				level = lv
				w := append([]float32(nil), w0...)
				m, v := make([]float32, n), make([]float32, n)
				w64, m64, v64 := make([]float64, n), make([]float64, n), make([]float64, n)
				for i, x := range w0 {
					w64[i] = float64(x)
				}
				grng := rand.New(rand.NewSource(99))
				for step := 1; step <= 5; step++ {
					g := randSlice(grng, n)
					const lr, b1, b2, eps, wd = 1e-2, 0.9, 0.999, 1e-8, 0.05
					AdamUpdate(adamStepFor(lr, b1, b2, eps, wd, decoupled, step), w, g, m, v)
					for i := range w64 {
						d := float64(g[i])
						if decoupled {
							w64[i] *= 1 - lr*wd
						} else {
							d += wd * w64[i]
						}
						m64[i] = b1*m64[i] + (1-b1)*d
						v64[i] = b2*v64[i] + (1-b2)*d*d
						bc1, bc2 := 1-math.Pow(b1, float64(step)), 1-math.Pow(b2, float64(step))
						w64[i] -= lr / bc1 * m64[i] / (math.Sqrt(v64[i])/math.Sqrt(bc2) + eps)
					}
				}
				level = defaultLevel
				for i := range w {
					if d := math.Abs(float64(w[i]) - w64[i]); d > 1e-6+1e-5*math.Abs(w64[i]) {
						t.Fatalf("decoupled=%v n=%d level=%v: w[%d] = %g, want %g", decoupled, n, lv, i, w[i], w64[i])
					}
				}
				results[pi] = w
			}
			for li := 1; li < len(levels); li++ {
				for i := range results[0] {
					if d := math.Abs(float64(results[0][i] - results[li][i])); d > 4e-7*(1+math.Abs(float64(results[0][i]))) {
						t.Fatalf("decoupled=%v n=%d: Go %g vs %v %g at %d", decoupled, n, results[0][i], levels[li], results[li][i], i)
					}
				}
			}
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("AdamUpdate with mismatched lengths did not panic")
			}
		}()
		AdamUpdate(AdamStep{}, make([]float32, 3), make([]float32, 3), make([]float32, 2), make([]float32, 3))
	}()
}

// BenchmarkAdamUpdate measures one AdamW step over BERT's word embeddings at
// hidden size 128 (30522 × 128 parameters).
func BenchmarkAdamUpdate(b *testing.B) {
	const n = 30522 * 128
	rng := rand.New(rand.NewSource(1))
	w, g, m, v := randSlice(rng, n), randSlice(rng, n), make([]float32, n), make([]float32, n)
	s := adamStepFor(1e-3, 0.9, 0.999, 1e-8, 0.01, true, 10)
	for _, lv := range simd.Supported() {
		b.Run(fmt.Sprintf("%s/%d", lv.String(), n), func(b *testing.B) {
			defer setLevel(lv)()
			b.SetBytes(6 * 4 * n) // reads w, g, m, v; writes w, m, v
			for range b.N {
				AdamUpdate(s, w, g, m, v)
			}
		})
	}
}
