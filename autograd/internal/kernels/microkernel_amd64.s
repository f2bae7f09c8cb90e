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

// PREFETCHCROW asks for the row of C at r (64 bytes, possibly across two
// cache lines) and moves r on to the next row.
#define PREFETCHCROW(r) \
	PREFETCHT0 (r)   \
	PREFETCHT0 60(r) \
	ADDQ       R8, r

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

// IFBETA jumps to label unless beta is 0; with beta = 0 the kernel
// overwrites C without reading it (it may hold NaN). An unordered compare
// (beta is NaN, which must propagate) jumps too.
#define IFBETA(label) \
	MOVSS   beta+68(FP), X1 \
	VXORPS  X2, X2, X2      \
	UCOMISS X2, X1          \
	JNE     label           \
	JPS     label

// STORE6 writes the six rows of the 6×16 tile, already scaled, to C and
// returns; BETA6 adds beta·C to them first.
#define STORE6 \
	STOREROW(Y4, Y5)   \
	STOREROW(Y6, Y7)   \
	STOREROW(Y8, Y9)   \
	STOREROW(Y10, Y11) \
	STOREROW(Y12, Y13) \
	STOREROW(Y14, Y15) \
	VZEROUPPER         \
	RET

#define BETA6 \
	VBROADCASTSS beta+68(FP), Y1 \
	BETAROW(Y4, Y5)              \
	BETAROW(Y6, Y7)              \
	BETAROW(Y8, Y9)              \
	BETAROW(Y10, Y11)            \
	BETAROW(Y12, Y13)            \
	BETAROW(Y14, Y15)            \
	VZEROUPPER                   \
	RET

// SCALE12 multiplies the twelve accumulators of the 6×16 tile by alpha.
#define SCALE12 \
	VBROADCASTSS alpha+64(FP), Y0 \
	VMULPS       Y0, Y4, Y4       \
	VMULPS       Y0, Y5, Y5       \
	VMULPS       Y0, Y6, Y6       \
	VMULPS       Y0, Y7, Y7       \
	VMULPS       Y0, Y8, Y8       \
	VMULPS       Y0, Y9, Y9       \
	VMULPS       Y0, Y10, Y10     \
	VMULPS       Y0, Y11, Y11     \
	VMULPS       Y0, Y12, Y12     \
	VMULPS       Y0, Y13, Y13     \
	VMULPS       Y0, Y14, Y14     \
	VMULPS       Y0, Y15, Y15

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
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)

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
	SCALE12
	IFBETA(withbeta)
	STORE6

withbeta:
	BETA6

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
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)
	PREFETCHCROW(R9)

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

	IFBETA(withbeta4)

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

// The grouped 6×16 kernels: kernel6x16AVX2 for the two ways the blocked
// loops lay A out, with four steps of k addressed from one set of pointers.
// kernel6x16AVX2 moves four pointers on after every step (A's two row
// pointers, B's row and, through R14, its prefetch), so each step issues 24
// instructions for its 12 FMAs: exactly the four per cycle that a Skylake
// core can issue while its two FMA pipes take six cycles, leaving no slack.
// Here the four steps of a group read A and B at fixed offsets from their
// pointers, which move once per group: 22.25 instructions per step with A
// in place, 22 with A packed.
//
// kernel6x16AVX2RowA reads the rows of a row-major A in place (ps = 1):
// element (r, p+j) at SI + r·rs + 4j (rows 3-5 from R12 = SI + 3·rs).
// kernel6x16AVX2PackedA reads a packed panel or the columns of a transposed
// A (rs = 1): element (r, p+j) at SI + 4r + j·ps.
//
// Registers (both; A's as above):
//   DI  B's row p, R13 ldb in bytes, R15 3·ldb, R9 4·ldb: the group's rows
//       of B at DI, DI+R13, DI+2·R13, DI+R15
//   AX  the prefetch pointer, DI + 256 (or + 384 in a packed panel: the
//       distances of PREFETCHB), so row j's prefetch is at AX + j·ldb
//   R10 rs in bytes (RowA); 3·ps in bytes (PackedA)
//   R11 ps in bytes (PackedA), R12 4·ps in bytes (PackedA)
//   Y0, Y1 a row of B, Y2, Y3 broadcasts of A, Y4..Y15 the tile of C
//   DX  C, R8 ldc in bytes; CX steps left after the groups, BX groups left

