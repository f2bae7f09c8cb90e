//go:build !purego

#include "textflag.h"

// The tanh GELU and its backward pass (gelu_tanh_amd64.s) on 16-lane zmm
// registers: the same instructions in the same order per lane
// (VRNDSCALEPS $0 for VROUNDPS $0, an opmask blend with zero for VANDNPS),
// so every result is bit for bit the AVX2 one. n is a multiple of 8; a last
// half vector is loaded and stored under the opmask K2 (the low 8 lanes),
// as in gelu_avx512_amd64.s.

DATA gelutanh512<>+0(SB)/4, $0xc2aeac4f // lo = -87.33654
DATA gelutanh512<>+4(SB)/4, $0x42b00000 // hi = 88.0
DATA gelutanh512<>+8(SB)/4, $0x3fb8aa3b // log2e = 1.4426950408889634
DATA gelutanh512<>+12(SB)/4, $0x3f318000 // c1 = 0.693359375
DATA gelutanh512<>+16(SB)/4, $0xb95e8083 // c2 = -0.00021219444
DATA gelutanh512<>+20(SB)/4, $0x39506967 // p0 = 0.000198756915
DATA gelutanh512<>+24(SB)/4, $0x3ab743ce // p1 = 0.0013981999507
DATA gelutanh512<>+28(SB)/4, $0x3c088908 // p2 = 0.0083334519073
DATA gelutanh512<>+32(SB)/4, $0x3d2aa9c1 // p3 = 0.041665795894
DATA gelutanh512<>+36(SB)/4, $0x3e2aaaaa // p4 = 0.16666665459
DATA gelutanh512<>+40(SB)/4, $0x3f000000 // p5 = 0.50000001201
DATA gelutanh512<>+44(SB)/4, $0x3f800000 // one = 1.0
DATA gelutanh512<>+48(SB)/4, $0xc1a00000 // mclamp = -20.0
DATA gelutanh512<>+52(SB)/4, $0x41a00000 // clamp = 20.0
DATA gelutanh512<>+56(SB)/4, $0x3d372713 // k = 0.044715
DATA gelutanh512<>+60(SB)/4, $0x3e095d4f // k3 = 0.134145
DATA gelutanh512<>+64(SB)/4, $0xbfcc422a // m2c = -1.5957691216057308
DATA gelutanh512<>+68(SB)/4, $0x3fcc422a // p2c = 1.5957691216057308
GLOBL gelutanh512<>(SB), RODATA|NOPTR, $72

// CONSTS broadcasts the constants into Z31..Z14 (the exponential's in
// Z31..Z21, one in Z20, then −20, 20, 0.044715, 3·0.044715, −2√(2/π),
// 2√(2/π)) and zeroes Z13.
#define CONSTS \
	VBROADCASTSS gelutanh512<>+0(SB), Z31 \
	VBROADCASTSS gelutanh512<>+4(SB), Z30 \
	VBROADCASTSS gelutanh512<>+8(SB), Z29 \
	VBROADCASTSS gelutanh512<>+12(SB), Z28 \
	VBROADCASTSS gelutanh512<>+16(SB), Z27 \
	VBROADCASTSS gelutanh512<>+20(SB), Z26 \
	VBROADCASTSS gelutanh512<>+24(SB), Z25 \
	VBROADCASTSS gelutanh512<>+28(SB), Z24 \
	VBROADCASTSS gelutanh512<>+32(SB), Z23 \
	VBROADCASTSS gelutanh512<>+36(SB), Z22 \
	VBROADCASTSS gelutanh512<>+40(SB), Z21 \
	VBROADCASTSS gelutanh512<>+44(SB), Z20 \
	VBROADCASTSS gelutanh512<>+48(SB), Z19 \
	VBROADCASTSS gelutanh512<>+52(SB), Z18 \
	VBROADCASTSS gelutanh512<>+56(SB), Z17 \
	VBROADCASTSS gelutanh512<>+60(SB), Z16 \
	VBROADCASTSS gelutanh512<>+64(SB), Z15 \
	VBROADCASTSS gelutanh512<>+68(SB), Z14 \
	VPXORD Z13, Z13, Z13

