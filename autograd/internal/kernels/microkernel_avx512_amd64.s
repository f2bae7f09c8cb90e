//go:build !purego

#include "textflag.h"

// The AVX-512 micro-kernels: C(12×32) = alpha·A·B + beta·C and the narrow
// C(8×32), with the arguments and strides of the AVX2 ones
// (microkernel_amd64.s): element (r, p) of A at a + 4·(r·rs + p·ps), B's row
// p (32 floats) at b + 4·p·ldb. See gemm_blocks.go for the choice of tile.
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
//   CX  steps of k left, BX groups of four steps

// LOADB loads the row of B at DI into Z0, Z1, prefetches ahead and moves DI
// to the next row.
#define LOADB \
	VMOVUPS    (DI), Z0            \
	VMOVUPS    64(DI), Z1          \
	PREFETCHT0 (DI)(R14*1)         \
	PREFETCHT0 64(DI)(R14*1)       \
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

// STEP12 does one step of k of the 12×32 tile: 24 FMAs.
#define STEP12 \
	LOADB                        \
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

// STEP8 does one step of k of the 8×32 tile: 16 FMAs.
#define STEP8 \
	LOADB                        \
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
