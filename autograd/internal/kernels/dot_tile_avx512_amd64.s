//go:build !purego

#include "textflag.h"

// The dot-product tile of gemm_dot.go: the 24 dot products of 4 rows of A
// with 6 rows of B, both read in place, 16 elements of k at a time.
//
// Registers:
//   SI  A's row 0; rows 1-3 at SI + {1, 2, 3}·R9     Z0..Z3  16 floats of A's rows
//   DI  B's row 0; rows 1-3 at DI + {1, 2, 3}·R11    Z4, Z5  16 floats of a row of B
//   DX  B's row 4; row 5 at DX + R11                  Z8..Z31 the sums: A's row i with
//   R9 lda, R10 3·lda, R11 ldb, R12 3·ldb (bytes)             B's row j in Z(8+6i+j)
//   CX  chunks of 16 left; K1 the last chunk's lanes
//   R14 B's row 6, R15 its row 10: the next tile, prefetched

// LOADA loads the next 16 floats of A's four rows; LOADAM the last, partial
// chunk under the zeroing mask K1.
#define LOADA \
	VMOVUPS (SI), Z0         \
	VMOVUPS (SI)(R9*1), Z1   \
	VMOVUPS (SI)(R9*2), Z2   \
	VMOVUPS (SI)(R10*1), Z3

#define LOADAM \
	VMOVUPS.Z (SI), K1, Z0       \
	VMOVUPS.Z (SI)(R9*1), K1, Z1 \
	VMOVUPS.Z (SI)(R9*2), K1, Z2 \
	VMOVUPS.Z (SI)(R10*1), K1, Z3

// FMACOL adds A's four rows times the row of B in zb to the sums of column j:
// Z(8+j), Z(14+j), Z(20+j), Z(26+j).
#define FMACOL(zb, s0, s1, s2, s3) \
	VFMADD231PS zb, Z0, s0 \
	VFMADD231PS zb, Z1, s1 \
	VFMADD231PS zb, Z2, s2 \
	VFMADD231PS zb, Z3, s3

// PREFETCHB asks for the same 16 floats of the next tile's rows of B (R14:
// rows 6-9, R15: rows 10-11), so that they arrive from memory while this
// tile is computed: the rows of B are read once, in six streams too short
// for the hardware prefetchers to follow. (One tile ahead, into L1, was
// the fastest of one or two tiles ahead into L1 or L2 on Zen 5: two tiles
// of 768 floats a row no longer fit in L1 beside A.)
#define PREFETCHB \
	PREFETCHT0 (R14)         \
	PREFETCHT0 (R14)(R11*1)  \
	PREFETCHT0 (R14)(R11*2)  \
	PREFETCHT0 (R14)(R12*1)  \
	PREFETCHT0 (R15)         \
	PREFETCHT0 (R15)(R11*1)  \
	ADDQ       $64, R14      \
	ADDQ       $64, R15

// STEP does 16 elements of k: 4 + 6 loads and 24 FMAs; STEPM the last,
// partial chunk under K1 (masked-off lanes read nothing and add 0).
#define STEP \
	LOADA                                      \
	VMOVUPS (DI), Z4                           \
	VMOVUPS (DI)(R11*1), Z5                    \
	FMACOL(Z4, Z8, Z14, Z20, Z26)              \
	VMOVUPS (DI)(R11*2), Z4                    \
	FMACOL(Z5, Z9, Z15, Z21, Z27)              \
	VMOVUPS (DI)(R12*1), Z5                    \
	FMACOL(Z4, Z10, Z16, Z22, Z28)             \
	VMOVUPS (DX), Z4                           \
	FMACOL(Z5, Z11, Z17, Z23, Z29)             \
	VMOVUPS (DX)(R11*1), Z5                    \
	FMACOL(Z4, Z12, Z18, Z24, Z30)             \
	FMACOL(Z5, Z13, Z19, Z25, Z31)             \
	PREFETCHB                                  \
	ADDQ $64, SI                               \
	ADDQ $64, DI                               \
	ADDQ $64, DX

#define STEPM \
	LOADAM                                     \
	VMOVUPS.Z (DI), K1, Z4                     \
	VMOVUPS.Z (DI)(R11*1), K1, Z5              \
	FMACOL(Z4, Z8, Z14, Z20, Z26)              \
	VMOVUPS.Z (DI)(R11*2), K1, Z4              \
	FMACOL(Z5, Z9, Z15, Z21, Z27)              \
	VMOVUPS.Z (DI)(R12*1), K1, Z5              \
	FMACOL(Z4, Z10, Z16, Z22, Z28)             \
	VMOVUPS.Z (DX), K1, Z4                     \
	FMACOL(Z5, Z11, Z17, Z23, Z29)             \
	VMOVUPS.Z (DX)(R11*1), K1, Z5              \
	FMACOL(Z4, Z12, Z18, Z24, Z30)             \
	FMACOL(Z5, Z13, Z19, Z25, Z31)

