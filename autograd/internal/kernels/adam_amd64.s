//go:build !purego

#include "textflag.h"

// func adamAVX2(n int, s *AdamStep, w, grad, m, v *float32)
//
// One Adam/AdamW step on 8 elements at a time, n a multiple of 8; see
// AdamUpdate in adam.go. The fields of AdamStep are read by their offsets:
// Decay 0, L2 4, Beta1 8, Beta2 12, OneMinusBeta1 16, OneMinusBeta2 20,
// BC2Sqrt 24, Eps 28, StepSize 32.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         s+8(FP), AX
	MOVQ         w+16(FP), DI
	MOVQ         grad+24(FP), SI
	MOVQ         m+32(FP), R8
	MOVQ         v+40(FP), R9
	VBROADCASTSS 0(AX), Y15  // Decay
	VBROADCASTSS 4(AX), Y14  // L2
	VBROADCASTSS 8(AX), Y13  // β1
	VBROADCASTSS 12(AX), Y12 // β2
	VBROADCASTSS 16(AX), Y11 // 1−β1
	VBROADCASTSS 20(AX), Y10 // 1−β2
	VBROADCASTSS 24(AX), Y9  // BC2Sqrt
	VBROADCASTSS 28(AX), Y8  // Eps
	VBROADCASTSS 32(AX), Y7  // StepSize
	VXORPS       Y6, Y6, Y6
	VSUBPS       Y7, Y6, Y7  // −StepSize
	MOVL         4(AX), R10       // the bits of L2 without the sign:
	ANDL         $0x7fffffff, R10 // zero (either sign) means no L2 term
	SHRQ         $3, CX
	JZ           adamdone

adamloop:
	VMOVUPS (DI), Y0        // w
	VMOVUPS (SI), Y1        // d = g
	VMULPS  Y15, Y0, Y0     // w·Decay
	TESTL   R10, R10
	JZ      adamnol2
	VFMADD231PS Y14, Y0, Y1 // d += L2·w

adamnol2:
	VMULPS      (R8), Y13, Y2  // β1·m
	VFMADD231PS Y11, Y1, Y2    // + (1−β1)·d
	VMOVUPS     Y2, (R8)
	VMULPS      Y10, Y1, Y3    // (1−β2)·d
	VMULPS      (R9), Y12, Y4  // β2·v
	VFMADD231PS Y3, Y1, Y4     // + (1−β2)·d·d
	VMOVUPS     Y4, (R9)
	VSQRTPS     Y4, Y4
	VDIVPS      Y9, Y4, Y4     // √v / BC2Sqrt
	VADDPS      Y8, Y4, Y4     // + Eps
	VMULPS      Y7, Y2, Y2     // −StepSize·m
	VDIVPS      Y4, Y2, Y2     // / denom
	VADDPS      Y2, Y0, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         adamloop

adamdone:
	VZEROUPPER
	RET
