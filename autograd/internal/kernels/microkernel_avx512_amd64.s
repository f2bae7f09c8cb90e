//go:build !purego

#include "textflag.h"

// The AVX-512 micro-kernels: C(12×32) = alpha·A·B + beta·C and the narrow
// C(8×32), with the arguments and strides of the AVX2 ones
// (microkernel_amd64.s): element (r, p) of A at a + 4·(r·rs + p·ps), B's row
// p (32 floats) at b + 4·p·ldb. See gemm_blocks.go for the choice of tile.
// Their edge variants (at the end of the file) compute a partial tile at the
// bottom or right edge of C in place: the same FMAs, with B's columns read
// and C's written under opmasks and only the tile's rows of C written.
//
// Registers:
//   SI  A rows 0-3 at SI + {0, 1, 2, 3}·rs     Z0, Z1   one row of B (32 floats)
//   R9  A rows 4-7, likewise                   Z2..Z7   A[r] broadcast to 16 lanes
//   AX  A rows 8-11, likewise                  Z8..Z31  the tile of C:
//   R10 rs in bytes, R12 3·rs, R11 ps in bytes          row r is Z(8+2r), Z(9+2r)
//   DI  B's next row, R13 ldb in bytes
//   R14 prefetch distance in bytes: 512, four packed rows of B further on,
//       or in a row-major B read in place the same row four panels to the
//       right (see PREFETCHB in microkernel_amd64.s)
//   DX  C, row r at DX + r·R8; R8 ldc in bytes
//   CX  steps of k left, BX groups of four steps (then, when C is written,
//       the rows of an edge tile left to write)
//   K1, K2  in the edge kernels, the opmasks of the tile's columns 0-15 and
//       16-31 that exist in C (and in B read in place)

// LOADB loads the row of B at DI into Z0, Z1, prefetches ahead and moves DI
// to the next row.
#define LOADB \
	VMOVUPS    (DI), Z0            \
	VMOVUPS    64(DI), Z1          \
	PREFETCHT0 (DI)(R14*1)         \
	PREFETCHT0 64(DI)(R14*1)       \
	ADDQ       R13, DI

// LOADBM is LOADB for the last, partial panel of B at the right edge of C:
// only the columns under the opmasks K1 (0-15) and K2 (16-31) are read, the
// others are zero, so a row-major B can be read in place up to its last
// column. (Masked-off lanes neither fault nor are read.)
#define LOADBM \
	VMOVUPS.Z  (DI), K1, Z0        \
	VMOVUPS.Z  64(DI), K2, Z1      \
	PREFETCHT0 (DI)(R14*1)         \
	PREFETCHT0 64(DI)(R14*1)       \
	ADDQ       R13, DI

// LOADBH is LOADBM for a panel of at most 16 columns: the first half only,
// under K1.
#define LOADBH \
	VMOVUPS.Z  (DI), K1, Z0        \
	PREFETCHT0 (DI)(R14*1)         \
	ADDQ       R13, DI

// FMAROW adds the broadcast element in za times the row of B to row
// accumulators lo, hi.
#define FMAROW(za, lo, hi) \
	VFMADD231PS Z0, za, lo \
	VFMADD231PS Z1, za, hi

// BCAST4 broadcasts the elements of the four rows at base into z0..z3.
#define BCAST4(base, z0, z1, z2, z3) \
	VBROADCASTSS (base), z0         \
	VBROADCASTSS (base)(R10*1), z1  \
	VBROADCASTSS (base)(R10*2), z2  \
	VBROADCASTSS (base)(R12*1), z3

// STEP12 does one step of k of the 12×32 tile: 24 FMAs; STEP12M the same
// with the masked loads of B (LOADBM), and FMA12 their common part.
#define STEP12 \
	LOADB \
	FMA12

#define STEP12M \
	LOADBM \
	FMA12

