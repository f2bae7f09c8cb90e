//go:build !purego

#include "textflag.h"

// GELU and its backward pass (gelu_amd64.s) on 16-lane zmm registers: the
// same erfc fit and exponential, the same instructions in the same order
// per lane (VRNDSCALEPS $0 for VROUNDPS $0, an opmask blend for VBLENDVPS),
// so every result is bit for bit the AVX2 one. n is a multiple of 8; a last
// half vector, when n is not a multiple of 16, is loaded and stored under
// the opmask K2 (the low 8 lanes), whose masked-off lanes neither fault nor
// are written. Masked loads and stores are kept out of the main loops: on
// Zen 5 they made a memory-bound loop half as fast.

DATA gelu512<>+0(SB)/4, $0xc2aeac4f  // lo = -87.33654
DATA gelu512<>+4(SB)/4, $0x42b00000  // hi = 88.0
DATA gelu512<>+8(SB)/4, $0x3fb8aa3b  // log2e
DATA gelu512<>+12(SB)/4, $0x3f318000 // c1
DATA gelu512<>+16(SB)/4, $0xb95e8083 // c2
DATA gelu512<>+20(SB)/4, $0x39506967 // p0
DATA gelu512<>+24(SB)/4, $0x3ab743ce // p1
DATA gelu512<>+28(SB)/4, $0x3c088908 // p2
DATA gelu512<>+32(SB)/4, $0x3d2aa9c1 // p3
DATA gelu512<>+36(SB)/4, $0x3e2aaaaa // p4
DATA gelu512<>+40(SB)/4, $0x3f000000 // p5
DATA gelu512<>+44(SB)/4, $0x3f800000 // one
DATA gelu512<>+48(SB)/4, $0x3f000000 // half
DATA gelu512<>+52(SB)/4, $0x3f3504f3 // rsqrt2 = 0.7071067811865476
DATA gelu512<>+56(SB)/4, $0x7fffffff // absmask
DATA gelu512<>+60(SB)/4, $0x3ecc422a // invsqrt2pi = 0.3989422804014327
DATA gelu512<>+64(SB)/4, $0x3e2ef945 // e9 = 0.17087277
DATA gelu512<>+68(SB)/4, $0xbf527892 // e8 = -0.82215223
DATA gelu512<>+72(SB)/4, $0x3fbe87b0 // e7 = 1.48851587
DATA gelu512<>+76(SB)/4, $0xbf914e5d // e6 = -1.13520398
DATA gelu512<>+80(SB)/4, $0x3e8ec7cc // e5 = 0.27886807
DATA gelu512<>+84(SB)/4, $0xbe3ec24c // e4 = -0.18628806
DATA gelu512<>+88(SB)/4, $0x3dc636c9 // e3 = 0.09678418
DATA gelu512<>+92(SB)/4, $0x3ebf88fb // e2 = 0.37409196
DATA gelu512<>+96(SB)/4, $0x3f8000c7 // e1 = 1.00002368
DATA gelu512<>+100(SB)/4, $0xbfa1fc4e // e0 = -1.26551223
GLOBL gelu512<>(SB), RODATA|NOPTR, $104

// EXPCONSTS broadcasts the exponential's constants and one into Z31..Z20.
#define EXPCONSTS \
	VBROADCASTSS gelu512<>+0(SB), Z31  \
	VBROADCASTSS gelu512<>+4(SB), Z30  \
	VBROADCASTSS gelu512<>+8(SB), Z29  \
	VBROADCASTSS gelu512<>+12(SB), Z28 \
	VBROADCASTSS gelu512<>+16(SB), Z27 \
	VBROADCASTSS gelu512<>+20(SB), Z26 \
	VBROADCASTSS gelu512<>+24(SB), Z25 \
	VBROADCASTSS gelu512<>+28(SB), Z24 \
	VBROADCASTSS gelu512<>+32(SB), Z23 \
	VBROADCASTSS gelu512<>+36(SB), Z22 \
	VBROADCASTSS gelu512<>+40(SB), Z21 \
	VBROADCASTSS gelu512<>+44(SB), Z20

// EXP sets Z2 = exp(a) for a in Z2 (clobbers Z0, Z1, Z3), as the AVX2 code.
#define EXP \
	VMAXPS       Z31, Z2, Z0 \
	VMINPS       Z30, Z0, Z0 \
	VMULPS       Z29, Z0, Z1 \
	VRNDSCALEPS  $0, Z1, Z1  \
	VFNMADD231PS Z28, Z1, Z0 \
	VFNMADD231PS Z27, Z1, Z0 \
	VMOVAPS      Z26, Z2     \
	VFMADD213PS  Z25, Z0, Z2 \
	VFMADD213PS  Z24, Z0, Z2 \
	VFMADD213PS  Z23, Z0, Z2 \
	VFMADD213PS  Z22, Z0, Z2 \
	VFMADD213PS  Z21, Z0, Z2 \
	VMULPS       Z0, Z0, Z3  \
	VFMADD213PS  Z0, Z3, Z2  \
	VADDPS       Z20, Z2, Z2 \
	VCVTPS2DQ    Z1, Z1      \
	VPSLLD       $23, Z1, Z1 \
	VPADDD       Z1, Z2, Z2