// The 24 sums are added across their lanes together, by a tree of
// shuffles that halves the lanes per sum at each level and packs twice as
// many sums into a register, so that 16 sums end in one register and 8 in
// another (stored to out[0:16] and out[16:32]) instead of being reduced one
// at a time. Every sum is added in the same order: its 128-bit quarters
// q0 + q2 and q1 + q3, those two, then the four floats pairwise.
//
// FOLD512 leaves in za the quarters of sums a (za) and b (zb) added in
// pairs: [a0+a2, a1+a3, b0+b2, b1+b3].
#define FOLD512(za, zb) \
	VSHUFF32X4 $0x44, zb, za, Z0 \
	VSHUFF32X4 $0xEE, zb, za, Z1 \
	VADDPS     Z1, Z0, za

// FOLD256 leaves in za, from two results of FOLD512 (sums a, b in za; c, d
// in zc), one quarter per sum: [a, b, c, d].
#define FOLD256(za, zc) \
	VSHUFF32X4 $0x88, zc, za, Z0 \
	VSHUFF32X4 $0xDD, zc, za, Z1 \
	VADDPS     Z1, Z0, za

// FOLD128 leaves in za, from two results of FOLD256, each quarter's floats
// added in pairs: quarter l holds two partial sums of za's sum l, then two
// of ze's.
#define FOLD128(za, ze) \
	VSHUFPS $0x88, ze, za, Z0 \
	VSHUFPS $0xDD, ze, za, Z1 \
	VADDPS  Z1, Z0, za

// FOLD64 is FOLD128 once more: quarter l of za then holds whole sums, of
// sum l of each of the four results of FOLD256 that went into za and zi.
#define FOLD64(za, zi) FOLD128(za, zi)

// func dotTile4x6AVX512(k int, a *float32, lda int, b *float32, ldb int, out *float32)
//
// Sum 6·i + j is Σ_p a[i·lda + p]·b[j·ldb + p] over p < k (any k ≥ 0), for
// i < 4, j < 6, kept in 16 lanes (lane l sums the p ≡ l mod 16, in order)
// and then added across them; out (32 floats) receives the sums in the
// order above (treeOrder in gemm_dot.go).
TEXT ·dotTile4x6AVX512(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R12
	LEAQ (DI)(R11*4), DX
	MOVQ out+40(FP), R8
	LEAQ (R12)(R12*1), R14 // 6 rows
	LEAQ (DI)(R14*1), R14  // row 6
	LEAQ (R14)(R11*4), R15 // row 10

	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31

	// The last chunk's lanes: (1 << (k mod 16)) − 1, none when k is a
	// multiple of 16.
	MOVQ  CX, BX
	ANDQ  $15, BX
	SHRQ  $4, CX
	JZ    tail

loop:
	STEP
	DECQ CX
	JNZ  loop

tail:
	TESTQ BX, BX
	JZ    sums
	MOVQ  BX, CX // the loop is done: CX is free for the shift count
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K1
	STEPM

sums:
	// Sums 0-15 (Z8-Z23): element 4l + q of out is sum 4q + l.
	FOLD512(Z8, Z9)
	FOLD512(Z10, Z11)
	FOLD512(Z12, Z13)
	FOLD512(Z14, Z15)
	FOLD512(Z16, Z17)
	FOLD512(Z18, Z19)
	FOLD512(Z20, Z21)
	FOLD512(Z22, Z23)
	FOLD256(Z8, Z10)
	FOLD256(Z12, Z14)
	FOLD256(Z16, Z18)
	FOLD256(Z20, Z22)
	FOLD128(Z8, Z12)
	FOLD128(Z16, Z20)
	FOLD64(Z8, Z16)
	VMOVUPS Z8, (R8)

	// Sums 16-23 (Z24-Z31): element 16 + 4l + q of out is sum 16 + 4q + l
	// for q < 2 (q = 2, 3 repeat them).
	FOLD512(Z24, Z25)
	FOLD512(Z26, Z27)
	FOLD512(Z28, Z29)
	FOLD512(Z30, Z31)
	FOLD256(Z24, Z26)
	FOLD256(Z28, Z30)
	FOLD128(Z24, Z28)
	FOLD64(Z24, Z24)
	VMOVUPS Z24, 64(R8)
	VZEROUPPER
	RET
