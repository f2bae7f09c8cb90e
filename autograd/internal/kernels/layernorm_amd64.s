//go:build !purego

#include "textflag.h"

// Row kernels of LayerNorm (layernorm.go), 8 lanes at a time; n is a
// multiple of 8 in every function, the Go callers do the tails.

// HSUM adds the 8 lanes of Y0 into X0's lowest lane.
#define HSUM \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS       X1, X0, X0 \
	VHADDPS      X0, X0, X0 \
	VHADDPS      X0, X0, X0

// func sumAVX2(n int, x *float32) float32
TEXT ·sumAVX2(SB), NOSPLIT, $0-20
	MOVQ   n+0(FP), CX
	MOVQ   x+8(FP), SI
	VXORPS Y0, Y0, Y0
	VXORPS Y2, Y2, Y2
	SHRQ   $3, CX
	JZ     sumdone

sumloop:
	VADDPS (SI), Y0, Y0
	ADDQ   $32, SI
	DECQ   CX
	JNZ    sumloop

sumdone:
	HSUM
	MOVSS X0, ret+16(FP)
	VZEROUPPER
	RET

// func sumSqDevAVX2(n int, x *float32, mean float32) float32
//
// Σ (x[i] - mean)².
TEXT ·sumSqDevAVX2(SB), NOSPLIT, $0-28
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS mean+16(FP), Y3
	VXORPS       Y0, Y0, Y0
	SHRQ         $3, CX
	JZ           ssddone

ssdloop:
	VMOVUPS     (SI), Y2
	VSUBPS      Y3, Y2, Y2
	VFMADD231PS Y2, Y2, Y0
	ADDQ        $32, SI
	DECQ        CX
	JNZ         ssdloop

ssddone:
	HSUM
	MOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func normAffineAVX2(n int, x *float32, mean, rstd float32, gamma, beta, y *float32)
//
// y[i] = (x[i] - mean)·rstd·gamma[i] + beta[i]. y may be x.
TEXT ·normAffineAVX2(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS mean+16(FP), Y3
	VBROADCASTSS rstd+20(FP), Y4
	MOVQ         gamma+24(FP), R8
	MOVQ         beta+32(FP), R9
	MOVQ         y+40(FP), DI
	SHRQ         $3, CX
	JZ           nadone

naloop:
	VMOVUPS     (SI), Y0
	VSUBPS      Y3, Y0, Y0
	VMULPS      Y4, Y0, Y0    // x̂
	VMULPS      (R8), Y0, Y0  // x̂·γ
	VADDPS      (R9), Y0, Y0  // + β
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	ADDQ        $32, DI
	DECQ        CX
	JNZ         naloop

nadone:
	VZEROUPPER
	RET

// func lnBackSumsAVX2(n int, x, gy, gamma *float32, mean, rstd float32) (sg, sgx float32)
//
// sg = Σ gy[i]·gamma[i], sgx = Σ gy[i]·gamma[i]·x̂[i], x̂ = (x - mean)·rstd.
TEXT ·lnBackSumsAVX2(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         gy+16(FP), R8
	MOVQ         gamma+24(FP), R9
	VBROADCASTSS mean+32(FP), Y3
	VBROADCASTSS rstd+36(FP), Y4
	VXORPS       Y5, Y5, Y5 // Σ g
	VXORPS       Y6, Y6, Y6 // Σ g·x̂
	SHRQ         $3, CX
	JZ           bsdone

bsloop:
	VMOVUPS     (SI), Y0
	VSUBPS      Y3, Y0, Y0
	VMULPS      Y4, Y0, Y0   // x̂
	VMOVUPS     (R8), Y1
	VMULPS      (R9), Y1, Y1 // g = gy·γ
	VADDPS      Y1, Y5, Y5
	VFMADD231PS Y0, Y1, Y6
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	DECQ        CX
	JNZ         bsloop

bsdone:
	VMOVAPS Y5, Y0
	HSUM
	MOVSS   X0, sg+40(FP)
	VMOVAPS Y6, Y0
	HSUM
	MOVSS   X0, sgx+44(FP)
	VZEROUPPER
	RET

// func lnBackApplyAVX2(n int, x, gy, gamma *float32, mean, rstd, c1, c2 float32, gx, dgamma, dbeta *float32)
//
// With x̂ = (x - mean)·rstd: gx = rstd·gy·γ + c1 + c2·x̂, dgamma += gy·x̂,
// dbeta += gy. gx may be gy.
TEXT ·lnBackApplyAVX2(SB), NOSPLIT, $0-72
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         gy+16(FP), R8
	MOVQ         gamma+24(FP), R9
	VBROADCASTSS mean+32(FP), Y3
	VBROADCASTSS rstd+36(FP), Y4
	VBROADCASTSS c1+40(FP), Y5
	VBROADCASTSS c2+44(FP), Y6
	MOVQ         gx+48(FP), DI
	MOVQ         dgamma+56(FP), R10
	MOVQ         dbeta+64(FP), R11
	SHRQ         $3, CX
	JZ           badone

baloop:
	VMOVUPS     (SI), Y0
	VSUBPS      Y3, Y0, Y0
	VMULPS      Y4, Y0, Y0    // x̂
	VMOVUPS     (R8), Y1      // gy
	VMOVUPS     (R10), Y7
	VFMADD231PS Y1, Y0, Y7    // dγ += gy·x̂
	VMOVUPS     Y7, (R10)
	VADDPS      (R11), Y1, Y7 // dβ += gy
	VMOVUPS     Y7, (R11)
	VMULPS      (R9), Y1, Y1  // gy·γ
	VMULPS      Y4, Y1, Y1    // rstd·gy·γ
	VADDPS      Y5, Y1, Y1    // + c1
	VFMADD231PS Y6, Y0, Y1    // + c2·x̂
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	ADDQ        $32, DI
	ADDQ        $32, R10
	ADDQ        $32, R11
	DECQ        CX
	JNZ         baloop

badone:
	VZEROUPPER
	RET
