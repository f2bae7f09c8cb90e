package kernels

import (
	"math/rand"
	"testing"
)

// TestPackB16 checks the packing routines of full B micro-panels, assembly
// and Go, against their definition on several depths and strides.
func TestPackB16(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for _, kb := range []int{1, 3, 7, 8, 9, 16, 17, 64, 255, 256} {
		for _, extra := range []int{0, 1, 5} {
			// Row-major B: kb rows of at least 16 floats.
			ldb := nr + extra
			src := randSlice(rng, (kb-1)*ldb+nr)
			// Transposed B: 16 rows of at least kb floats.
			ldbT := kb + extra
			srcT := randSlice(rng, (nr-1)*ldbT+kb)
			for _, asm := range []bool{false, true} {
				if asm && !haveAsmKernel {
					continue
				}
				forceGo = !asm
				got, gotT := make([]float32, kb*nr), make([]float32, kb*nr)
				packB16()(kb, src, ldb, got)
				packB16T()(kb, srcT, ldbT, gotT)
				forceGo = false
				for p := 0; p < kb; p++ {
					for c := 0; c < nr; c++ {
						if want := src[p*ldb+c]; got[p*nr+c] != want {
							t.Fatalf("packB16 asm=%v kb=%d ldb=%d: [%d][%d] = %g, want %g", asm, kb, ldb, p, c, got[p*nr+c], want)
						}
						if want := srcT[c*ldbT+p]; gotT[p*nr+c] != want {
							t.Fatalf("packB16T asm=%v kb=%d ldb=%d: [%d][%d] = %g, want %g", asm, kb, ldbT, p, c, gotT[p*nr+c], want)
						}
					}
				}
			}
		}
	}
}
