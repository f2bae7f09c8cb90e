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
	for _, s := range benchShapes {
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
