//go:build !purego

#include "textflag.h"

// The softmax row kernels of softmax_amd64.s on 16-lane zmm registers. The
// exponential is the same Cephes expf, the same instructions in the same
// order per lane (VRNDSCALEPS $0 rounds like VROUNDPS $0), so every y[i] is
// bit for bit the AVX2 one; only the sum of a row is added up in 16 lanes
// instead of 8, which rounds differently.
//
// Each loop runs over 16 floats at a time; a last half vector, when n is
// not a multiple of 16 (n is a multiple of 8), is loaded and stored under
// the opmask K2 = the low 8 lanes, and masked-off lanes neither fault nor
// count. Masked loads and stores are kept out of the main loops: on Zen 5
// they made a memory-bound loop half as fast.

// The constants, one float each, broadcast into registers.
DATA exp512<>+0(SB)/4, $0xc2aeac4f  // lo = -87.33654
DATA exp512<>+4(SB)/4, $0x42b00000  // hi = 88.0
DATA exp512<>+8(SB)/4, $0x3fb8aa3b  // log2e
DATA exp512<>+12(SB)/4, $0x3f318000 // c1 = 0.693359375
DATA exp512<>+16(SB)/4, $0xb95e8083 // c2 = -0.00021219444
DATA exp512<>+20(SB)/4, $0x39506967 // p0
DATA exp512<>+24(SB)/4, $0x3ab743ce // p1
DATA exp512<>+28(SB)/4, $0x3c088908 // p2
DATA exp512<>+32(SB)/4, $0x3d2aa9c1 // p3
DATA exp512<>+36(SB)/4, $0x3e2aaaaa // p4
DATA exp512<>+40(SB)/4, $0x3f000000 // p5
DATA exp512<>+44(SB)/4, $0x3f800000 // one
GLOBL exp512<>(SB), RODATA|NOPTR, $48

// HALFMASK sets K2 to the low 8 lanes. Clobbers AX.
#define HALFMASK \
	MOVL  $0xff, AX \
	KMOVW AX, K2

// func maxAVX512(n int, x *float32) float32
//
// max x[i] for i < n, n a positive multiple of 8.
TEXT ·maxAVX512(SB), NOSPLIT, $0-20
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS (SI), Z0
	MOVQ         CX, DX
	SHRQ         $4, CX
	JZ           maxtail

maxloop:
	VMAXPS (SI), Z0, Z0
	ADDQ   $64, SI
	DECQ   CX
	JNZ    maxloop

maxtail:
	TESTQ  $8, DX
	JZ     maxreduce
	HALFMASK
	VMAXPS (SI), Z0, K2, Z0

maxreduce:
	VEXTRACTF32X8 $1, Z0, Y1
	VMAXPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0x4E, X0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0xB1, X0, X1
	VMAXPS        X1, X0, X0
	MOVSS         X0, ret+16(FP)
	VZEROUPPER
	RET

// EXPMATH sets Z2 = exp(Z0 − shift) in all 16 lanes, 0 where the argument
// is below lo (clobbers Z0, Z1, Z3, K1): the instructions of
// expShiftSumAVX2, with the constants in Z19..Z31.
#define EXPMATH \
	VSUBPS       Z31, Z0, Z0     \
	VCMPPS       $5, Z30, Z0, K1 \
	VMAXPS       Z30, Z0, Z0     \
	VMINPS       Z29, Z0, Z0     \
	VMULPS       Z28, Z0, Z1     \
	VRNDSCALEPS  $0, Z1, Z1      \
	VFNMADD231PS Z27, Z1, Z0     \
	VFNMADD231PS Z26, Z1, Z0     \
	VMOVAPS      Z25, Z2         \
	VFMADD213PS  Z24, Z0, Z2     \
	VFMADD213PS  Z23, Z0, Z2     \
	VFMADD213PS  Z22, Z0, Z2     \
	VFMADD213PS  Z21, Z0, Z2     \
	VFMADD213PS  Z20, Z0, Z2     \
	VMULPS       Z0, Z0, Z3      \
	VFMADD213PS  Z0, Z3, Z2      \
	VADDPS       Z19, Z2, Z2     \
	VCVTPS2DQ    Z1, Z1          \
	VPSLLD       $23, Z1, Z1     \
	VPADDD       Z1, Z2, Z2      \
	VMOVAPS.Z    Z2, K1, Z2

// func expShiftSumAVX512(n int, x *float32, shift float32, y *float32) float32
//
// y[i] = exp(x[i] - shift) for i < n, n a multiple of 8; returns Σ y[i].
// y may be x. Per lane: the lanes with x < lo (VCMPPS predicate 5, not
// less than, keeps NaN like the AVX2 code) are zeroed at the end; x is
// clamped to [lo, hi]; n = round(x·log2 e); r = x − n·c1 − n·c2;
// e^r = 1 + r + r²·P(r); times 2^n by adding n to the exponent bits.
TEXT ·expShiftSumAVX512(SB), NOSPLIT, $0-36
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS shift+16(FP), Z31
	MOVQ         y+24(FP), DI
	VXORPS       Y14, Y14, Y14 // the sum (zeroes all of Z14)
	VBROADCASTSS exp512<>+0(SB), Z30
	VBROADCASTSS exp512<>+4(SB), Z29
	VBROADCASTSS exp512<>+8(SB), Z28
	VBROADCASTSS exp512<>+12(SB), Z27
	VBROADCASTSS exp512<>+16(SB), Z26
	VBROADCASTSS exp512<>+20(SB), Z25
	VBROADCASTSS exp512<>+24(SB), Z24
	VBROADCASTSS exp512<>+28(SB), Z23
	VBROADCASTSS exp512<>+32(SB), Z22
	VBROADCASTSS exp512<>+36(SB), Z21
	VBROADCASTSS exp512<>+40(SB), Z20
	VBROADCASTSS exp512<>+44(SB), Z19
	MOVQ         CX, DX
	SHRQ         $4, CX
	JZ           exptail

exploop:
	VMOVUPS (SI), Z0
	EXPMATH
	VMOVUPS Z2, (DI)
	VADDPS  Z2, Z14, Z14
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     exploop

exptail:
	TESTQ     $8, DX
	JZ        expdone
	HALFMASK
	VMOVUPS.Z (SI), K2, Z0
	EXPMATH
	VMOVUPS   Z2, K2, (DI)
	VADDPS    Z2, Z14, K2, Z14

expdone:
	VEXTRACTF32X8 $1, Z14, Y1
	VADDPS        Y1, Y14, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VHADDPS       X0, X0, X0
	VHADDPS       X0, X0, X0
	MOVSS         X0, ret+32(FP)
	VZEROUPPER
	RET

// func sscalAVX512(n int, alpha float32, x *float32)
//
// x[i] *= alpha for i < n, n a multiple of 8.
TEXT ·sscalAVX512(SB), NOSPLIT, $0-24
	MOVQ         n+0(FP), CX
	VBROADCASTSS alpha+8(FP), Z0
	MOVQ         x+16(FP), SI
	MOVQ         CX, DX
	SHRQ         $4, CX
	JZ           scaltail

scalloop:
	VMULPS  (SI), Z0, Z1
	VMOVUPS Z1, (SI)
	ADDQ    $64, SI
	DECQ    CX
	JNZ     scalloop

scaltail:
	TESTQ   $8, DX
	JZ      scaldone
	HALFMASK
	VMULPS  (SI), Z0, K2, Z1
	VMOVUPS Z1, K2, (SI)

scaldone:
	VZEROUPPER
	RET
