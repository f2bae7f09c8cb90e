//go:build openblas && cgo

package kernels

import (
	"math/rand"
	"testing"

	"github.com/turinglab/turinglab/autograd/internal/kernels/openblas"
)

// TestOpenBLASReference checks the cgo binding itself against the float64
// reference, so that the benchmark below compares like with like.
func TestOpenBLASReference(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		g := gemmCase{transA: tr[0], transB: tr[1], m: 33, n: 65, k: 129, padA: 1, padB: 2, padC: 3, alpha: 1.5, beta: 0.5}
		g.check(t, rng, openblas.Sgemm)
	}
}

// BenchmarkOpenBLASSgemm measures OpenBLAS's cblas_sgemm, single-threaded, on
// the shapes of BenchmarkMatMul, in the same run (go test -tags openblas).
func BenchmarkOpenBLASSgemm(b *testing.B) {
	openblas.SetThreads(1)
	benchGemm(b, func(m, n, k int, a, bm, c []float32) {
		openblas.Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n)
	})
}
