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