// GROUPB loads a row of the group of B, its halves at lo and hi, into Y0,
// Y1 and prefetches ahead of it at pf.
#define GROUPB(lo, hi, pf) \
	PREFETCHT0 pf      \
	VMOVUPS    lo, Y0  \
	VMOVUPS    hi, Y1

// FMA6 does one step's twelve FMAs with A's six elements at a0..a5 and the
// row of B in Y0, Y1.
#define FMA6(a0, a1, a2, a3, a4, a5) \
	VBROADCASTSS a0, Y2         \
	VBROADCASTSS a1, Y3         \
	VFMADD231PS  Y0, Y2, Y4     \
	VFMADD231PS  Y1, Y2, Y5     \
	VFMADD231PS  Y0, Y3, Y6     \
	VFMADD231PS  Y1, Y3, Y7     \
	VBROADCASTSS a2, Y2         \
	VBROADCASTSS a3, Y3         \
	VFMADD231PS  Y0, Y2, Y8     \
	VFMADD231PS  Y1, Y2, Y9     \
	VFMADD231PS  Y0, Y3, Y10    \
	VFMADD231PS  Y1, Y3, Y11    \
	VBROADCASTSS a4, Y2         \
	VBROADCASTSS a5, Y3         \
	VFMADD231PS  Y0, Y2, Y12    \
	VFMADD231PS  Y1, Y2, Y13    \
	VFMADD231PS  Y0, Y3, Y14    \
	VFMADD231PS  Y1, Y3, Y15

// GROUPSETUP loads the arguments common to both grouped kernels (A's
// registers are each kernel's), asks for the tile of C and zeroes the
// accumulators. It leaves CX the steps after the last group and BX the
// number of groups.
#define GROUPSETUP \
	MOVQ       b+32(FP), DI       \
	MOVQ       ldb+40(FP), R13    \
	SHLQ       $2, R13            \
	PREFETCHB                     \
	LEAQ       (DI)(R14*1), AX    \
	LEAQ       (R13)(R13*2), R15  \
	MOVQ       R13, R9            \
	SHLQ       $2, R9             \
	MOVQ       c+48(FP), DX       \
	MOVQ       ldc+56(FP), R8     \
	SHLQ       $2, R8             \
	MOVQ       DX, BX             \
	PREFETCHCROW(BX)              \
	PREFETCHCROW(BX)              \
	PREFETCHCROW(BX)              \
	PREFETCHCROW(BX)              \
	PREFETCHCROW(BX)              \
	PREFETCHCROW(BX)              \
	VXORPS     Y4, Y4, Y4         \
	VXORPS     Y5, Y5, Y5         \
	VXORPS     Y6, Y6, Y6         \
	VXORPS     Y7, Y7, Y7         \
	VXORPS     Y8, Y8, Y8         \
	VXORPS     Y9, Y9, Y9         \
	VXORPS     Y10, Y10, Y10      \
	VXORPS     Y11, Y11, Y11      \
	VXORPS     Y12, Y12, Y12      \
	VXORPS     Y13, Y13, Y13      \
	VXORPS     Y14, Y14, Y14      \
	VXORPS     Y15, Y15, Y15      \
	MOVQ       k+0(FP), CX        \
	MOVQ       CX, BX             \
	SHRQ       $2, BX             \
	ANDQ       $3, CX