#define FMA12 \
	BCAST4(SI, Z2, Z3, Z4, Z5)   \
	FMAROW(Z2, Z8, Z9)           \
	FMAROW(Z3, Z10, Z11)         \
	FMAROW(Z4, Z12, Z13)         \
	FMAROW(Z5, Z14, Z15)         \
	BCAST4(R9, Z2, Z3, Z4, Z5)   \
	FMAROW(Z2, Z16, Z17)         \
	FMAROW(Z3, Z18, Z19)         \
	BCAST4(AX, Z6, Z7, Z2, Z3)   \
	FMAROW(Z4, Z20, Z21)         \
	FMAROW(Z5, Z22, Z23)         \
	FMAROW(Z6, Z24, Z25)         \
	FMAROW(Z7, Z26, Z27)         \
	FMAROW(Z2, Z28, Z29)         \
	FMAROW(Z3, Z30, Z31)         \
	ADDQ R11, SI                 \
	ADDQ R11, R9                 \
	ADDQ R11, AX

// STEP8 does one step of k of the 8×32 tile: 16 FMAs; STEP8M with the
// masked loads of B.
#define STEP8 \
	LOADB \
	FMA8

#define STEP8M \
	LOADBM \
	FMA8

#define FMA8 \
	BCAST4(SI, Z2, Z3, Z4, Z5)   \
	FMAROW(Z2, Z8, Z9)           \
	FMAROW(Z3, Z10, Z11)         \
	BCAST4(R9, Z6, Z7, Z2, Z3)   \
	FMAROW(Z4, Z12, Z13)         \
	FMAROW(Z5, Z14, Z15)         \
	FMAROW(Z6, Z16, Z17)         \
	FMAROW(Z7, Z18, Z19)         \
	FMAROW(Z2, Z20, Z21)         \
	FMAROW(Z3, Z22, Z23)         \
	ADDQ R11, SI                 \
	ADDQ R11, R9

// STEP12H does one step of k of a 12×16 half tile, the first halves of the
// 12×32 tile's rows (Z8, Z10, …, Z30): 12 FMAs for a tile of at most 16
// columns, each lane's sum in the same order as in STEP12.
#define STEP12H \
	LOADBH                       \
	BCAST4(SI, Z2, Z3, Z4, Z5)   \
	VFMADD231PS Z0, Z2, Z8       \
	VFMADD231PS Z0, Z3, Z10      \
	VFMADD231PS Z0, Z4, Z12      \
	VFMADD231PS Z0, Z5, Z14      \
	BCAST4(R9, Z2, Z3, Z4, Z5)   \
	VFMADD231PS Z0, Z2, Z16      \
	VFMADD231PS Z0, Z3, Z18      \
	BCAST4(AX, Z6, Z7, Z2, Z3)   \
	VFMADD231PS Z0, Z4, Z20      \
	VFMADD231PS Z0, Z5, Z22      \
	VFMADD231PS Z0, Z6, Z24      \
	VFMADD231PS Z0, Z7, Z26      \
	VFMADD231PS Z0, Z2, Z28      \
	VFMADD231PS Z0, Z3, Z30      \
	ADDQ R11, SI                 \
	ADDQ R11, R9                 \
	ADDQ R11, AX

// STEP8H does one step of k of an 8×16 half tile: 8 FMAs.
#define STEP8H \
	LOADBH                       \
	BCAST4(SI, Z2, Z3, Z4, Z5)   \
	VFMADD231PS Z0, Z2, Z8       \
	VFMADD231PS Z0, Z3, Z10      \
	BCAST4(R9, Z6, Z7, Z2, Z3)   \
	VFMADD231PS Z0, Z4, Z12      \
	VFMADD231PS Z0, Z5, Z14      \
	VFMADD231PS Z0, Z6, Z16      \
	VFMADD231PS Z0, Z7, Z18      \
	VFMADD231PS Z0, Z2, Z20      \
	VFMADD231PS Z0, Z3, Z22      \
	ADDQ R11, SI                 \
	ADDQ R11, R9

