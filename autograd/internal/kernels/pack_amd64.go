//go:build !purego

package kernels

// Declarations of the packing routines in pack_amd64.s.

// packB16AVX copies kb rows of 16 floats, ldb apart in src, contiguously to
// dst, prefetching each row `ahead` bytes further on (pack_amd64.s).
//
//go:noescape
func packB16AVX(kb int, src *float32, ldb int, dst *float32, ahead int)

// packB16Asm checks the slice bounds, then packs with packB16AVX, prefetching
// four panels ahead (one to eight measured alike on the MLM-logits shape).
func packB16Asm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(kb-1)*ldb+nr-1]
	_ = dst[kb*nr-1]
	packB16AVX(kb, &src[0], ldb, &dst[0], 4*nr*4)
}

// packB16TAVX packs one micro-panel of a transposed B (pack_amd64.s):
// dst[p·16 + c] = src[c·ldb + p] for p < kb, c < 16; kb a multiple of 8.
//
//go:noescape
func packB16TAVX(kb int, src *float32, ldb int, dst *float32)

// packB16TAsm checks the slice bounds, packs the first kb rounded down to a
// multiple of 8 rows with packB16TAVX and the rest in Go.
func packB16TAsm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(nr-1)*ldb+kb-1]
	_ = dst[kb*nr-1]
	k8 := kb &^ 7
	if k8 > 0 {
		packB16TAVX(k8, &src[0], ldb, &dst[0])
	}
	if k8 < kb {
		packB16TGo(kb-k8, src[k8:], ldb, dst[k8*nr:])
	}
}
