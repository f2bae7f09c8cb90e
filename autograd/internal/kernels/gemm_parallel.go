package kernels

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// threads is the number of goroutines a large product is split over; see
// SetThreads.
var threads atomic.Int32

func init() { threads.Store(1) }

// parallelMin is the smallest m·n·k worth splitting: below it (about 1 ms of
// work at 30 GFLOP/s) starting and joining goroutines costs a visible share.
const parallelMin = 1 << 24

// SetThreads sets how many goroutines Sgemm and SgemmBatched may split one
// large product over (by columns of C, or rows when C is narrow), and returns
// the previous setting. The default is 1: on the development machine the two
// vCPUs share one core's floating-point units, and the reference timings
// (OpenBLAS, PyTorch) are single-threaded. BENCHMARKS.md records what two
// goroutines gave there. It panics if n < 1.
func SetThreads(n int) int {
	if n < 1 {
		panic(fmt.Sprintf("kernels.SetThreads: n = %d, want ≥ 1", n))
	}
	return int(threads.Swap(int32(n)))
}

// sgemmSplit runs the product on parts goroutines, each computing a block of
// whole micro-tiles of C: column blocks when C is wide enough, row blocks
// otherwise. The blocks of C are disjoint, so no synchronisation is needed
// beyond the final wait. It reports false, doing nothing, when the product is
// too small or too narrow to split.
func sgemmSplit(parts int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if parts < 2 || m*n*k < parallelMin {
		return false
	}
	nr, mr := gemmFor().nr, gemmFor().mr
	var wg sync.WaitGroup
	switch {
	case n >= 2*nr*parts:
		step := roundUp((n+parts-1)/parts, nr)
		for j0 := 0; j0 < n; j0 += step {
			nb := min(step, n-j0)
			bOff := j0 * ldb // op(B) columns j0.. are rows of B when transposed
			if !transB {
				bOff = j0
			}
			wg.Go(func() {
				sgemmBlocked(transA, transB, m, nb, k, alpha, a, lda, b[bOff:], ldb, beta, c[j0:], ldc)
			})
		}
	case m >= 2*mr*parts:
		step := roundUp((m+parts-1)/parts, mr)
		for i0 := 0; i0 < m; i0 += step {
			mb := min(step, m-i0)
			aOff := i0 * lda // op(A) rows i0.. are columns of A when transposed
			if transA {
				aOff = i0
			}
			wg.Go(func() {
				sgemmBlocked(transA, transB, mb, n, k, alpha, a[aOff:], lda, b, ldb, beta, c[i0*ldc:], ldc)
			})
		}
	default:
		return false
	}
	wg.Wait()
	return true
}