// SETUP loads the arguments into the registers above and zeroes the
// accumulators' first sixteen registers (the 12-row kernel zeroes the rest).
#define SETUP \
	MOVQ k+0(FP), CX          \
	MOVQ a+8(FP), SI          \
	MOVQ rs+16(FP), R10       \
	SHLQ $2, R10              \
	MOVQ ps+24(FP), R11       \
	SHLQ $2, R11              \
	LEAQ (R10)(R10*2), R12    \
	LEAQ (SI)(R10*4), R9      \
	LEAQ (R9)(R10*4), AX      \
	MOVQ b+32(FP), DI         \
	MOVQ ldb+40(FP), R13      \
	SHLQ $2, R13              \
	MOVQ $512, R14            \
	MOVQ c+48(FP), DX         \
	MOVQ ldc+56(FP), R8       \
	SHLQ $2, R8               \
	VPXORD Z8, Z8, Z8         \
	VPXORD Z9, Z9, Z9         \
	VPXORD Z10, Z10, Z10      \
	VPXORD Z11, Z11, Z11      \
	VPXORD Z12, Z12, Z12      \
	VPXORD Z13, Z13, Z13      \
	VPXORD Z14, Z14, Z14      \
	VPXORD Z15, Z15, Z15      \
	VPXORD Z16, Z16, Z16      \
	VPXORD Z17, Z17, Z17      \
	VPXORD Z18, Z18, Z18      \
	VPXORD Z19, Z19, Z19      \
	VPXORD Z20, Z20, Z20      \
	VPXORD Z21, Z21, Z21      \
	VPXORD Z22, Z22, Z22      \
	VPXORD Z23, Z23, Z23

// PREFETCHC asks for one row of the tile of C at R15 (128 bytes, across two
// or three cache lines) and moves R15 to the next row.
#define PREFETCHC \
	PREFETCHT0 (R15)      \
	PREFETCHT0 64(R15)    \
	PREFETCHT0 127(R15)   \
	ADDQ       R8, R15

// SCALE multiplies two row accumulators by alpha in Z0.
#define SCALE(lo, hi) \
	VMULPS Z0, lo, lo \
	VMULPS Z0, hi, hi

// STOREROW writes row accumulators lo, hi to C at DX (C = acc, scaled).
#define STOREROW(lo, hi) \
	VMOVUPS lo, (DX)   \
	VMOVUPS hi, 64(DX) \
	ADDQ    R8, DX

// BETAROW does C = acc + beta·C for one row, with beta in Z1.
#define BETAROW(lo, hi) \
	VFMADD231PS (DX), Z1, lo   \
	VFMADD231PS 64(DX), Z1, hi \
	VMOVUPS     lo, (DX)       \
	VMOVUPS     hi, 64(DX)     \
	ADDQ        R8, DX

// STOREROWM is STOREROW for an edge tile: it writes only the columns under
// K1, K2, and only once the rows to skip (R15 counts them down) are past;
// after the tile's last row to write (BX counts them down) it jumps to out.
// next is a label of its own for each row.
#define STOREROWM(lo, hi, next, out) \
	DECQ    R15            \
	JGE     next           \
	VMOVUPS lo, K1, (DX)   \
	VMOVUPS hi, K2, 64(DX) \
	DECQ    BX             \
	JZ      out            \
next:                      \
	ADDQ    R8, DX

// BETAROWM is BETAROW for an edge tile, with STOREROWM's rows and columns:
// C is read and written only under K1, K2 (the zeroing loads into Z2, Z3
// keep the masked-off columns of C unread), with the same fused
// multiply-add, so an element of an edge tile gets the bits a full tile
// would give it.
#define BETAROWM(lo, hi, next, out) \
	DECQ        R15            \
	JGE         next           \
	VMOVUPS.Z   (DX), K1, Z2   \
	VMOVUPS.Z   64(DX), K2, Z3 \
	VFMADD231PS Z2, Z1, lo     \
	VFMADD231PS Z3, Z1, hi     \
	VMOVUPS     lo, K1, (DX)   \
	VMOVUPS     hi, K2, 64(DX) \
	DECQ        BX             \
	JZ          out            \
