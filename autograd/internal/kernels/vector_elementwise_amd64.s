//go:build !purego

#include "textflag.h"

// The AVX2 bodies of the element-wise kernels (vector_elementwise.go): for
// i < n, n a multiple of 32, z[i] = x[i] op y[i] (saddAVX2, smulAVX2) or
// x[i] / s (sdivAVX2), four independent 8-wide operations per iteration,
// and acc[i] += float64(x[i]) for n a multiple of 16 (accumulateWideAVX2).
// z may be x (or y): each block is read before it is written.

// BINARY is the body of func name(n int, x, y, z *float32) with op one of
// VADDPS, VMULPS.
#define BINARY(op)              \
	MOVQ n+0(FP), CX        \
	MOVQ x+8(FP), SI        \
	MOVQ y+16(FP), DX       \
	MOVQ z+24(FP), DI       \
	SHRQ $5, CX             \
	JZ   done               \
loop:                           \
	VMOVUPS (SI), Y0        \
	VMOVUPS 32(SI), Y1      \
	VMOVUPS 64(SI), Y2      \
	VMOVUPS 96(SI), Y3      \
	op      (DX), Y0, Y0    \
	op      32(DX), Y1, Y1  \
	op      64(DX), Y2, Y2  \
	op      96(DX), Y3, Y3  \
	VMOVUPS Y0, (DI)        \
	VMOVUPS Y1, 32(DI)      \
	VMOVUPS Y2, 64(DI)      \
	VMOVUPS Y3, 96(DI)      \
	ADDQ    $128, SI        \
	ADDQ    $128, DX        \
	ADDQ    $128, DI        \
	DECQ    CX              \
	JNZ     loop            \
done:                           \
	VZEROUPPER              \
	RET

// func saddAVX2(n int, x, y, z *float32)
TEXT ·saddAVX2(SB), NOSPLIT, $0-32
	BINARY(VADDPS)

// func smulAVX2(n int, x, y, z *float32)
TEXT ·smulAVX2(SB), NOSPLIT, $0-32
	BINARY(VMULPS)

// func sdivAVX2(n int, x *float32, s float32, z *float32)
//
// The divisions are independent of one another, so the divider's pipeline
// stays full.
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

// func accumulateWideAVX2(n int, acc *float64, x *float32)
//
// Sixteen floats per iteration, widened four at a time (VCVTPS2PD, exact)
// and added to four 4-wide blocks of acc.
TEXT ·accumulateWideAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ acc+8(FP), DI
	MOVQ x+16(FP), SI
	SHRQ $4, CX
	JZ   widedone

wideloop:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD 32(SI), Y2
	VCVTPS2PD 48(SI), Y3
	VADDPD    (DI), Y0, Y0
	VADDPD    32(DI), Y1, Y1
	VADDPD    64(DI), Y2, Y2
	VADDPD    96(DI), Y3, Y3
	VMOVUPD   Y0, (DI)
	VMOVUPD   Y1, 32(DI)
	VMOVUPD   Y2, 64(DI)
	VMOVUPD   Y3, 96(DI)
	ADDQ      $64, SI
	ADDQ      $128, DI
	DECQ      CX
	JNZ       wideloop

widedone:
	VZEROUPPER
	RET
