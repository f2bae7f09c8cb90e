package kernels

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/turinglab/turinglab/internal/cputime"
	"github.com/turinglab/turinglab/internal/simd"
)

// benchShapes are the products BENCHMARKS.md reports, as M×K×N (A is M×K, B
// is K×N): a square reference, a BERT-base projection for one sequence, a
// BERT-small projection for a batch of tokens, and MLM logits over the vocab.
var benchShapes = [][3]int{{512, 512, 512}, {128, 768, 768}, {4096, 128, 128}, {32, 128, 30522}}

// benchGemm times gemm on each shape (C = A·B, all row-major) and reports
// GFLOP/s = 2·M·N·K per product per second of wall time, and cpu-GFLOP/s per
// second of this process's CPU time (see processCPUSeconds).
func benchGemm(b *testing.B, gemm func(m, n, k int, a, bm, c []float32)) {
	benchGemmShapes(b, benchShapes, gemm)
}

// benchGemmShapes is benchGemm on the given M×K×N shapes.
func benchGemmShapes(b *testing.B, shapes [][3]int, gemm func(m, n, k int, a, bm, c []float32)) {
	for _, s := range shapes {
		m, k, n := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("%dx%dx%d", m, k, n), func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			a, bm, c := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n)
			gemm(m, n, k, a, bm, c) // warm the caches and the buffer pool
			b.ResetTimer()
			cpu0 := cputime.Process().Seconds()
			for range b.N {
				gemm(m, n, k, a, bm, c)
			}
			flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
				b.ReportMetric(flops/cpu/1e9, "cpu-GFLOP/s")
			}
		})
	}
}

// BenchmarkMatMul measures Sgemm (single goroutine) on the shapes above.
func BenchmarkMatMul(b *testing.B) {
	benchGemm(b, func(m, n, k int, a, bm, c []float32) {
		Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n)
	})
}

// BenchmarkMatMulGo measures Sgemm with the portable Go micro-kernel.
func BenchmarkMatMulGo(b *testing.B) {
	defer setLevel(simd.Go)()
	BenchmarkMatMul(b)
}

// BenchmarkGonumSgemm measures gonum's pure-Go Sgemm on the same shapes, in
// the same run, as the baseline. GOMAXPROCS is set to 1 for its duration,
// since gonum would otherwise split large products over goroutines.
func BenchmarkGonumSgemm(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var impl gonum.Implementation
	benchGemm(b, func(m, n, k int, a, bm, c []float32) {
		impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, bm, n, 0, c, n)
	})
}

// BenchmarkMicroKernel measures the micro-kernels of every level alone on
// packed panels of depth kc that sit in L1: the ceiling the blocked GEMM can
// approach. The narrow kernel (4×16, 8×32) is measured beside the full one
// (6×16, 12×32), since the blocked loops use it for the last rows of a block.
func BenchmarkMicroKernel(b *testing.B) {
	for _, l := range simd.Supported() {
		g := gemmForLevel(l)
		for _, rows := range []int{g.mr, g.mrNarrow} {
			b.Run(fmt.Sprintf("%v/%dx%d", l, rows, g.nr), func(b *testing.B) {
				kernel := g.full
				if rows == g.mrNarrow {
					kernel = g.narrow
				}
				mr, nr, kc := g.mr, g.nr, g.kc
				rng := rand.New(rand.NewSource(1))
				a, bp, c := randSlice(rng, kc*mr), randSlice(rng, kc*nr), make([]float32, mr*nr)
				b.ResetTimer()
				cpu0 := cputime.Process().Seconds()
				for range b.N {
					kernel(kc, a, 1, mr, bp, nr, c, nr, 1, 1)
				}
				flops := 2 * float64(rows*nr*kc) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
					b.ReportMetric(flops/cpu/1e9, "cpu-GFLOP/s")
				}
			})
		}
	}
}

// BenchmarkEdgeTile measures one partial tile at the right and bottom edge
// of C on packed panels of depth kc in L1, for the levels with edge kernels:
// the edge kernel writing C in place under opmasks ("masked") against the
// full kernel into a scratch tile merged into C ("merged", what the levels
// without edge kernels do), for tails of 1, 4, 16 and 31 columns and, at 4
// columns, of fewer rows than the kernel's height; beta = 1. It reports
// ns per tile.
func BenchmarkEdgeTile(b *testing.B) {
	for _, l := range simd.Supported() {
		g := gemmForLevel(l)
		if g.fullEdge == nil {
			continue
		}
		for _, s := range [][3]int{ // height, rows, cols
			{g.mr, g.mr, 1}, {g.mr, g.mr, 4}, {g.mr, g.mr, 16}, {g.mr, g.mr, g.nr - 1},
			{g.mr, g.mr - 1, 4}, {g.mrNarrow, g.mrNarrow - 1, 4}, {g.mrNarrow, 1, 4},
		} {
			h, rows, cols := s[0], s[1], s[2]
			kernel, edge := g.full, g.fullEdge
			if h == g.mrNarrow {
				kernel, edge = g.narrow, g.narrowEdge
			}
			mr, nr, kc := g.mr, g.nr, g.kc
			rng := rand.New(rand.NewSource(1))
			a, bp := randSlice(rng, kc*mr), randSlice(rng, kc*nr)
			const ldc = 1000 // C is a wider matrix: rows ldc apart
			c, tile := randSlice(rng, (rows-1)*ldc+cols), make([]float32, mr*nr)
			name := fmt.Sprintf("%v/%dx%d/%drows/%dcols", l, h, nr, rows, cols)
			b.Run(name+"/masked", func(b *testing.B) {
				cpu0 := cputime.Process().Seconds()
				for range b.N {
					edge(kc, a, 1, mr, bp, nr, c, ldc, 1, 1, 0, rows, cols)
				}
				reportCPUPerOp(b, cpu0)
			})
			b.Run(name+"/merged", func(b *testing.B) {
				cpu0 := cputime.Process().Seconds()
				for range b.N {
					kernel(kc, a, 1, mr, bp, nr, tile, nr, 1, 0)
					mergeTile(rows, cols, nr, tile, 1, 1, c, ldc)
				}
				reportCPUPerOp(b, cpu0)
			})
		}
	}
}