// HALFMASK sets K2 to the low 8 lanes. Clobbers AX.
#define HALFMASK \
	MOVL  $0xff, AX \
	KMOVW AX, K2

// GELUMATH sets Z4 = Φ(x) and Z5 = x·Φ(x) for x in Z8 (clobbers Z0..Z3,
// Z9, K1): z = |x|/√2; t = 1/(1 + z/2); a = Q(t) − z² (Horner, the last
// nine coefficients broadcast from memory); Φ(−|x|) = ½·t·exp(a); Φ(|x|) =
// 1 − Φ(−|x|); the first where the sign bit of x is set.
#define GELUMATH \
	VANDPS       Z17, Z8, Z0                    \
	VMULPS       Z18, Z0, Z0                    \
	VMULPS       Z19, Z0, Z1                    \
	VADDPS       Z20, Z1, Z1                    \
	VDIVPS       Z1, Z20, Z9                    \
	VMOVAPS      Z15, Z2                        \
	VFMADD213PS.BCST gelu512<>+68(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+72(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+76(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+80(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+84(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+88(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+92(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+96(SB), Z9, Z2   \
	VFMADD213PS.BCST gelu512<>+100(SB), Z9, Z2  \
	VFNMADD231PS Z0, Z0, Z2                     \
	EXP                                         \
	VMULPS       Z9, Z2, Z2                     \
	VMULPS       Z19, Z2, Z2                    \
	VSUBPS       Z2, Z20, Z3                    \
	VPMOVD2M     Z8, K1                         \
	VBLENDMPS    Z2, Z3, K1, Z4                 \
	VMULPS       Z4, Z8, Z5

// GBMATH sets Z2 = x·φ(x) for x in Z8 (clobbers Z0, Z1, Z3): a = 0 − x²·½,
// φ(x) = exp(a)/√(2π).
#define GBMATH \
	VMULPS Z8, Z8, Z0  \
	VMULPS Z19, Z0, Z0 \
	VSUBPS Z0, Z15, Z2 \
	EXP                \
	VMULPS Z16, Z2, Z2 \
	VMULPS Z8, Z2, Z2

// func geluAVX512(n int, x, y, cdf *float32)
//
// y[i] = x[i]·Φ(x[i]) and, when cdf is not nil, cdf[i] = Φ(x[i]), for i < n,
// n a multiple of 8. y and cdf may be x. Without a cdf, Φ is stored to y
// first and then overwritten by x·Φ.
TEXT ·geluAVX512(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         cdf+24(FP), DX
	TESTQ        DX, DX
	CMOVQEQ      DI, DX
	EXPCONSTS
	VBROADCASTSS gelu512<>+48(SB), Z19
	VBROADCASTSS gelu512<>+52(SB), Z18
	VBROADCASTSS gelu512<>+56(SB), Z17
	VBROADCASTSS gelu512<>+64(SB), Z15
	MOVQ         CX, BX
	SHRQ         $4, CX
	JZ           gelutail

geluloop:
	VMOVUPS (SI), Z8
	GELUMATH
	VMOVUPS Z4, (DX)
	VMOVUPS Z5, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	ADDQ    $64, DX
	DECQ    CX
	JNZ     geluloop

gelutail:
	TESTQ     $8, BX
	JZ        geludone
	HALFMASK
	VMOVUPS.Z (SI), K2, Z8
	GELUMATH
	VMOVUPS   Z4, K2, (DX)
	VMOVUPS   Z5, K2, (DI)

geludone:
	VZEROUPPER
	RET

// func geluBackwardAVX512(n int, x, cdf, gy, gx *float32)
//
// gx[i] = gy[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, n a multiple of 8, with
// φ(x) = exp(-x²/2)/√(2π). gx may be gy.
TEXT ·geluBackwardAVX512(SB), NOSPLIT, $0-40
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	MOVQ         cdf+16(FP), R8
	MOVQ         gy+24(FP), R9
	MOVQ         gx+32(FP), DI
	EXPCONSTS
	VBROADCASTSS gelu512<>+48(SB), Z19
	VBROADCASTSS gelu512<>+60(SB), Z16
	VXORPS       Y15, Y15, Y15
	MOVQ         CX, BX
	SHRQ         $4, CX
	JZ           gbtail

gbloop:
	VMOVUPS (SI), Z8
	GBMATH
	VADDPS  (R8), Z2, Z2 // + Φ(x)
	VMULPS  (R9), Z2, Z2 // · gy
	VMOVUPS Z2, (DI)
	ADDQ    $64, SI
	ADDQ    $64, R8
	ADDQ    $64, R9
	ADDQ    $64, DI
	DECQ    CX
	JNZ     gbloop

gbtail:
	TESTQ     $8, BX
	JZ        gbdone
	HALFMASK
	VMOVUPS.Z (SI), K2, Z8
	GBMATH
	VMOVUPS.Z (R8), K2, Z3
	VADDPS    Z3, Z2, Z2
	VMOVUPS.Z (R9), K2, Z4
	VMULPS    Z4, Z2, Z2
	VMOVUPS   Z2, K2, (DI)

gbdone:
	VZEROUPPER
	RET
