//go:build !purego

#include "textflag.h"

// ADAMMATH is one step on the 16 lanes of w (Z0), g (Z1), m (Z2) and v
// (Z4), leaving the new w, m, v in Z0, Z2, Z4: the instructions of
// adamAVX2, with the L2 term under the opmask K3 (all lanes when L2 ≠ 0,
// none otherwise) instead of a branch. In order: w·Decay; d += L2·w;
// m = β1·m + (1−β1)·d; v = β2·v + ((1−β2)·d)·d; denom = √v / BC2Sqrt + Eps;
// w += (−StepSize·m) / denom.
#define ADAMMATH \
	VMULPS      Z15, Z0, Z0     \
	VFMADD231PS Z14, Z0, K3, Z1 \
	VMULPS      Z2, Z13, Z2     \
	VFMADD231PS Z11, Z1, Z2     \
	VMULPS      Z10, Z1, Z3     \
	VMULPS      Z4, Z12, Z4     \
	VFMADD231PS Z3, Z1, Z4      \
	VSQRTPS     Z4, Z5          \
	VDIVPS      Z9, Z5, Z5      \
	VADDPS      Z8, Z5, Z5      \
	VMULPS      Z7, Z2, Z6      \
	VDIVPS      Z5, Z6, Z6      \
	VADDPS      Z6, Z0, Z0

// func adamAVX512(n int, s *AdamStep, w, grad, m, v *float32)
//
// adamAVX2 (adam_amd64.s) on 16 elements at a time, n a multiple of 8: the
// same instructions per element, so the same bits. A last half vector, when
// n is not a multiple of 16, is loaded and stored under the opmask K2 (the
// low 8 lanes; masked-off lanes neither fault nor are written). Masked
// loads and stores are kept out of the main loop: on Zen 5 they made it
// half as fast.
TEXT ·adamAVX512(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         s+8(FP), AX
	MOVQ         w+16(FP), DI
	MOVQ         grad+24(FP), SI
	MOVQ         m+32(FP), R8
	MOVQ         v+40(FP), R9
	VBROADCASTSS 0(AX), Z15  // Decay
	VBROADCASTSS 4(AX), Z14  // L2
	VBROADCASTSS 8(AX), Z13  // β1
	VBROADCASTSS 12(AX), Z12 // β2
	VBROADCASTSS 16(AX), Z11 // 1−β1
	VBROADCASTSS 20(AX), Z10 // 1−β2
	VBROADCASTSS 24(AX), Z9  // BC2Sqrt
	VBROADCASTSS 28(AX), Z8  // Eps
	VBROADCASTSS 32(AX), Z7  // StepSize
	VXORPS       Y6, Y6, Y6
	VSUBPS       Z7, Z6, Z7  // −StepSize
	MOVL         4(AX), R10       // the bits of L2 without the sign:
	ANDL         $0x7fffffff, R10 // zero (either sign) means no L2 term
	MOVL         $0, AX
	MOVL         $0xffff, R11
	TESTL        R10, R10
	CMOVLNE      R11, AX
	KMOVW        AX, K3
	MOVQ         CX, DX
	SHRQ         $4, CX
	JZ           adamtail

adamloop:
	VMOVUPS (DI), Z0 // w
	VMOVUPS (SI), Z1 // d = g
	VMOVUPS (R8), Z2 // m
	VMOVUPS (R9), Z4 // v
	ADAMMATH
	VMOVUPS Z2, (R8)
	VMOVUPS Z4, (R9)
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, R8
	ADDQ    $64, R9
	DECQ    CX
	JNZ     adamloop

adamtail:
	TESTQ     $8, DX
	JZ        adamdone
	MOVL      $0xff, AX
	KMOVW     AX, K2
	VMOVUPS.Z (DI), K2, Z0
	VMOVUPS.Z (SI), K2, Z1
	VMOVUPS.Z (R8), K2, Z2
	VMOVUPS.Z (R9), K2, Z4
	ADAMMATH
	VMOVUPS   Z2, K2, (R8)
	VMOVUPS   Z4, K2, (R9)
	VMOVUPS   Z0, K2, (DI)

adamdone:
	VZEROUPPER
	RET
