package kernels

import (
	"fmt"
	"github.com/turinglab/turinglab/internal/simd"
	"math"
	"math/rand"
	"testing"
)

// layerNormRef is LayerNorm forward and backward in float64 for one row.
func layerNormRef(x, gamma, beta, gy []float32, eps float64) (y, gx, dgamma, dbeta []float64) {
	n := float64(len(x))
	var mu, v float64
	for _, a := range x {
		mu += float64(a)
	}
	mu /= n
	for _, a := range x {
		v += (float64(a) - mu) * (float64(a) - mu)
	}
	rs := 1 / math.Sqrt(v/n+eps)
	y, gx = make([]float64, len(x)), make([]float64, len(x))
	dgamma, dbeta = make([]float64, len(x)), make([]float64, len(x))
	var sg, sgx float64
	for i, a := range x {
		xh := (float64(a) - mu) * rs
		y[i] = xh*float64(gamma[i]) + float64(beta[i])
		g := float64(gy[i]) * float64(gamma[i])
		sg += g
		sgx += g * xh
		dgamma[i] = float64(gy[i]) * xh
		dbeta[i] = float64(gy[i])
	}
	for i, a := range x {
		xh := (float64(a) - mu) * rs
		gx[i] = rs * (float64(gy[i])*float64(gamma[i]) - sg/n - xh*sgx/n)
	}
	return
}

func TestLayerNormRows(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(14))
		for _, cols := range []int{1, 7, 8, 9, 31, 128, 768} {
			for _, offset := range []float32{0, 100} { // rows with a large mean
				const rows, eps = 3, 1e-12
				x, gamma, beta, gy := randSlice(rng, rows*cols), randSlice(rng, cols), randSlice(rng, cols), randSlice(rng, rows*cols)
				for i := range x {
					x[i] = x[i]*2 + offset
				}
				y, mean, rstd := make([]float32, rows*cols), make([]float32, rows), make([]float32, rows)
				LayerNormRows(rows, cols, x, gamma, beta, eps, y, mean, rstd)
				gx, dgamma, dbeta := make([]float32, rows*cols), make([]float32, cols), make([]float32, cols)
				LayerNormBackwardRows(rows, cols, x, gamma, mean, rstd, gy, gx, dgamma, dbeta)
				wantDG, wantDB := make([]float64, cols), make([]float64, cols)
				for r := range rows {
					sl := func(s []float32) []float32 { return s[r*cols : (r+1)*cols] }
					wy, wgx, dg, db := layerNormRef(sl(x), gamma, beta, sl(gy), eps)
					for j := range cols {
						wantDG[j] += dg[j]
						wantDB[j] += db[j]
						if d := math.Abs(float64(y[r*cols+j]) - wy[j]); d > 2e-5*(1+math.Abs(wy[j])) {
							t.Fatalf("cols=%d offset=%g: y[%d][%d] = %g, want %g", cols, offset, r, j, y[r*cols+j], wy[j])
						}
						if d := math.Abs(float64(gx[r*cols+j]) - wgx[j]); d > 5e-5*(1+math.Abs(wgx[j])) {
							t.Fatalf("cols=%d offset=%g: gx[%d][%d] = %g, want %g", cols, offset, r, j, gx[r*cols+j], wgx[j])
						}
					}
				}
				for j := range cols {
					if d := math.Abs(float64(dgamma[j]) - wantDG[j]); d > 5e-5*(1+math.Abs(wantDG[j])) {
						t.Fatalf("cols=%d offset=%g: dgamma[%d] = %g, want %g", cols, offset, j, dgamma[j], wantDG[j])
					}
					if d := math.Abs(float64(dbeta[j]) - wantDB[j]); d > 1e-5*(1+math.Abs(wantDB[j])) {
						t.Fatalf("cols=%d offset=%g: dbeta[%d] = %g, want %g", cols, offset, j, dbeta[j], wantDB[j])
					}
				}
				// In place: y = x and gx = gy give the same results.
				xc, gyc := append([]float32(nil), x...), append([]float32(nil), gy...)
				LayerNormBackwardRows(rows, cols, x, gamma, mean, rstd, gyc, gyc, make([]float32, cols), make([]float32, cols))
				LayerNormRows(rows, cols, xc, gamma, beta, eps, xc, mean, rstd)
				for i := range xc {
					if xc[i] != y[i] || gyc[i] != gx[i] {
						t.Fatalf("cols=%d: in-place result differs at %d", cols, i)
					}
				}
			}
		}
	})
}

func TestLayerNormBadInput(t *testing.T) {
	s := make([]float32, 12)
	for name, call := range map[string]func(){
		"short x":    func() { LayerNormRows(3, 4, s[:11], s[:4], s[:4], 1e-5, s, s, s) },
		"gamma len":  func() { LayerNormRows(3, 4, s, s[:3], s[:4], 1e-5, s, s, s) },
		"beta len":   func() { LayerNormRows(3, 4, s, s[:4], s[:5], 1e-5, s, s, s) },
		"short mean": func() { LayerNormRows(3, 4, s, s[:4], s[:4], 1e-5, s, s[:2], s) },
		"dgamma len": func() { LayerNormBackwardRows(3, 4, s, s[:4], s, s, s, s, s[:3], s[:4]) },
		"short gy":   func() { LayerNormBackwardRows(3, 4, s, s[:4], s, s, s[:11], s, s[:4], s[:4]) },
		"negative":   func() { LayerNormRows(-1, 4, s, s[:4], s[:4], 1e-5, s, s, s) },
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

// BenchmarkLayerNorm measures forward and backward over BERT-small's hidden
// states (32·128 rows of 128) and BERT-base's (8·128 rows of 768).
func BenchmarkLayerNorm(b *testing.B) {
	for _, s := range [][2]int{{32 * 128, 128}, {8 * 128, 768}} {
		rows, cols := s[0], s[1]
		rng := rand.New(rand.NewSource(1))
		x, gamma, beta, gy := randSlice(rng, rows*cols), randSlice(rng, cols), randSlice(rng, cols), randSlice(rng, rows*cols)
		y, mean, rstd, gx := make([]float32, rows*cols), make([]float32, rows), make([]float32, rows), make([]float32, rows*cols)
		dg, db := make([]float32, cols), make([]float32, cols)
		for _, lv := range simd.Supported() {
			name := fmt.Sprintf("%s/%dx%d", lv.String(), rows, cols)
			run := func(b *testing.B, f func()) {
				defer setLevel(lv)()
				for range b.N {
					f()
				}
			}
			b.Run("forward/"+name, func(b *testing.B) { run(b, func() { LayerNormRows(rows, cols, x, gamma, beta, 1e-12, y, mean, rstd) }) })
			b.Run("backward/"+name, func(b *testing.B) {
				run(b, func() { LayerNormBackwardRows(rows, cols, x, gamma, mean, rstd, gy, gx, dg, db) })
			})
		}
	}
}
