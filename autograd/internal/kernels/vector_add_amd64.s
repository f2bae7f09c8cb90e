//go:build !purego

#include "textflag.h"

// func saddAVX2(n int, x, y, z *float32)
//
// z[i] = x[i] + y[i] for i < n, n a multiple of 32: four 8-wide additions
// per iteration. z may be x or y (each block is read before it is written).
TEXT ·saddAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ z+24(FP), DI
	SHRQ $5, CX
	JZ   adddone

addloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VADDPS  (DX), Y0, Y0
	VADDPS  32(DX), Y1, Y1
	VADDPS  64(DX), Y2, Y2
	VADDPS  96(DX), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DX
	ADDQ    $128, DI
	DECQ    CX
	JNZ     addloop

adddone:
	VZEROUPPER
	RET