next:                          \
	ADDQ        R8, DX

// EDGEMASKS loads the edge tile's column mask (bit j for column j) into K1
// (columns 0-15) and K2 (16-31). Clobbers R15.
#define EDGEMASKS \
	MOVQ  mask+88(FP), R15 \
	KMOVW R15, K1          \
	SHRQ  $16, R15         \
	KMOVW R15, K2

// ISBETAZERO jumps to label unless beta is exactly 0 (NaN must propagate,
// so an unordered comparison also goes to label).
#define ISBETAZERO(label) \
	MOVSS   beta+68(FP), X1 \
	VXORPS  X2, X2, X2      \
	UCOMISS X2, X1          \
	JNE     label           \
	JPS     label

// func kernel12x32AVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernel12x32AVX512(SB), NOSPLIT, $0-72
	SETUP
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31

	// Ask for the tile of C now, so it has arrived by the time it is updated.
	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC

	// Four steps of k per iteration, then the remainder one at a time.
	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tail12

loop12x4:
	STEP12
	STEP12
	STEP12
	STEP12
	DECQ BX
	JNZ  loop12x4

tail12:
	TESTQ CX, CX
	JZ    done12

loop12x1:
	STEP12
	DECQ CX
	JNZ  loop12x1

done12:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	SCALE(Z24, Z25)
	SCALE(Z26, Z27)
	SCALE(Z28, Z29)
	SCALE(Z30, Z31)
	ISBETAZERO(withbeta12)

	// beta = 0: overwrite C without reading it (it may hold NaN).
	STOREROW(Z8, Z9)
	STOREROW(Z10, Z11)
	STOREROW(Z12, Z13)
	STOREROW(Z14, Z15)
	STOREROW(Z16, Z17)
	STOREROW(Z18, Z19)
	STOREROW(Z20, Z21)
	STOREROW(Z22, Z23)
	STOREROW(Z24, Z25)
	STOREROW(Z26, Z27)
	STOREROW(Z28, Z29)
	STOREROW(Z30, Z31)
	VZEROUPPER
	RET

withbeta12:
	VBROADCASTSS beta+68(FP), Z1
	BETAROW(Z8, Z9)
	BETAROW(Z10, Z11)
	BETAROW(Z12, Z13)
	BETAROW(Z14, Z15)
	BETAROW(Z16, Z17)
	BETAROW(Z18, Z19)
	BETAROW(Z20, Z21)
	BETAROW(Z22, Z23)
	BETAROW(Z24, Z25)
	BETAROW(Z26, Z27)
	BETAROW(Z28, Z29)
	BETAROW(Z30, Z31)
	VZEROUPPER
	RET

// func kernel8x32AVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
//
// The narrow kernel, for the last rows of a block (see rowTileHeight): the
// first eight rows of the 12-row kernel, 16 accumulators, still twice the 8
// FMAs two pipes of latency 4 need in flight.
TEXT ·kernel8x32AVX512(SB), NOSPLIT, $0-72
	SETUP

	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC

	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tail8

loop8x4:
	STEP8
	STEP8
	STEP8
	STEP8
	DECQ BX
	JNZ  loop8x4

tail8:
	TESTQ CX, CX
	JZ    done8

loop8x1:
	STEP8
	DECQ CX
	JNZ  loop8x1

done8:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	ISBETAZERO(withbeta8)

	STOREROW(Z8, Z9)
	STOREROW(Z10, Z11)
	STOREROW(Z12, Z13)
	STOREROW(Z14, Z15)
	STOREROW(Z16, Z17)
	STOREROW(Z18, Z19)
	STOREROW(Z20, Z21)
	STOREROW(Z22, Z23)
	VZEROUPPER
	RET

