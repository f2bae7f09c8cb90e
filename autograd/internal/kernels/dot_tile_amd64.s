//go:build !purego

#include "textflag.h"

// The AVX2 dot-product tile of gemm_dot.go: the 12 dot products of 3 rows
// of A with 4 rows of B, both read in place, 8 elements of k at a time (16
// per loop), in the 16 ymm registers AVX2 has.
//
// Registers:
//   SI  A's row 0; rows 1, 2 at SI + {1, 2}·R9       Y0..Y2   8 floats of A's rows
//   DI  B's row 0; rows 1-3 at DI + {1, 2}·R11, R12  Y3       8 floats of a row of B
//   R9 lda, R11 ldb, R12 3·ldb (bytes)                Y4..Y15  the sums: A's row i with
//   R14 B's row 4: the next tile, prefetched                   B's row j in Y(4+4i+j)
//   CX  pairs of 8-float steps left; BX a last single step

// STEP8 does 8 elements of k at offset off: 3 + 4 loads and 12 FMAs.
#define STEP8(off) \
	VMOVUPS     off(SI), Y0          \
	VMOVUPS     off(SI)(R9*1), Y1    \
	VMOVUPS     off(SI)(R9*2), Y2    \
	VMOVUPS     off(DI), Y3          \
	VFMADD231PS Y3, Y0, Y4           \
	VFMADD231PS Y3, Y1, Y8           \
	VFMADD231PS Y3, Y2, Y12          \
	VMOVUPS     off(DI)(R11*1), Y3   \
	VFMADD231PS Y3, Y0, Y5           \
	VFMADD231PS Y3, Y1, Y9           \
	VFMADD231PS Y3, Y2, Y13          \
	VMOVUPS     off(DI)(R11*2), Y3   \
	VFMADD231PS Y3, Y0, Y6           \
	VFMADD231PS Y3, Y1, Y10          \
	VFMADD231PS Y3, Y2, Y14          \
	VMOVUPS     off(DI)(R12*1), Y3   \
	VFMADD231PS Y3, Y0, Y7           \
	VFMADD231PS Y3, Y1, Y11          \
	VFMADD231PS Y3, Y2, Y15

// PREFETCHB asks for the cache line of the next tile's four rows of B at
// the same offset (see the AVX-512 tile: one tile ahead, into L1).
#define PREFETCHB \
	PREFETCHT0 (R14)         \
	PREFETCHT0 (R14)(R11*1)  \
	PREFETCHT0 (R14)(R11*2)  \
	PREFETCHT0 (R14)(R12*1)

// The 12 sums are added across their lanes together, as in the AVX-512
// tile: every sum in the same order (its halves, element by element, then
// the four floats pairwise), 4 sums per register in the end.
//
// FOLD256 leaves in ya the halves of sums a (ya) and b (yb) added:
// [a.lo + a.hi, b.lo + b.hi].
#define FOLD256(ya, yb) \
	VPERM2F128 $0x20, yb, ya, Y0 \
	VPERM2F128 $0x31, yb, ya, Y1 \
	VADDPS     Y1, Y0, ya

// func dotTile3x4AVX2(k int, a *float32, lda int, b *float32, ldb int, out *float32)
//
// Sum 4·i + j is Σ_p a[i·lda + p]·b[j·ldb + p] over p < k, for i < 3,
// j < 4, k a multiple of 8, kept in 8 lanes (lane l sums the p ≡ l mod 8,
// in order) and then added across them; out (16 floats) receives the sums
// in the order treeOrder in gemm_dot.go describes.
TEXT ·dotTile3x4AVX2(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	SHLQ $2, R9
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R12
	LEAQ (DI)(R11*4), R14
	MOVQ out+40(FP), R8

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	MOVQ CX, BX
	ANDQ $8, BX
	SHRQ $4, CX
	JZ   single

loop:
	STEP8(0)
	STEP8(32)
	PREFETCHB
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R14
	DECQ CX
	JNZ  loop

single:
	TESTQ BX, BX
	JZ    sums
	STEP8(0)

sums:
	FOLD256(Y4, Y5)
	FOLD256(Y6, Y7)
	FOLD256(Y8, Y9)
	FOLD256(Y10, Y11)
	FOLD256(Y12, Y13)
	FOLD256(Y14, Y15)
	VHADDPS Y6, Y4, Y4   // [s0, s2 | s1, s3], each as two partial sums
	VHADDPS Y10, Y8, Y8  // [s4, s6 | s5, s7]
	VHADDPS Y14, Y12, Y12 // [s8, s10 | s9, s11]
	VHADDPS Y8, Y4, Y4   // [s0, s2, s4, s6 | s1, s3, s5, s7]
	VHADDPS Y12, Y12, Y12 // [s8, s10, s8, s10 | s9, s11, s9, s11]
	VMOVUPS Y4, (R8)
	VMOVUPS Y12, 32(R8)
	VZEROUPPER
	RET
