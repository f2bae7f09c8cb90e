package kernels

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"github.com/turinglab/turinglab/internal/cputime"
)

// BenchmarkParallelGrain is the measurement behind the grains of the
// parallel kernels (vectorGrain, gemmGrain): each kernel's body over n
// units, run serially and forced into two goroutines (four pieces, as
// ParallelFor cuts it), at sizes around the grain. It reports wall and
// process-CPU nanoseconds per element (per m·n·k for the product); the
// split pays where the wall time falls without the CPU time rising by more
// than the overhead.
//
//	go test ./autograd/internal/kernels -run '^$' -bench ParallelGrain -count 3
func BenchmarkParallelGrain(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewSource(1))
	const maxN = 1 << 20
	x, y, z, w := randSlice(rng, maxN), make([]float32, maxN), make([]float32, maxN), randSlice(rng, maxN)
	for i := range w {
		w[i] *= w[i]
	}
	mean, rstd := make([]float32, maxN), make([]float32, maxN)
	const cols = 128
	gamma, beta := randSlice(rng, cols), randSlice(rng, cols)
	adam := AdamStep{Decay: 1, Beta1: 0.9, Beta2: 0.999, OneMinusBeta1: 0.1, OneMinusBeta2: 0.001, BC2Sqrt: 0.1, Eps: 1e-8, StepSize: 1e-3}
	// The product is 128×n×128 (B and C 8192 columns wide); its units are
	// column tiles of 32, each 2^19 m·n·k.
	const ldb = 8192
	a, bm := randSlice(rng, 128*128), randSlice(rng, 128*ldb)
	rowSizes := []int{32, 64, 128, 256, 1024} // units: 4096 to 131072 elements
	elemSizes := []int{256, 512, 1024, 2048, 8192}
	kernels := []struct {
		name   string
		unit   int // elements (m·n·k for the product) per unit of the split
		sizes  []int
		f      func(lo, hi int)
		before func(units int)
	}{
		{"softmax-rows/128", cols, rowSizes, func(lo, hi int) {
			softmaxRange(lo, hi, cols, x, nil, y)
		}, nil},
		{"layernorm-rows/128", cols, rowSizes, func(lo, hi int) {
			layerNormRange(lo, hi, cols, x, gamma, beta, 1e-12, y, mean, rstd)
		}, nil},
		{"layernorm-backward-rows/128", cols, rowSizes, func(lo, hi int) {
			// Each piece sums dγ and dβ of its own rows, as the row blocks of
			// LayerNormBackwardRows do.
			var dg, db [cols]float32
			layerNormBackRange(lo, hi, cols, x, gamma, mean, rstd, w, z, dg[:], db[:])
		}, func(units int) { layerNormRange(0, units, cols, x, gamma, beta, 1e-12, y, mean, rstd) }},
		{"gelu", 16, elemSizes, func(lo, hi int) {
			geluRange(x[lo*16:hi*16], y[lo*16:hi*16], z[lo*16:hi*16])
		}, nil},
		{"adam", 16, elemSizes, func(lo, hi int) {
			adamRange(&adam, y[lo*16:hi*16], x[lo*16:hi*16], z[lo*16:hi*16], w[lo*16:hi*16])
		}, nil},
		{"gemm-128xNx128", 128 * 32 * 128, []int{2, 4, 8, 16, 64}, func(lo, hi int) {
			sgemmBlocked(false, false, 128, (hi-lo)*32, 128, 1, a, 128, bm[lo*32:], ldb, 0, z[lo*32:], ldb)
		}, nil},
	}
	for _, k := range kernels {
		for _, size := range k.sizes {
			units := size
			if k.before != nil {
				k.before(units)
			}
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/units=%d/goroutines=%d", k.name, units, workers), func(b *testing.B) {
					cpu0 := cputime.Process().Seconds()
					for range b.N {
						if workers == 1 {
							k.f(0, units)
						} else {
							runPlan(parallelPlan{workers: 2, pieces: min(units, 2*piecesPerWorker)}, units, k.f)
						}
					}
					elems := float64(units*k.unit) * float64(b.N)
					b.ReportMetric(b.Elapsed().Seconds()*1e9/elems, "ns/elem")
					b.ReportMetric((cputime.Process().Seconds()-cpu0)*1e9/elems, "cpu-ns/elem")
				})
			}
		}
	}
}