withbeta8:
	VBROADCASTSS beta+68(FP), Z1
	BETAROW(Z8, Z9)
	BETAROW(Z10, Z11)
	BETAROW(Z12, Z13)
	BETAROW(Z14, Z15)
	BETAROW(Z16, Z17)
	BETAROW(Z18, Z19)
	BETAROW(Z20, Z21)
	BETAROW(Z22, Z23)
	VZEROUPPER
	RET

// func kernel12x32EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)
//
// The edge kernel for a partial 12×32 tile at the bottom or right edge of
// C: the 12×32 kernel computing all twelve rows of A (a packed panel is
// padded with zero rows), reading only the columns of B and writing only
// the columns of C under mask (bit j for column j, the low cols bits), and
// of the tile's rows (row r at c + r·ldc) only rows skip … skip+rows−1
// (skip + rows ≤ 12). Each element it writes has the bits the full kernel
// would give it: the same FMAs in the same order.
TEXT ·kernel12x32EdgeAVX512(SB), NOSPLIT, $0-96
	SETUP
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31

	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	EDGEMASKS

	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tailE12

loopE12x4:
	STEP12M
	STEP12M
	STEP12M
	STEP12M
	DECQ BX
	JNZ  loopE12x4

tailE12:
	TESTQ CX, CX
	JZ    doneE12

loopE12x1:
	STEP12M
	DECQ CX
	JNZ  loopE12x1

doneE12:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	SCALE(Z24, Z25)
	SCALE(Z26, Z27)
	SCALE(Z28, Z29)
	SCALE(Z30, Z31)
	MOVQ skip+72(FP), R15
	MOVQ rows+80(FP), BX
	ISBETAZERO(withbetaE12)

	STOREROWM(Z8, Z9, skipE12_S8, retE12)
	STOREROWM(Z10, Z11, skipE12_S10, retE12)
	STOREROWM(Z12, Z13, skipE12_S12, retE12)
	STOREROWM(Z14, Z15, skipE12_S14, retE12)
	STOREROWM(Z16, Z17, skipE12_S16, retE12)
	STOREROWM(Z18, Z19, skipE12_S18, retE12)
	STOREROWM(Z20, Z21, skipE12_S20, retE12)
	STOREROWM(Z22, Z23, skipE12_S22, retE12)
	STOREROWM(Z24, Z25, skipE12_S24, retE12)
	STOREROWM(Z26, Z27, skipE12_S26, retE12)
	STOREROWM(Z28, Z29, skipE12_S28, retE12)
	STOREROWM(Z30, Z31, skipE12_S30, retE12)

retE12:
	VZEROUPPER
	RET

withbetaE12:
	VBROADCASTSS beta+68(FP), Z1
	BETAROWM(Z8, Z9, skipE12_B8, retE12)
	BETAROWM(Z10, Z11, skipE12_B10, retE12)
	BETAROWM(Z12, Z13, skipE12_B12, retE12)
	BETAROWM(Z14, Z15, skipE12_B14, retE12)
	BETAROWM(Z16, Z17, skipE12_B16, retE12)
	BETAROWM(Z18, Z19, skipE12_B18, retE12)
	BETAROWM(Z20, Z21, skipE12_B20, retE12)
	BETAROWM(Z22, Z23, skipE12_B22, retE12)
	BETAROWM(Z24, Z25, skipE12_B24, retE12)
	BETAROWM(Z26, Z27, skipE12_B26, retE12)
	BETAROWM(Z28, Z29, skipE12_B28, retE12)
	BETAROWM(Z30, Z31, skipE12_B30, retE12)
	VZEROUPPER
	RET

// func kernel8x32EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)
//
// The edge kernel of the narrow tile: kernel12x32EdgeAVX512's contract for
// an 8×32 tile (skip + rows ≤ 8).
TEXT ·kernel8x32EdgeAVX512(SB), NOSPLIT, $0-96
	SETUP

	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	EDGEMASKS

	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tailE8