// reportCPUPerOp reports the process's CPU time per operation since cpu0
// (seconds, from cputime.Process), in ns: on a loaded machine, steadier
// than the wall time of ns/op.
func reportCPUPerOp(b *testing.B, cpu0 float64) {
	if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)*1e9, "cpu-ns/op")
	}
}

// BenchmarkMatMulLayouts measures the transposed layouts that autograd's
// forward and backward passes use (A·Bᵀ for a Linear layer with PyTorch's
// out×in weights and for dX, Aᵀ·B for dW) beside the plain one, on the same
// shapes as BenchmarkMatMul.
func BenchmarkMatMulLayouts(b *testing.B) {
	for _, l := range []struct {
		name           string
		transA, transB bool
	}{{"NN", false, false}, {"NT", false, true}, {"TN", true, false}, {"TT", true, true}} {
		b.Run(l.name, func(b *testing.B) {
			benchGemm(b, func(m, n, k int, a, bm, c []float32) {
				lda, ldb := k, n
				if l.transA {
					lda = m
				}
				if l.transB {
					ldb = k
				}
				Sgemm(l.transA, l.transB, m, n, k, 1, a, lda, bm, ldb, 0, c, n)
			})
		})
	}
}

// edgeShapes are products with column tails and row tails, as M×K×N: 48,
// 100, 200, 130 and 125 columns leave tails of 16, 4, 8, 2 and 29 columns of
// a 32-column tile (0, 4, 8, 2 and 13 of a 16-column one); 125 and 29 rows
// end in a narrow tile of 5 rows (12-row tiles: 10·12 + 5, 2·12 + 5) or a
// 5-row tail of a 6-row one; the other row counts are cut exactly by the
// 12×32 and 8×32 tiles (32 = 12+12+8, 100 = 7·12 + 8 + 8), and 29×256×96
// has no column tail.
var edgeShapes = [][3]int{{32, 48, 48}, {100, 100, 100}, {48, 64, 200}, {4096, 128, 130}, {125, 128, 125}, {29, 256, 96}}

// BenchmarkMatMulEdges measures products whose tiles at the bottom and right
// edges are partial (edgeShapes), in the layouts of a Linear layer's forward
// pass (NT) and the plain one (NN).
func BenchmarkMatMulEdges(b *testing.B) {
	for _, l := range []struct {
		name   string
		transB bool
	}{{"NN", false}, {"NT", true}} {
		b.Run(l.name, func(b *testing.B) {
			benchGemmShapes(b, edgeShapes, func(m, n, k int, a, bm, c []float32) {
				ldb := n
				if l.transB {
					ldb = k
				}
				Sgemm(false, l.transB, m, n, k, 1, a, k, bm, ldb, 0, c, n)
			})
		})
	}
}

// BenchmarkSmallVsBlocked compares the direct loops with the packed path on
// small cubes, the measurement behind the smallGemm threshold.
func BenchmarkSmallVsBlocked(b *testing.B) {
	for _, s := range []int{4, 8, 12, 16, 24, 32, 48} {
		rng := rand.New(rand.NewSource(1))
		a, bm, c := randSlice(rng, s*s), randSlice(rng, s*s), make([]float32, s*s)
		for _, p := range []struct {
			name string
			gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
		}{{"small", sgemmSmall}, {"blocked", sgemmBlocked}} {
			for _, tB := range []bool{false, true} {
				b.Run(fmt.Sprintf("%s/transB=%v/%d", p.name, tB, s), func(b *testing.B) {
					cpu0 := cputime.Process().Seconds()
					for range b.N {
						p.gemm(false, tB, s, s, s, 1, a, s, bm, s, 0, c, s)
					}
					flops := 2 * float64(s*s*s) * float64(b.N)
					b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
						b.ReportMetric(flops/cpu/1e9, "cpu-GFLOP/s")
					}
				})
			}
		}
	}
}
