package kernels

import (
	"math/rand"
	"testing"
)

// TestSgemmRow checks the one-row paths (m = 1, A not transposed, B either) through
// Sgemm and sgemmBlocked, at sizes past the small-product cutoff, with
// padded rows of B and C and every kind of alpha and beta (beta = 0 must
// ignore C's NaNs).
func TestSgemmRow(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(3))
		for _, gemm := range []struct {
			name string
			f    func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
		}{{"Sgemm", Sgemm}, {"blocked", guard(sgemmBlocked)}} {
			for _, s := range [][2]float32{{1, 0}, {1, 1}, {-0.5, 0}, {2, -1.5}} {
				for _, n := range []int{1, 33, 1000} {
					for _, k := range []int{1, 31, 64, 257} {
						g := gemmCase{transB: rng.Intn(2) == 0, m: 1, n: n, k: k, padA: rng.Intn(3), padB: rng.Intn(3), padC: rng.Intn(3), alpha: s[0], beta: s[1]}
						t.Run(gemm.name, func(t *testing.T) { g.check(t, rng, gemm.f) })
					}
				}
			}
		}
	})
}
