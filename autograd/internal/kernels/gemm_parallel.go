package kernels

import (
	"fmt"
)

// gemmGrain is the least work, in m·n·k, of one piece of a product split
// over goroutines: about 8 µs at 250 GFLOP/s. BenchmarkParallelGrain on a
// 128×n×128 product split over two goroutines, since parallel calls run
// on spinning helpers (parallel_pool.go): the CPU time rises by 24 % at
// 2^20 m·n·k, 11 % at 2^21 and 2 % at 2^22, while the wall time falls
// 1.6×, 1.75× and 1.95× (with a goroutine started per call it had risen
// by 35 % at 2^21 and 28 % at 2^22, and the grain was 2^22). Products
// under two grains (2^21) run serially.
const gemmGrain = 1 << 20

// SetThreads caps the goroutines that Sgemm, SgemmBatched and the other
// parallel kernels may use for one call at n, and returns the previous cap;
// 0, the default, means GOMAXPROCS. The results do not depend on it (see
// parallel.go). It panics if n < 0.
func SetThreads(n int) int {
	if n < 0 {
		panic(fmt.Sprintf("kernels.SetThreads: n = %d, want ≥ 0 (0: GOMAXPROCS)", n))
	}
	return int(maxThreads.Swap(int32(n)))
}

// sgemmSplit runs a large product as pieces of whole register tiles of C on
// several goroutines: blocks of columns (nr wide) or of rows (mr high),
// along whichever dimension has more tiles. The pieces of C are disjoint and
// every element is summed over all of k in one piece, in the same order as
// by the serial loops, so no synchronisation is needed beyond the final wait
// and the result is the serial one bit for bit. It reports false, doing
// nothing, when the product is too small to split or only one goroutine may
// run.
func sgemmSplit(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if m*n*k < 2*gemmGrain || procs() < 2 {
		return false
	}
	g := gemmFor()
	colTiles, rowTiles := (n+g.nr-1)/g.nr, (m+g.mr-1)/g.mr
	if colTiles >= rowTiles {
		perTile := m * g.nr * k
		ParallelFor(colTiles, (gemmGrain+perTile-1)/perTile, func(t0, t1 int) {
			j0, j1 := t0*g.nr, min(t1*g.nr, n)
			bOff := j0 * ldb // op(B) columns j0.. are rows of B when transposed
			if !transB {
				bOff = j0
			}
			sgemmBlocked(transA, transB, m, j1-j0, k, alpha, a, lda, b[bOff:], ldb, beta, c[j0:], ldc)
		})
		return true
	}
	// A piece of a few rows takes the whole product's path, not the one
	// its own row count would choose (gemm_row.go, gemm_dot.go): that is
	// what keeps the result the serial one. (Pieces of columns keep m, and
	// with it the path.)
	dots := g.takesDots(transA, transB, m, k)
	perTile := g.mr * n * k
	ParallelFor(rowTiles, (gemmGrain+perTile-1)/perTile, func(t0, t1 int) {
		i0, i1 := t0*g.mr, min(t1*g.mr, m)
		aOff := i0 * lda // op(A) rows i0.. are columns of A when transposed
		if transA {
			aOff = i0
		}
		if dots {
			sgemmDots(g, i1-i0, n, k, alpha, a[aOff:], lda, b, ldb, beta, c[i0*ldc:], ldc)
		} else {
			sgemmBlockedLoops(g, transA, transB, i1-i0, n, k, alpha, a[aOff:], lda, b, ldb, beta, c[i0*ldc:], ldc)
		}
	})
	return true
}

// sgemmBatch runs batch products, the i-th on A at offA[i] (or i·strideA
// when offA is nil), B at offB[i] (or i·strideB) and C at offC[i] (or
// i·strideC). When
// there are at least as many products as goroutines and enough work, whole
// products are the pieces (attention: one per sequence and head);
// otherwise they run one after another, each split on its own if it is
// large.
func sgemmBatch(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, offA []int, strideA int, b []float32, ldb int, offB []int, strideB int, beta float32, c []float32, ldc int, offC []int, strideC, batch int) {
	at := func(off []int, stride, i int) int {
		if off != nil {
			return off[i]
		}
		return i * stride
	}
	work := max(1, m*n*k)
	if p := procs(); batch >= p && p > 1 && batch*work >= 2*gemmGrain {
		ParallelFor(batch, (gemmGrain+work-1)/work, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				sgemmSerial(transA, transB, m, n, k, alpha, a[at(offA, strideA, i):], lda, b[at(offB, strideB, i):], ldb, beta, c[at(offC, strideC, i):], ldc)
			}
		})
		return
	}
	for i := range batch {
		sgemm(transA, transB, m, n, k, alpha, a[at(offA, strideA, i):], lda, b[at(offB, strideB, i):], ldb, beta, c[at(offC, strideC, i):], ldc)
	}
}
