package kernels

import (
	"fmt"
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
)

// TestExpAccuracy checks both exponentials (Go expf32 and the assembly
// lanes, through expShiftSum) against float64 math.Exp over the whole
// clamped range: relative error within 3 float32 ulps.
func TestExpAccuracy(t *testing.T) {
	var xs []float32
	for x := float32(-87.3); x <= 88; x += 0.0137 {
		xs = append(xs, x)
	}
	xs = append(xs, 0, -0, 1e-8, -1e-8, 0.5, -0.5, float32(math.Ln2), 88)
	bothPaths(t, func(t *testing.T) {
		y := make([]float32, len(xs))
		expShiftSum(xs, 0, y)
		for i, x := range xs {
			want := math.Exp(float64(x))
			if rel := math.Abs(float64(y[i])-want) / want; rel > 3.0/(1<<23) {
				t.Fatalf("exp(%g) = %g, want %g (relative error %.3g)", x, y[i], want, rel)
			}
		}
	})
	if v := expf32(float32(math.NaN())); v == v {
		t.Errorf("expf32(NaN) = %g, want NaN", v)
	}
	if v := expf32(float32(math.Inf(-1))); v < 0 || v > 2e-38 {
		t.Errorf("expf32(-Inf) = %g, want a tiny non-negative number", v)
	}
}

// softmaxRef is the float64 softmax of x + mask.
func softmaxRef(x, mask []float32) []float64 {
	z := make([]float64, len(x))
	mx := math.Inf(-1)
	for j, v := range x {
		z[j] = float64(v)
		if mask != nil {
			z[j] += float64(mask[j])
		}
		mx = math.Max(mx, z[j])
	}
	var sum float64
	for j := range z {
		z[j] = math.Exp(z[j] - mx)
		sum += z[j]
	}
	for j := range z {
		z[j] /= sum
	}
	return z
}

func TestSoftmaxRows(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(9))
		for _, cols := range []int{1, 2, 7, 8, 9, 31, 33, 128, 1000} {
			for _, masked := range []bool{false, true} {
				for _, inPlace := range []bool{false, true} {
					const rows = 5
					x := randSlice(rng, rows*cols)
					for i := range x {
						x[i] *= 20 // logits of either sign, some large
					}
					var mask []float32
					if masked {
						mask = make([]float32, cols)
						for j := range mask {
							switch rng.Intn(4) {
							case 0:
								mask[j] = -3.4028235e38 // HF's finfo(float32).min
							case 1:
								mask[j] = -10000 // the original BERT's mask value
							}
						}
						mask[rng.Intn(cols)] = 0 // keep at least one key
					}
					x0 := append([]float32(nil), x...)
					y := make([]float32, rows*cols)
					if inPlace {
						y = x
					}
					SoftmaxRows(rows, cols, x, mask, y)
					for r := range rows {
						want := softmaxRef(x0[r*cols:(r+1)*cols], mask)
						for j, w := range want {
							if got := y[r*cols+j]; math.Abs(float64(got)-w) > 1e-7+4e-7*w {
								t.Fatalf("cols=%d masked=%v inPlace=%v: y[%d][%d] = %g, want %g", cols, masked, inPlace, r, j, got, w)
							}
						}
					}
				}
			}
		}
	})
}

func TestSoftmaxRowsBadInput(t *testing.T) {
	for name, call := range map[string]func(){
		"short x":  func() { SoftmaxRows(2, 3, make([]float32, 5), nil, make([]float32, 6)) },
		"mask len": func() { SoftmaxRows(2, 3, make([]float32, 6), make([]float32, 2), make([]float32, 6)) },
		"negative": func() { SoftmaxRows(-1, 3, nil, nil, nil) },
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

// BenchmarkSoftmaxRows measures attention-shaped softmax: 256 rows (2 heads
// × 128 queries) over 128 keys with a mask, and the MLM output distribution
// over the vocabulary.
func BenchmarkSoftmaxRows(b *testing.B) {
	for _, s := range [][2]int{{256, 128}, {4, 30522}} {
		rows, cols := s[0], s[1]
		for _, lv := range simd.Supported() {
			b.Run(fmt.Sprintf("%s/%dx%d", lv.String(), rows, cols), func(b *testing.B) {
				defer setLevel(lv)()
				rng := rand.New(rand.NewSource(1))
				x, mask, y := randSlice(rng, rows*cols), make([]float32, cols), make([]float32, rows*cols)
				b.SetBytes(int64(8 * rows * cols))
				for range b.N {
					SoftmaxRows(rows, cols, x, mask, y)
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*rows*cols), "ns/elem")
			})
		}
	}
}
