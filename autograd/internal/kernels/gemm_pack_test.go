package kernels

import (
	"math/rand"
	"testing"
)

// TestPackBPanels checks the packing routines of full B micro-panels of
// every level (16 columns for Go and AVX2, 32 for AVX-512) against their
// definition on several depths and strides.
func TestPackBPanels(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		nr := g.nr
		rng := rand.New(rand.NewSource(6))
		for _, kb := range []int{1, 3, 7, 8, 9, 16, 17, 64, 255, 256} {
			for _, extra := range []int{0, 1, 5} {
				// Row-major B: kb rows of at least nr floats.
				ldb := nr + extra
				src := randSlice(rng, (kb-1)*ldb+nr)
				// Transposed B: nr rows of at least kb floats.
				ldbT := kb + extra
				srcT := randSlice(rng, (nr-1)*ldbT+kb)
				got, gotT := make([]float32, kb*nr), make([]float32, kb*nr)
				g.packB(kb, src, ldb, got)
				g.packBT(kb, srcT, ldbT, gotT)
				for p := 0; p < kb; p++ {
					for c := 0; c < nr; c++ {
						if want := src[p*ldb+c]; got[p*nr+c] != want {
							t.Fatalf("packB kb=%d ldb=%d: [%d][%d] = %g, want %g", kb, ldb, p, c, got[p*nr+c], want)
						}
						if want := srcT[c*ldbT+p]; gotT[p*nr+c] != want {
							t.Fatalf("packBT kb=%d ldb=%d: [%d][%d] = %g, want %g", kb, ldbT, p, c, gotT[p*nr+c], want)
						}
					}
				}
			}
		}
	})
}
