//go:build !purego

package kernels

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/turinglab/turinglab/internal/cputime"
	"github.com/turinglab/turinglab/internal/simd"
)

// TestGroupedKernelsMatchGeneral checks that the grouped AVX2 kernels give the
// general kernel's bits, for both layouts of A, every k from 1 to 9 (groups
// of four and the steps after them), beta 0 and 1, and a B read in place
// (ldb wider than a panel) as well as a packed one.
func TestGroupedKernelsMatchGeneral(t *testing.T) {
	if !slices.Contains(simd.Supported(), simd.AVX2) {
		t.Skip("no AVX2 on this CPU: the grouped kernels are never called")
	}
	rng := rand.New(rand.NewSource(7))
	for k := 1; k <= 9; k++ {
		for _, ldb := range []int{nr, 3 * nr} {
			for _, beta := range []float32{0, 1} {
				for _, layout := range []struct {
					name   string
					rs, ps int
					kernel func(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
				}{
					{"row-major A", k, 1, kernel6x16AVX2RowA},
					{"packed A", 1, mr, kernel6x16AVX2PackedA},
				} {
					a, b := randSlice(rng, mr*k), randSlice(rng, k*ldb)
					c0 := randSlice(rng, mr*nr)
					want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
					kernel6x16AVX2(k, &a[0], layout.rs, layout.ps, &b[0], ldb, &want[0], nr, 0.5, beta)
					layout.kernel(k, &a[0], layout.rs, layout.ps, &b[0], ldb, &got[0], nr, 0.5, beta)
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("%s, k %d, ldb %d, beta %v: C[%d] = %v, the general kernel gives %v", layout.name, k, ldb, beta, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// BenchmarkMicroKernelGrouping measures the grouped AVX2 kernels against the
// general one (kernel6x16AVX2, which moves its pointers after every step of
// k) on the same panels in L1, for A packed and A read in place: whether
// issuing fewer instructions per step pays on this CPU. It pays where the
// general kernel's 24 instructions per six cycles of FMAs fill the core's
// issue width (four per cycle on Skylake); on Zen 5, which issues eight,
// both run at the FMA pipes' speed.
func BenchmarkMicroKernelGrouping(b *testing.B) {
	if !slices.Contains(simd.Supported(), simd.AVX2) {
		b.Skip("no AVX2 on this CPU")
	}
	type kernelFunc func(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
	for _, layout := range []struct {
		name   string
		rs, ps int
		kernel kernelFunc
	}{
		{"packed-A", 1, mr, kernel6x16AVX2PackedA},
		{"row-major-A", kc, 1, kernel6x16AVX2RowA},
	} {
		for _, v := range []struct {
			name   string
			kernel kernelFunc
		}{{"grouped", layout.kernel}, {"general", kernel6x16AVX2}} {
			b.Run(layout.name+"/"+v.name, func(b *testing.B) {
				rng := rand.New(rand.NewSource(1))
				a, bp, c := randSlice(rng, kc*mr), randSlice(rng, kc*nr), make([]float32, mr*nr)
				b.ResetTimer()
				cpu0 := cputime.Process().Seconds()
				for range b.N {
					v.kernel(kc, &a[0], layout.rs, layout.ps, &bp[0], nr, &c[0], nr, 1, 1)
				}
				flops := 2 * float64(mr*nr*kc) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
					b.ReportMetric(flops/cpu/1e9, "cpu-GFLOP/s")
				}
			})
		}
	}
}