// GTEXP sets Z9 = xc (x clamped to [−20, 20]), Z2 = 1 + e^a and K1 = (a >
// 88) for x in Z8 (clobbers Z0, Z1, Z3).
#define GTEXP \
	VMAXPS       Z8, Z19, Z9  \
	VMINPS       Z9, Z18, Z9  \
	VMULPS       Z9, Z9, Z0   \
	VMOVAPS      Z20, Z1      \
	VFMADD231PS  Z17, Z0, Z1  \
	VMULPS       Z15, Z9, Z2  \
	VMULPS       Z1, Z2, Z2   \
	VCMPPS       $0x1e, Z30, Z2, K1 \
	VMAXPS       Z31, Z2, Z0  \
	VMINPS       Z30, Z0, Z0  \
	VMULPS       Z29, Z0, Z1  \
	VRNDSCALEPS  $0, Z1, Z1   \
	VFNMADD231PS Z28, Z1, Z0  \
	VFNMADD231PS Z27, Z1, Z0  \
	VMOVAPS      Z26, Z2      \
	VFMADD213PS  Z25, Z0, Z2  \
	VFMADD213PS  Z24, Z0, Z2  \
	VFMADD213PS  Z23, Z0, Z2  \
	VFMADD213PS  Z22, Z0, Z2  \
	VFMADD213PS  Z21, Z0, Z2  \
	VMULPS       Z0, Z0, Z3   \
	VFMADD213PS  Z0, Z3, Z2   \
	VADDPS       Z20, Z2, Z2  \
	VCVTPS2DQ    Z1, Z1       \
	VPSLLD       $23, Z1, Z1  \
	VPADDD       Z1, Z2, Z2   \
	VADDPS       Z20, Z2, Z2

// HALFMASK sets K2 to the low 8 lanes. Clobbers AX.
#define HALFMASK \
	MOVL  $0xff, AX \
	KMOVW AX, K2

// GTFWD sets Z4 = x / (1 + e^a), +0 where a > 88.
#define GTFWD \
	GTEXP                      \
	VDIVPS    Z2, Z8, Z4       \
	VBLENDMPS Z13, Z4, K1, Z4

// GTGRAD sets Z4 = s + w·s(1 − s) (see gelu_tanh_amd64.s).
#define GTGRAD \
	GTEXP                       \
	VDIVPS      Z2, Z20, Z4     \
	VBLENDMPS   Z13, Z4, K1, Z4 \
	VMULPS      Z4, Z4, Z6      \
	VSUBPS      Z6, Z4, Z6      \
	VMULPS      Z9, Z9, Z5      \
	VMOVAPS     Z20, Z7         \
	VFMADD231PS Z16, Z5, Z7     \
	VMULPS      Z14, Z9, Z5     \
	VMULPS      Z7, Z5, Z5      \
	VFMADD231PS Z6, Z5, Z4

// func geluTanhAVX512(n int, x, y *float32)
//
// y[i] = GELUTanh(x[i]) for i < n, n a multiple of 8. y may be x.
TEXT ·geluTanhAVX512(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	CONSTS
	MOVQ CX, BX
	SHRQ $4, CX
	JZ   gttail

gtloop:
	VMOVUPS (SI), Z8
	GTFWD
	VMOVUPS Z4, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     gtloop

gttail:
	TESTQ     $8, BX
	JZ        gtdone
	HALFMASK
	VMOVUPS.Z (SI), K2, Z8
	GTFWD
	VMOVUPS   Z4, K2, (DI)

gtdone:
	VZEROUPPER
	RET

// func geluTanhBackwardAVX512(n int, x, gy, gx *float32)
//
// gx[i] = gy[i]·GELUTanh′(x[i]) for i < n, n a multiple of 8. gx may be gy.
TEXT ·geluTanhBackwardAVX512(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ gy+16(FP), R9
	MOVQ gx+24(FP), DI
	CONSTS
	MOVQ CX, BX
	SHRQ $4, CX
	JZ   gtbtail

gtbloop:
	VMOVUPS (SI), Z8
	GTGRAD
	VMULPS  (R9), Z4, Z4 // · gy
	VMOVUPS Z4, (DI)
	ADDQ    $64, SI
	ADDQ    $64, R9
	ADDQ    $64, DI
	DECQ    CX
	JNZ     gtbloop

gtbtail:
	TESTQ     $8, BX
	JZ        gtbdone
	HALFMASK
	VMOVUPS.Z (SI), K2, Z8
	GTGRAD
	VMOVUPS.Z (R9), K2, Z3
	VMULPS    Z3, Z4, Z4
	VMOVUPS   Z4, K2, (DI)

gtbdone:
	VZEROUPPER
	RET