loopE8x4:
	STEP8M
	STEP8M
	STEP8M
	STEP8M
	DECQ BX
	JNZ  loopE8x4

tailE8:
	TESTQ CX, CX
	JZ    doneE8

loopE8x1:
	STEP8M
	DECQ CX
	JNZ  loopE8x1

doneE8:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	MOVQ skip+72(FP), R15
	MOVQ rows+80(FP), BX
	ISBETAZERO(withbetaE8)

	STOREROWM(Z8, Z9, skipE8_S8, retE8)
	STOREROWM(Z10, Z11, skipE8_S10, retE8)
	STOREROWM(Z12, Z13, skipE8_S12, retE8)
	STOREROWM(Z14, Z15, skipE8_S14, retE8)
	STOREROWM(Z16, Z17, skipE8_S16, retE8)
	STOREROWM(Z18, Z19, skipE8_S18, retE8)
	STOREROWM(Z20, Z21, skipE8_S20, retE8)
	STOREROWM(Z22, Z23, skipE8_S22, retE8)

retE8:
	VZEROUPPER
	RET

withbetaE8:
	VBROADCASTSS beta+68(FP), Z1
	BETAROWM(Z8, Z9, skipE8_B8, retE8)
	BETAROWM(Z10, Z11, skipE8_B10, retE8)
	BETAROWM(Z12, Z13, skipE8_B12, retE8)
	BETAROWM(Z14, Z15, skipE8_B14, retE8)
	BETAROWM(Z16, Z17, skipE8_B16, retE8)
	BETAROWM(Z18, Z19, skipE8_B18, retE8)
	BETAROWM(Z20, Z21, skipE8_B20, retE8)
	BETAROWM(Z22, Z23, skipE8_B22, retE8)
	VZEROUPPER
	RET

// func kernel12x16EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)
//
// kernel12x32EdgeAVX512 for a tile of at most 16 columns (mask < 1<<16):
// only the first half of each row of the tile is computed, half the FMAs.
// (The second halves, Z9, Z11, …, are written under K2 = 0: not at all.)
TEXT ·kernel12x16EdgeAVX512(SB), NOSPLIT, $0-96
	SETUP
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31

	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	EDGEMASKS

	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tailE12H

loopE12Hx4:
	STEP12H
	STEP12H
	STEP12H
	STEP12H
	DECQ BX
	JNZ  loopE12Hx4

tailE12H:
	TESTQ CX, CX
	JZ    doneE12H

loopE12Hx1:
	STEP12H
	DECQ CX
	JNZ  loopE12Hx1

doneE12H:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	SCALE(Z24, Z25)
	SCALE(Z26, Z27)
	SCALE(Z28, Z29)
	SCALE(Z30, Z31)
	MOVQ skip+72(FP), R15
	MOVQ rows+80(FP), BX
	ISBETAZERO(withbetaE12H)

	STOREROWM(Z8, Z9, skipE12H_S8, retE12H)
	STOREROWM(Z10, Z11, skipE12H_S10, retE12H)
	STOREROWM(Z12, Z13, skipE12H_S12, retE12H)
	STOREROWM(Z14, Z15, skipE12H_S14, retE12H)
	STOREROWM(Z16, Z17, skipE12H_S16, retE12H)
	STOREROWM(Z18, Z19, skipE12H_S18, retE12H)
	STOREROWM(Z20, Z21, skipE12H_S20, retE12H)
	STOREROWM(Z22, Z23, skipE12H_S22, retE12H)
	STOREROWM(Z24, Z25, skipE12H_S24, retE12H)
	STOREROWM(Z26, Z27, skipE12H_S26, retE12H)
	STOREROWM(Z28, Z29, skipE12H_S28, retE12H)
	STOREROWM(Z30, Z31, skipE12H_S30, retE12H)

