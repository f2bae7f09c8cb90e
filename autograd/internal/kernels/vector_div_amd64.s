//go:build !purego

#include "textflag.h"

// func sdivAVX2(n int, x *float32, s float32, z *float32)
//
// z[i] = x[i] / s for i < n, n a multiple of 32: four 8-wide divisions per
// iteration, independent of each other, so the divider's pipeline stays
// full. z may be x (each block is read before it is written).
TEXT ·sdivAVX2(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS s+16(FP), Y4
	MOVQ         z+24(FP), DI
	SHRQ         $5, CX
	JZ           divdone

divloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VDIVPS  Y4, Y0, Y0
	VDIVPS  Y4, Y1, Y1
	VDIVPS  Y4, Y2, Y2
	VDIVPS  Y4, Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	DECQ    CX
	JNZ     divloop

divdone:
	VZEROUPPER
	RET
