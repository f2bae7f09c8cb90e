//go:build !purego

#include "textflag.h"

// func saxpyAVX512(n int, alpha float32, x, y *float32)
//
// y[i] += alpha·x[i] for i < n, n a multiple of 32: four 16-wide fused
// multiply-adds per iteration, then two for a last 32. Each y[i] is one
// fused multiply-add, as in saxpyAVX2, so the results are the same bits.
TEXT ·saxpyAVX512(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	VBROADCASTSS alpha+8(FP), Z0
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DI
	MOVQ         CX, DX
	SHRQ         $6, CX
	JZ           axpy32

axpyloop:
	VMOVUPS     (DI), Z1
	VMOVUPS     64(DI), Z2
	VMOVUPS     128(DI), Z3
	VMOVUPS     192(DI), Z4
	VFMADD231PS (SI), Z0, Z1
	VFMADD231PS 64(SI), Z0, Z2
	VFMADD231PS 128(SI), Z0, Z3
	VFMADD231PS 192(SI), Z0, Z4
	VMOVUPS     Z1, (DI)
	VMOVUPS     Z2, 64(DI)
	VMOVUPS     Z3, 128(DI)
	VMOVUPS     Z4, 192(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	DECQ        CX
	JNZ         axpyloop

axpy32:
	TESTQ       $32, DX
	JZ          axpydone
	VMOVUPS     (DI), Z1
	VMOVUPS     64(DI), Z2
	VFMADD231PS (SI), Z0, Z1
	VFMADD231PS 64(SI), Z0, Z2
	VMOVUPS     Z1, (DI)
	VMOVUPS     Z2, 64(DI)

axpydone:
	VZEROUPPER
	RET