retE12H:
	VZEROUPPER
	RET

withbetaE12H:
	VBROADCASTSS beta+68(FP), Z1
	BETAROWM(Z8, Z9, skipE12H_B8, retE12H)
	BETAROWM(Z10, Z11, skipE12H_B10, retE12H)
	BETAROWM(Z12, Z13, skipE12H_B12, retE12H)
	BETAROWM(Z14, Z15, skipE12H_B14, retE12H)
	BETAROWM(Z16, Z17, skipE12H_B16, retE12H)
	BETAROWM(Z18, Z19, skipE12H_B18, retE12H)
	BETAROWM(Z20, Z21, skipE12H_B20, retE12H)
	BETAROWM(Z22, Z23, skipE12H_B22, retE12H)
	BETAROWM(Z24, Z25, skipE12H_B24, retE12H)
	BETAROWM(Z26, Z27, skipE12H_B26, retE12H)
	BETAROWM(Z28, Z29, skipE12H_B28, retE12H)
	BETAROWM(Z30, Z31, skipE12H_B30, retE12H)
	VZEROUPPER
	RET


// func kernel8x16EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)
//
// kernel8x32EdgeAVX512 for a tile of at most 16 columns, as
// kernel12x16EdgeAVX512.
TEXT ·kernel8x16EdgeAVX512(SB), NOSPLIT, $0-96
	SETUP

	MOVQ DX, R15
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	PREFETCHC
	EDGEMASKS

	MOVQ  CX, BX
	SHRQ  $2, BX
	ANDQ  $3, CX
	TESTQ BX, BX
	JZ    tailE8H

loopE8Hx4:
	STEP8H
	STEP8H
	STEP8H
	STEP8H
	DECQ BX
	JNZ  loopE8Hx4

tailE8H:
	TESTQ CX, CX
	JZ    doneE8H

loopE8Hx1:
	STEP8H
	DECQ CX
	JNZ  loopE8Hx1

doneE8H:
	VBROADCASTSS alpha+64(FP), Z0
	SCALE(Z8, Z9)
	SCALE(Z10, Z11)
	SCALE(Z12, Z13)
	SCALE(Z14, Z15)
	SCALE(Z16, Z17)
	SCALE(Z18, Z19)
	SCALE(Z20, Z21)
	SCALE(Z22, Z23)
	MOVQ skip+72(FP), R15
	MOVQ rows+80(FP), BX
	ISBETAZERO(withbetaE8H)

	STOREROWM(Z8, Z9, skipE8H_S8, retE8H)
	STOREROWM(Z10, Z11, skipE8H_S10, retE8H)
	STOREROWM(Z12, Z13, skipE8H_S12, retE8H)
	STOREROWM(Z14, Z15, skipE8H_S14, retE8H)
	STOREROWM(Z16, Z17, skipE8H_S16, retE8H)
	STOREROWM(Z18, Z19, skipE8H_S18, retE8H)
	STOREROWM(Z20, Z21, skipE8H_S20, retE8H)
	STOREROWM(Z22, Z23, skipE8H_S22, retE8H)

retE8H:
	VZEROUPPER
	RET

withbetaE8H:
	VBROADCASTSS beta+68(FP), Z1
	BETAROWM(Z8, Z9, skipE8H_B8, retE8H)
	BETAROWM(Z10, Z11, skipE8H_B10, retE8H)
	BETAROWM(Z12, Z13, skipE8H_B12, retE8H)
	BETAROWM(Z14, Z15, skipE8H_B14, retE8H)
	BETAROWM(Z16, Z17, skipE8H_B16, retE8H)
	BETAROWM(Z18, Z19, skipE8H_B18, retE8H)
	BETAROWM(Z20, Z21, skipE8H_B20, retE8H)
	BETAROWM(Z22, Z23, skipE8H_B22, retE8H)
	VZEROUPPER
	RET
