//go:build !purego

#include "textflag.h"

// Packing of 32-column micro-panels of B for the AVX-512 micro-kernels.

// func packB32AVX512(kb int, src *float32, ldb int, dst *float32, ahead int)
//
// Copies kb rows of 32 floats, ldb floats apart in src, to dst contiguously,
// prefetching each row `ahead` bytes to the right (see packB16AVX).
TEXT ·packB32AVX512(SB), NOSPLIT, $0-40
	MOVQ  kb+0(FP), CX
	MOVQ  src+8(FP), SI
	MOVQ  ldb+16(FP), R8
	SHLQ  $2, R8
	MOVQ  dst+24(FP), DI
	MOVQ  ahead+32(FP), R9
	TESTQ CX, CX
	JZ    done

loop:
	PREFETCHT0 (SI)(R9*1)
	PREFETCHT0 64(SI)(R9*1)
	VMOVUPS    (SI), Z0
	VMOVUPS    64(SI), Z1
	VMOVUPS    Z0, (DI)
	VMOVUPS    Z1, 64(DI)
	ADDQ       R8, SI
	ADDQ       $128, DI
	DECQ       CX
	JNZ        loop

done:
	VZEROUPPER
	RET

// TRANSPOSE8 transposes the 8×8 block in Y0..Y7 (row r in Yr) into Y8..Y15
// (column q in Y(8+q)), as in pack_amd64.s.
#define TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8          \
	VUNPCKHPS  Y1, Y0, Y9          \
	VUNPCKLPS  Y3, Y2, Y10         \
	VUNPCKHPS  Y3, Y2, Y11         \
	VUNPCKLPS  Y5, Y4, Y12         \
	VUNPCKHPS  Y5, Y4, Y13         \
	VUNPCKLPS  Y7, Y6, Y14         \
	VUNPCKHPS  Y7, Y6, Y15         \
	VSHUFPS    $0x44, Y10, Y8, Y0  \
	VSHUFPS    $0xEE, Y10, Y8, Y1  \
	VSHUFPS    $0x44, Y11, Y9, Y2  \
	VSHUFPS    $0xEE, Y11, Y9, Y3  \
	VSHUFPS    $0x44, Y14, Y12, Y4 \
	VSHUFPS    $0xEE, Y14, Y12, Y5 \
	VSHUFPS    $0x44, Y15, Y13, Y6 \
	VSHUFPS    $0xEE, Y15, Y13, Y7 \
	VPERM2F128 $0x20, Y4, Y0, Y8   \
	VPERM2F128 $0x20, Y5, Y1, Y9   \
	VPERM2F128 $0x20, Y6, Y2, Y10  \
	VPERM2F128 $0x20, Y7, Y3, Y11  \
	VPERM2F128 $0x31, Y4, Y0, Y12  \
	VPERM2F128 $0x31, Y5, Y1, Y13  \
	VPERM2F128 $0x31, Y6, Y2, Y14  \
	VPERM2F128 $0x31, Y7, Y3, Y15

// LOAD8 loads 8 floats from each of the eight rows at base + r·R8 (R10 =
// 3·R8) into Y0..Y7; CX is clobbered.
#define LOAD8(base) \
	VMOVUPS (base), Y0          \
	VMOVUPS (base)(R8*1), Y1    \
	VMOVUPS (base)(R8*2), Y2    \
	VMOVUPS (base)(R10*1), Y3   \
	LEAQ    (base)(R8*4), CX    \
	VMOVUPS (CX), Y4            \
	VMOVUPS (CX)(R8*1), Y5      \
	VMOVUPS (CX)(R8*2), Y6      \
	VMOVUPS (CX)(R10*1), Y7

// STORE8 stores the eight transposed columns Y8..Y15 to the panel rows at
// DI + off, DI + 128 + off, ... (the panel has 32 floats, 128 bytes, per row).
#define STORE8(off) \
	VMOVUPS Y8, off(DI)      \
	VMOVUPS Y9, off+128(DI)  \
	VMOVUPS Y10, off+256(DI) \
	VMOVUPS Y11, off+384(DI) \
	VMOVUPS Y12, off+512(DI) \
	VMOVUPS Y13, off+640(DI) \
	VMOVUPS Y14, off+768(DI) \
	VMOVUPS Y15, off+896(DI)

// func packB32TAVX2(kb int, src *float32, ldb int, dst *float32)
//
// Packs one 32-column micro-panel of a transposed B: 32 rows of B as
// stored, ldb floats apart, each contributing kb contiguous floats, become kb
// rows of 32 floats in dst (dst[p·32 + c] = src[c·ldb + p]). kb must be a
// multiple of 8; the panel is built from four 8×8 transposes per eight rows.
TEXT ·packB32TAVX2(SB), NOSPLIT, $0-32
	MOVQ kb+0(FP), BX
	MOVQ src+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	LEAQ (R8)(R8*2), R10  // 3 rows
	LEAQ (SI)(R8*8), R11  // row 8
	LEAQ (R11)(R8*8), R12 // row 16
	LEAQ (R12)(R8*8), R13 // row 24
	SHRQ $3, BX
	JZ   tdone

tloop:
	LOAD8(SI)
	TRANSPOSE8
	STORE8(0)
	LOAD8(R11)
	TRANSPOSE8
	STORE8(32)
	LOAD8(R12)
	TRANSPOSE8
	STORE8(64)
	LOAD8(R13)
	TRANSPOSE8
	STORE8(96)
	ADDQ $32, SI
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	ADDQ $1024, DI
	DECQ BX
	JNZ  tloop

tdone:
	VZEROUPPER
	RET
