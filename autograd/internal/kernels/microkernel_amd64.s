//go:build !purego

#include "textflag.h"

// The AVX2+FMA micro-kernel: C(6×16) = alpha·A·B + beta·C, A read with
// strides: element (r, p) at a + 4·(r·rs + p·ps), and B's row p (16 floats)
// at b + 4·p·ldb. A packed panel of A has rs = 1, ps = 6; rows of a row-major
// A used in place have rs = lda, ps = 1. A packed panel of B has ldb = 16;
// a row-major B read in place has its own ldb.
//
// Registers:
//   SI  A rows 0-2 at SI, SI+R10, SI+2·R10     Y0, Y1  one row of B (16 floats)
//   R12 A rows 3-5 at R12, R12+R10, R12+2·R10  Y2, Y3  A[r] broadcast to 8 lanes
//   R10 rs in bytes, R11 ps in bytes           Y4..Y15 the 6×16 tile of C:
//   DI  B's next row, R13 ldb in bytes                 row r is Y(4+2r), Y(5+2r)
//   R14 prefetch distance in bytes (see PREFETCHB)
//   DX  C, row r at DX + r·R8; R8 ldc in bytes
//   CX  steps of k left
//
// Each step of k loads one row of B and six elements of A and does twelve
// 8-wide fused multiply-adds (192 flops); twelve independent accumulators
// cover the FMA latency of two pipes.

// STEP does one step of k with B's row at DI, then moves A on by one column
// and B on by one row, asking for the line R14 bytes past the start of the
// row it reads (a prefetch past the end of B is harmless: it never faults).
#define STEP \
	PREFETCHT0   (DI)(R14*1)         \
	VMOVUPS      (DI), Y0            \
	VMOVUPS      32(DI), Y1          \
	ADDQ         R13, DI             \
	VBROADCASTSS (SI), Y2            \
	VBROADCASTSS (SI)(R10*1), Y3     \
	VFMADD231PS  Y0, Y2, Y4          \
	VFMADD231PS  Y1, Y2, Y5          \
	VFMADD231PS  Y0, Y3, Y6          \
	VFMADD231PS  Y1, Y3, Y7          \
	VBROADCASTSS (SI)(R10*2), Y2     \
	VBROADCASTSS (R12), Y3           \
	VFMADD231PS  Y0, Y2, Y8          \
	VFMADD231PS  Y1, Y2, Y9          \
	VFMADD231PS  Y0, Y3, Y10         \
	VFMADD231PS  Y1, Y3, Y11         \
	VBROADCASTSS (R12)(R10*1), Y2    \
	VBROADCASTSS (R12)(R10*2), Y3    \
	VFMADD231PS  Y0, Y2, Y12         \
	VFMADD231PS  Y1, Y2, Y13         \
	VFMADD231PS  Y0, Y3, Y14         \
	VFMADD231PS  Y1, Y3, Y15         \
	ADDQ         R11, SI             \
	ADDQ         R11, R12

// PREFETCHB sets R14, the distance ahead of the row of B being read at which
// each step prefetches. In a packed panel (ldb = 16 floats, 64 bytes) it is
// 384 bytes: six rows further down the panel. In a row-major B read in place
// it is 256 bytes: the same row, four panels to the right, which a later
// panel will read. (B's rows are then in different pages, a pattern the
// hardware prefetchers do not follow; the first tile of each panel would
// otherwise wait on memory for every row.)
#define PREFETCHB \
	MOVQ $256, R14   \
	CMPQ R13, $64    \
	JNE  2(PC)       \
	MOVQ $384, R14

// STOREROW writes row accumulators lo, hi to C at DX (C = acc, already scaled).
#define STOREROW(lo, hi) \
	VMOVUPS lo, (DX)   \
	VMOVUPS hi, 32(DX) \
	ADDQ    R8, DX

// BETAROW does C = acc + beta·C for one row, with beta in Y1.
#define BETAROW(lo, hi) \
	VMOVUPS     (DX), Y2      \
	VMOVUPS     32(DX), Y3    \
	VFMADD231PS Y2, Y1, lo    \
	VFMADD231PS Y3, Y1, hi    \
	VMOVUPS     lo, (DX)      \
	VMOVUPS     hi, 32(DX)    \
	ADDQ        R8, DX

// func kernel6x16AVX2(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernel6x16AVX2(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R10
	SHLQ $2, R10
	MOVQ ps+24(FP), R11
	SHLQ $2, R11
	LEAQ (R10)(R10*2), R12
	ADDQ SI, R12
	MOVQ b+32(FP), DI
	MOVQ ldb+40(FP), R13
	SHLQ $2, R13
	PREFETCHB
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R8

	// Ask for the tile of C now, so it has arrived by the time it is
	// updated: six rows of 64 bytes, each possibly across two cache lines.
	MOVQ       DX, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)

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

	// Four steps of k per iteration, then the remainder one at a time.
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JZ   tail

loop4:
	STEP
	STEP
	STEP
	STEP
	DECQ BX
	JNZ  loop4

tail:
	TESTQ CX, CX
	JZ    done

loop1:
	STEP
	DECQ CX
	JNZ  loop1

