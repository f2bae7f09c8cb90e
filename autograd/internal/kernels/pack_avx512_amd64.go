//go:build !purego

package kernels

// Declarations of the packing routines in pack_avx512_amd64.s, for the
// 32-column micro-panels of the AVX-512 GEMM.

// packB32AVX512 copies kb rows of 32 floats, ldb apart in src, contiguously
// to dst, prefetching each row `ahead` bytes further on.
//
//go:noescape
func packB32AVX512(kb int, src *float32, ldb int, dst *float32, ahead int)

// packB32Asm checks the slice bounds, then packs with packB32AVX512,
// prefetching four panels ahead as packB16Asm does.
func packB32Asm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(kb-1)*ldb+nr512-1]
	_ = dst[kb*nr512-1]
	packB32AVX512(kb, &src[0], ldb, &dst[0], 4*nr512*4)
}

// packB32TAVX2 packs one 32-column micro-panel of a transposed B:
// dst[p·32 + c] = src[c·ldb + p] for p < kb, c < 32; kb a multiple of 8. (The
// 8×8 transposes are AVX2's; the panel is AVX-512's.)
//
//go:noescape
func packB32TAVX2(kb int, src *float32, ldb int, dst *float32)

// packB32TAsm checks the slice bounds, packs the first kb rounded down to a
// multiple of 8 rows with packB32TAVX2 and the rest in Go.
func packB32TAsm(kb int, src []float32, ldb int, dst []float32) {
	_ = src[(nr512-1)*ldb+kb-1]
	_ = dst[kb*nr512-1]
	k8 := kb &^ 7
	if k8 > 0 {
		packB32TAVX2(k8, &src[0], ldb, &dst[0])
	}
	if k8 < kb {
		packBTPartial(src[k8:], ldb, kb-k8, nr512, nr512, dst[k8*nr512:])
	}
}