// func kernel6x16AVX2RowA(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernel6x16AVX2RowA(SB), NOSPLIT, $0-72
	MOVQ a+8(FP), SI
	MOVQ rs+16(FP), R10
	SHLQ $2, R10
	LEAQ (R10)(R10*2), R12
	ADDQ SI, R12
	GROUPSETUP
	TESTQ BX, BX
	JZ    rowatail

rowagroup:
	GROUPB((DI), 32(DI), (AX))
	FMA6((SI), (SI)(R10*1), (SI)(R10*2), (R12), (R12)(R10*1), (R12)(R10*2))
	GROUPB((DI)(R13*1), 32(DI)(R13*1), (AX)(R13*1))
	FMA6(4(SI), 4(SI)(R10*1), 4(SI)(R10*2), 4(R12), 4(R12)(R10*1), 4(R12)(R10*2))
	GROUPB((DI)(R13*2), 32(DI)(R13*2), (AX)(R13*2))
	FMA6(8(SI), 8(SI)(R10*1), 8(SI)(R10*2), 8(R12), 8(R12)(R10*1), 8(R12)(R10*2))
	GROUPB((DI)(R15*1), 32(DI)(R15*1), (AX)(R15*1))
	FMA6(12(SI), 12(SI)(R10*1), 12(SI)(R10*2), 12(R12), 12(R12)(R10*1), 12(R12)(R10*2))
	ADDQ $16, SI
	ADDQ $16, R12
	ADDQ R9, DI
	ADDQ R9, AX
	DECQ BX
	JNZ  rowagroup

rowatail:
	TESTQ CX, CX
	JZ    rowadone

rowastep:
	GROUPB((DI), 32(DI), (AX))
	FMA6((SI), (SI)(R10*1), (SI)(R10*2), (R12), (R12)(R10*1), (R12)(R10*2))
	ADDQ $4, SI
	ADDQ $4, R12
	ADDQ R13, DI
	ADDQ R13, AX
	DECQ CX
	JNZ  rowastep

rowadone:
	SCALE12
	IFBETA(rowabeta)
	STORE6

rowabeta:
	BETA6

// func kernel6x16AVX2PackedA(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernel6x16AVX2PackedA(SB), NOSPLIT, $0-72
	MOVQ a+8(FP), SI
	MOVQ ps+24(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R10
	MOVQ R11, R12
	SHLQ $2, R12
	GROUPSETUP
	TESTQ BX, BX
	JZ    packedtail

packedgroup:
	GROUPB((DI), 32(DI), (AX))
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	GROUPB((DI)(R13*1), 32(DI)(R13*1), (AX)(R13*1))
	FMA6((SI)(R11*1), 4(SI)(R11*1), 8(SI)(R11*1), 12(SI)(R11*1), 16(SI)(R11*1), 20(SI)(R11*1))
	GROUPB((DI)(R13*2), 32(DI)(R13*2), (AX)(R13*2))
	FMA6((SI)(R11*2), 4(SI)(R11*2), 8(SI)(R11*2), 12(SI)(R11*2), 16(SI)(R11*2), 20(SI)(R11*2))
	GROUPB((DI)(R15*1), 32(DI)(R15*1), (AX)(R15*1))
	FMA6((SI)(R10*1), 4(SI)(R10*1), 8(SI)(R10*1), 12(SI)(R10*1), 16(SI)(R10*1), 20(SI)(R10*1))
	ADDQ R12, SI
	ADDQ R9, DI
	ADDQ R9, AX
	DECQ BX
	JNZ  packedgroup

packedtail:
	TESTQ CX, CX
	JZ    packeddone

packedstep:
	GROUPB((DI), 32(DI), (AX))
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	ADDQ R11, SI
	ADDQ R13, DI
	ADDQ R13, AX
	DECQ CX
	JNZ  packedstep

packeddone:
	SCALE12
	IFBETA(packedbeta)
	STORE6

packedbeta:
	BETA6