done:
	// Scale by alpha.
	VBROADCASTSS alpha+64(FP), Y0
	VMULPS Y0, Y4, Y4
	VMULPS Y0, Y5, Y5
	VMULPS Y0, Y6, Y6
	VMULPS Y0, Y7, Y7
	VMULPS Y0, Y8, Y8
	VMULPS Y0, Y9, Y9
	VMULPS Y0, Y10, Y10
	VMULPS Y0, Y11, Y11
	VMULPS Y0, Y12, Y12
	VMULPS Y0, Y13, Y13
	VMULPS Y0, Y14, Y14
	VMULPS Y0, Y15, Y15

	// beta = 0: overwrite C without reading it (it may hold NaN).
	MOVSS   beta+68(FP), X1
	VXORPS  X2, X2, X2
	UCOMISS X2, X1
	JNE     withbeta
	JPS     withbeta // unordered: beta is NaN, which must propagate

	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	STOREROW(Y12, Y13)
	STOREROW(Y14, Y15)
	VZEROUPPER
	RET

withbeta:
	VBROADCASTSS beta+68(FP), Y1
	BETAROW(Y4, Y5)
	BETAROW(Y6, Y7)
	BETAROW(Y8, Y9)
	BETAROW(Y10, Y11)
	BETAROW(Y12, Y13)
	BETAROW(Y14, Y15)
	VZEROUPPER
	RET

// The narrow micro-kernel: C(4×16) = alpha·A·B + beta·C, with the same
// arguments and strides as kernel6x16AVX2. The blocked loops use it for the
// last rows of a block when they are not a multiple of six (see
// rowTileHeight in gemm_blocked.go): a block of 32 rows then runs as five
// 6-row tiles and two 4-row tiles instead of six 6-row tiles, the last with
// four rows of padding.
//
// Registers:
//   SI  A rows 0-2 at SI, SI+R10, SI+2·R10     Y0, Y1  one row of B (16 floats)
//   R12 A row 3 at R12                         Y2, Y3  A[r] broadcast to 8 lanes
//   R10 rs in bytes, R11 ps in bytes           Y4..Y11 the 4×16 tile of C:
//   DI  B's next row, R13 ldb in bytes                 row r is Y(4+2r), Y(5+2r)
//   R14 prefetch distance in bytes (see PREFETCHB)
//   DX  C, row r at DX + r·R8; R8 ldc in bytes
//   CX  steps of k left
//
// Each step of k loads one row of B and four elements of A and does eight
// 8-wide fused multiply-adds (128 flops); eight independent accumulators
// are just enough to cover the FMA latency of two pipes.

// STEP4 does one step of k of the 4×16 tile, as STEP does.
#define STEP4 \
	PREFETCHT0   (DI)(R14*1)         \
	VMOVUPS      (DI), Y0            \
	VMOVUPS      32(DI), Y1          \
	ADDQ         R13, DI             \
	VBROADCASTSS (SI), Y2            \
	VBROADCASTSS (SI)(R10*1), Y3     \
	VFMADD231PS  Y0, Y2, Y4          \
	VFMADD231PS  Y1, Y2, Y5          \
	VFMADD231PS  Y0, Y3, Y6          \
	VFMADD231PS  Y1, Y3, Y7          \
	VBROADCASTSS (SI)(R10*2), Y2     \
	VBROADCASTSS (R12), Y3           \
	VFMADD231PS  Y0, Y2, Y8          \
	VFMADD231PS  Y1, Y2, Y9          \
	VFMADD231PS  Y0, Y3, Y10         \
	VFMADD231PS  Y1, Y3, Y11         \
	ADDQ         R11, SI             \
	ADDQ         R11, R12

// func kernel4x16AVX2(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernel4x16AVX2(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R10
	SHLQ $2, R10
	MOVQ ps+24(FP), R11
	SHLQ $2, R11
	LEAQ (R10)(R10*2), R12
	ADDQ SI, R12
	MOVQ b+32(FP), DI
	MOVQ ldb+40(FP), R13
	SHLQ $2, R13
	PREFETCHB
	MOVQ c+48(FP), DX
	MOVQ ldc+56(FP), R8
	SHLQ $2, R8

	// Ask for the four rows of the tile of C now (see kernel6x16AVX2).
	MOVQ       DX, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)
	ADDQ       R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 60(R9)

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	// Four steps of k per iteration, then the remainder one at a time.
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JZ   tail4

loop44:
	STEP4
	STEP4
	STEP4
	STEP4
	DECQ BX
	JNZ  loop44

tail4:
	TESTQ CX, CX
	JZ    done4

loop41:
	STEP4
	DECQ CX
	JNZ  loop41

done4:
	// Scale by alpha.
	VBROADCASTSS alpha+64(FP), Y0
	VMULPS Y0, Y4, Y4
	VMULPS Y0, Y5, Y5
	VMULPS Y0, Y6, Y6
	VMULPS Y0, Y7, Y7
	VMULPS Y0, Y8, Y8
	VMULPS Y0, Y9, Y9
	VMULPS Y0, Y10, Y10
	VMULPS Y0, Y11, Y11

	// beta = 0: overwrite C without reading it (it may hold NaN).
	MOVSS   beta+68(FP), X1
	VXORPS  X2, X2, X2
	UCOMISS X2, X1
	JNE     withbeta4
	JPS     withbeta4 // unordered: beta is NaN, which must propagate

	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	VZEROUPPER
	RET

withbeta4:
	VBROADCASTSS beta+68(FP), Y1
	BETAROW(Y4, Y5)
	BETAROW(Y6, Y7)
	BETAROW(Y8, Y9)
	BETAROW(Y10, Y11)
	VZEROUPPER
	RET
