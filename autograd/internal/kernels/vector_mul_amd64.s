//go:build !purego

#include "textflag.h"

// func smulAVX2(n int, x, y, z *float32)
//
// z[i] = x[i]·y[i] for i < n, n a multiple of 32: four 8-wide products
// per iteration. z may be x or y (each block is read before it is written).
TEXT ·smulAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	MOVQ z+24(FP), DI
	SHRQ $5, CX
	JZ   muldone

mulloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMULPS  (DX), Y0, Y0
	VMULPS  32(DX), Y1, Y1
	VMULPS  64(DX), Y2, Y2
	VMULPS  96(DX), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DX
	ADDQ    $128, DI
	DECQ    CX
	JNZ     mulloop

muldone:
	VZEROUPPER
	RET
