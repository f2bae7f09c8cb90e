//go:build !purego

#include "textflag.h"

// func packB16AVX(kb int, src *float32, ldb int, dst *float32, ahead int)
//
// Copies kb rows of 16 floats, ldb floats apart in src, to dst contiguously
// (one packed micro-panel of a row-major B). Each row of B read here lies in
// a different page, a pattern the hardware prefetchers do not follow, so the
// loop prefetches the same row `ahead` bytes to the right: the part of it
// that a later panel will pack.
TEXT ·packB16AVX(SB), NOSPLIT, $0-40
	MOVQ kb+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	MOVQ ahead+32(FP), R9
	TESTQ CX, CX
	JZ   done

loop:
	PREFETCHT0 (SI)(R9*1)
	VMOVUPS    (SI), Y0
	VMOVUPS    32(SI), Y1
	VMOVUPS    Y0, (DI)
	VMOVUPS    Y1, 32(DI)
	ADDQ       R8, SI
	ADDQ       $64, DI
	DECQ       CX
	JNZ        loop

done:
	VZEROUPPER
	RET

// TRANSPOSE8 transposes the 8×8 block in Y0..Y7 (row r in Yr) into Y8..Y15
// (column q in Y(8+q)), in three rounds: interleave pairs of rows, gather
// four-row columns within each 128-bit lane, then join the lanes.
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

// LOAD4 loads 8 floats from each of four rows at base, base+R8, base+2·R8,
// base+R10 (R10 = 3·R8) into four registers.
#define LOAD4(base, y0, y1, y2, y3) \
	VMOVUPS (base), y0          \
	VMOVUPS (base)(R8*1), y1    \
	VMOVUPS (base)(R8*2), y2    \
	VMOVUPS (base)(R10*1), y3

// STORE8 stores the eight transposed columns Y8..Y15 to the panel rows at
// DI + off, DI + 64 + off, ... (the panel has 16 floats, 64 bytes, per row).
#define STORE8(off) \
	VMOVUPS Y8, off(DI)      \
	VMOVUPS Y9, off+64(DI)   \
	VMOVUPS Y10, off+128(DI) \
	VMOVUPS Y11, off+192(DI) \
	VMOVUPS Y12, off+256(DI) \
	VMOVUPS Y13, off+320(DI) \
	VMOVUPS Y14, off+384(DI) \
	VMOVUPS Y15, off+448(DI)

// func packB16TAVX(kb int, src *float32, ldb int, dst *float32)
//
// Packs one micro-panel of a transposed B: 16 rows of B as stored, ldb
// floats apart, each contributing kb contiguous floats, become kb rows of 16
// floats in dst (dst[p·16 + c] = src[c·ldb + p]). kb must be a multiple of 8;
// the panel is built from 8×8 transposes.
TEXT ·packB16TAVX(SB), NOSPLIT, $0-32
	MOVQ kb+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	LEAQ (R8)(R8*2), R10   // 3 rows
	LEAQ (SI)(R8*4), R11   // row 4
	LEAQ (R11)(R8*4), R12  // row 8
	LEAQ (R12)(R8*4), R13  // row 12
	SHRQ $3, CX
	JZ   tdone

tloop:
	LOAD4(SI, Y0, Y1, Y2, Y3)
	LOAD4(R11, Y4, Y5, Y6, Y7)
	TRANSPOSE8
	STORE8(0)
	LOAD4(R12, Y0, Y1, Y2, Y3)
	LOAD4(R13, Y4, Y5, Y6, Y7)
	TRANSPOSE8
	STORE8(32)
	ADDQ $32, SI
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13
	ADDQ $512, DI
	DECQ CX
	JNZ  tloop

tdone:
	VZEROUPPER
	RET
