package kernels

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"

	"github.com/turinglab/turinglab/internal/cputime"
)

// splitRows runs f over [0, rows) cut into parts contiguous ranges, one
// goroutine per range after the first (which runs on the caller's).
func splitRows(rows, parts int, f func(r0, r1 int)) {
	if parts <= 1 || rows < parts {
		f(0, rows)
		return
	}
	var wg sync.WaitGroup
	step := (rows + parts - 1) / parts
	for r0 := step; r0 < rows; r0 += step {
		wg.Add(1)
		go func(r0 int) {
			defer wg.Done()
			f(r0, min(r0+step, rows))
		}(r0)
	}
	f(0, min(step, rows))
	wg.Wait()
}

// BenchmarkRowsTwoGoroutines is issue 8's parallelism experiment for
// memory-bound row kernels: the attention softmax and LayerNorm of the BERT
// step (L2/H128, batch 32 × 128: 8192 rows of 128 scores, 4096 rows of 128
// features) and of the course-size step (32 × 48), each split over 1 or 2
// goroutines by rows. It reports wall and process-CPU nanoseconds per
// element; on 2 vCPUs that share floating-point units, two goroutines help
// only if the wall time falls without the CPU time doubling.
//
//	go test ./autograd/internal/kernels -run '^$' -bench RowsTwoGoroutines -count 3
func BenchmarkRowsTwoGoroutines(b *testing.B) {
	shapes := []struct {
		kind       string
		rows, cols int
	}{
		{"softmax", 8192, 128},
		{"softmax", 3072, 48},
		{"layernorm", 4096, 128},
		{"layernorm-backward", 4096, 128},
		{"layernorm", 1536, 64},
	}
	for _, s := range shapes {
		rng := rand.New(rand.NewSource(1))
		x, gy := randSlice(rng, s.rows*s.cols), randSlice(rng, s.rows*s.cols)
		y, gx := make([]float32, s.rows*s.cols), make([]float32, s.rows*s.cols)
		gamma, beta := randSlice(rng, s.cols), randSlice(rng, s.cols)
		mean, rstd := make([]float32, s.rows), make([]float32, s.rows)
		mask := make([]float32, s.cols)
		LayerNormRows(s.rows, s.cols, x, gamma, beta, 1e-12, y, mean, rstd)
		// Each goroutine of the backward pass sums its own dγ, dβ; the
		// partial sums are added at the end, as a parallel version would.
		dg, db := make([][]float32, 2), make([][]float32, 2)
		for i := range dg {
			dg[i], db[i] = make([]float32, s.cols), make([]float32, s.cols)
		}
		for _, parts := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/%dx%d/goroutines=%d", s.kind, s.rows, s.cols, parts), func(b *testing.B) {
				cols := s.cols
				var body func(r0, r1 int)
				switch s.kind {
				case "softmax":
					body = func(r0, r1 int) {
						SoftmaxRows(r1-r0, cols, x[r0*cols:r1*cols], mask, y[r0*cols:r1*cols])
					}
				case "layernorm":
					body = func(r0, r1 int) {
						LayerNormRows(r1-r0, cols, x[r0*cols:r1*cols], gamma, beta, 1e-12, y[r0*cols:r1*cols], mean[r0:r1], rstd[r0:r1])
					}
				case "layernorm-backward":
					body = func(r0, r1 int) {
						p := 0
						if r0 > 0 {
							p = 1
						}
						LayerNormBackwardRows(r1-r0, cols, x[r0*cols:r1*cols], gamma, mean[r0:r1], rstd[r0:r1], gy[r0*cols:r1*cols], gx[r0*cols:r1*cols], dg[p], db[p])
					}
				}
				cpu0 := cputime.Process().Seconds()
				b.ResetTimer()
				for range b.N {
					splitRows(s.rows, parts, body)
					if parts == 2 && s.kind == "layernorm-backward" {
						Saxpy(1, dg[1], dg[0])
						Saxpy(1, db[1], db[0])
					}
				}
				elems := float64(b.N * s.rows * s.cols)
				b.ReportMetric(b.Elapsed().Seconds()*1e9/elems, "ns/elem")
				b.ReportMetric((cputime.Process().Seconds()-cpu0)*1e9/elems, "cpu-ns/elem")
			})
		}
	}
}
