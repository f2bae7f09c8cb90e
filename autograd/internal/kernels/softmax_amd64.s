//go:build !purego

#include "textflag.h"

// Row kernels for softmax: the maximum of a vector, exp(x - shift) with its
// sum, and scaling. The exponential is Cephes' expf, 8 lanes at a time:
// inputs below -87.33654 give 0 (so a -Inf or -1e4 mask gives exactly 0, as
// in PyTorch), the others are clamped to [-87.33654, 88], split x = n·ln2 + r with n = round(x·log2 e)
// and |r| ≤ ln2/2 (ln2 in two parts, so n·ln2 is exact), approximate e^r by
// 1 + r + r²·P(r) with P of degree 5, and multiply by 2^n by adding n to the
// exponent bits. Its error is about 1 ulp; expf32 in softmax.go does the same
// steps in Go for the tails and the portable path.

// Each constant is stored 8 times, one 32-byte vector, so that it can be an
// AVX2 memory operand.
DATA expconst<>+0(SB)/4, $0xc2aeac4f // lo = -87.33654
DATA expconst<>+4(SB)/4, $0xc2aeac4f
DATA expconst<>+8(SB)/4, $0xc2aeac4f
DATA expconst<>+12(SB)/4, $0xc2aeac4f
DATA expconst<>+16(SB)/4, $0xc2aeac4f
DATA expconst<>+20(SB)/4, $0xc2aeac4f
DATA expconst<>+24(SB)/4, $0xc2aeac4f
DATA expconst<>+28(SB)/4, $0xc2aeac4f
DATA expconst<>+32(SB)/4, $0x42b00000 // hi = 88.0
DATA expconst<>+36(SB)/4, $0x42b00000
DATA expconst<>+40(SB)/4, $0x42b00000
DATA expconst<>+44(SB)/4, $0x42b00000
DATA expconst<>+48(SB)/4, $0x42b00000
DATA expconst<>+52(SB)/4, $0x42b00000
DATA expconst<>+56(SB)/4, $0x42b00000
DATA expconst<>+60(SB)/4, $0x42b00000
DATA expconst<>+64(SB)/4, $0x3fb8aa3b // log2e = 1.4426950408889634
DATA expconst<>+68(SB)/4, $0x3fb8aa3b
DATA expconst<>+72(SB)/4, $0x3fb8aa3b
DATA expconst<>+76(SB)/4, $0x3fb8aa3b
DATA expconst<>+80(SB)/4, $0x3fb8aa3b
DATA expconst<>+84(SB)/4, $0x3fb8aa3b
DATA expconst<>+88(SB)/4, $0x3fb8aa3b
DATA expconst<>+92(SB)/4, $0x3fb8aa3b
DATA expconst<>+96(SB)/4, $0x3f318000 // c1 = 0.693359375
DATA expconst<>+100(SB)/4, $0x3f318000
DATA expconst<>+104(SB)/4, $0x3f318000
DATA expconst<>+108(SB)/4, $0x3f318000
DATA expconst<>+112(SB)/4, $0x3f318000
DATA expconst<>+116(SB)/4, $0x3f318000
DATA expconst<>+120(SB)/4, $0x3f318000
DATA expconst<>+124(SB)/4, $0x3f318000
DATA expconst<>+128(SB)/4, $0xb95e8083 // c2 = -0.00021219444
DATA expconst<>+132(SB)/4, $0xb95e8083
DATA expconst<>+136(SB)/4, $0xb95e8083
DATA expconst<>+140(SB)/4, $0xb95e8083
DATA expconst<>+144(SB)/4, $0xb95e8083
DATA expconst<>+148(SB)/4, $0xb95e8083
DATA expconst<>+152(SB)/4, $0xb95e8083
DATA expconst<>+156(SB)/4, $0xb95e8083
DATA expconst<>+160(SB)/4, $0x39506967 // p0 = 0.000198756915
DATA expconst<>+164(SB)/4, $0x39506967
DATA expconst<>+168(SB)/4, $0x39506967
DATA expconst<>+172(SB)/4, $0x39506967
DATA expconst<>+176(SB)/4, $0x39506967
DATA expconst<>+180(SB)/4, $0x39506967
DATA expconst<>+184(SB)/4, $0x39506967
DATA expconst<>+188(SB)/4, $0x39506967
DATA expconst<>+192(SB)/4, $0x3ab743ce // p1 = 0.0013981999507
DATA expconst<>+196(SB)/4, $0x3ab743ce
DATA expconst<>+200(SB)/4, $0x3ab743ce
DATA expconst<>+204(SB)/4, $0x3ab743ce
DATA expconst<>+208(SB)/4, $0x3ab743ce
DATA expconst<>+212(SB)/4, $0x3ab743ce
DATA expconst<>+216(SB)/4, $0x3ab743ce
DATA expconst<>+220(SB)/4, $0x3ab743ce
DATA expconst<>+224(SB)/4, $0x3c088908 // p2 = 0.0083334519073
DATA expconst<>+228(SB)/4, $0x3c088908
DATA expconst<>+232(SB)/4, $0x3c088908
DATA expconst<>+236(SB)/4, $0x3c088908
DATA expconst<>+240(SB)/4, $0x3c088908
DATA expconst<>+244(SB)/4, $0x3c088908
DATA expconst<>+248(SB)/4, $0x3c088908
DATA expconst<>+252(SB)/4, $0x3c088908
DATA expconst<>+256(SB)/4, $0x3d2aa9c1 // p3 = 0.041665795894
DATA expconst<>+260(SB)/4, $0x3d2aa9c1
DATA expconst<>+264(SB)/4, $0x3d2aa9c1
DATA expconst<>+268(SB)/4, $0x3d2aa9c1
DATA expconst<>+272(SB)/4, $0x3d2aa9c1
DATA expconst<>+276(SB)/4, $0x3d2aa9c1
DATA expconst<>+280(SB)/4, $0x3d2aa9c1
DATA expconst<>+284(SB)/4, $0x3d2aa9c1
DATA expconst<>+288(SB)/4, $0x3e2aaaaa // p4 = 0.16666665459
DATA expconst<>+292(SB)/4, $0x3e2aaaaa
DATA expconst<>+296(SB)/4, $0x3e2aaaaa
DATA expconst<>+300(SB)/4, $0x3e2aaaaa
DATA expconst<>+304(SB)/4, $0x3e2aaaaa
DATA expconst<>+308(SB)/4, $0x3e2aaaaa
DATA expconst<>+312(SB)/4, $0x3e2aaaaa
DATA expconst<>+316(SB)/4, $0x3e2aaaaa
DATA expconst<>+320(SB)/4, $0x3f000000 // p5 = 0.50000001201
DATA expconst<>+324(SB)/4, $0x3f000000
DATA expconst<>+328(SB)/4, $0x3f000000
DATA expconst<>+332(SB)/4, $0x3f000000
DATA expconst<>+336(SB)/4, $0x3f000000
DATA expconst<>+340(SB)/4, $0x3f000000
DATA expconst<>+344(SB)/4, $0x3f000000
DATA expconst<>+348(SB)/4, $0x3f000000
DATA expconst<>+352(SB)/4, $0x3f800000 // one = 1.0
DATA expconst<>+356(SB)/4, $0x3f800000
DATA expconst<>+360(SB)/4, $0x3f800000
DATA expconst<>+364(SB)/4, $0x3f800000
DATA expconst<>+368(SB)/4, $0x3f800000
DATA expconst<>+372(SB)/4, $0x3f800000
DATA expconst<>+376(SB)/4, $0x3f800000
DATA expconst<>+380(SB)/4, $0x3f800000
GLOBL expconst<>(SB), RODATA|NOPTR, $384

// func maxAVX2(n int, x *float32) float32
//
// max x[i] for i < n, n a positive multiple of 8.
TEXT ·maxAVX2(SB), NOSPLIT, $0-20
	MOVQ    n+0(FP), CX
	MOVQ    x+8(FP), SI
	VMOVUPS (SI), Y0
	ADDQ    $32, SI
	SHRQ    $3, CX
	DECQ    CX
	JZ      maxreduce

maxloop:
	VMAXPS (SI), Y0, Y0
	ADDQ   $32, SI
	DECQ   CX
	JNZ    maxloop

maxreduce:
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4E, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xB1, X0, X1
	VMAXPS       X1, X0, X0
	MOVSS        X0, ret+16(FP)
	VZEROUPPER
	RET

// func expShiftSumAVX2(n int, x *float32, shift float32, y *float32) float32
//
// y[i] = exp(x[i] - shift) for i < n, n a multiple of 8; returns Σ y[i].
// y may be x.
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-36
	MOVQ         n+0(FP), CX
	MOVQ         x+8(FP), SI
	VBROADCASTSS shift+16(FP), Y15
	MOVQ         y+24(FP), DI
	VXORPS       Y14, Y14, Y14 // the sum
	VMOVUPS      expconst<>+96(SB), Y13
	VMOVUPS      expconst<>+128(SB), Y12
	VMOVUPS      expconst<>+64(SB), Y11
	VMOVUPS      expconst<>+352(SB), Y10
	SHRQ         $3, CX
	JZ           expdone

exploop:
	VMOVUPS     (SI), Y0
	VSUBPS      Y15, Y0, Y0
	VCMPPS      $1, expconst<>+0(SB), Y0, Y4 // lanes with x < lo: e^x is 0
	VMAXPS      expconst<>+0(SB), Y0, Y0
	VMINPS      expconst<>+32(SB), Y0, Y0
	VMULPS      Y11, Y0, Y1
	VROUNDPS    $0, Y1, Y1        // n = round(x·log2 e)
	VFNMADD231PS Y13, Y1, Y0      // r = x - n·c1
	VFNMADD231PS Y12, Y1, Y0      // r -= n·c2
	VMOVUPS     expconst<>+160(SB), Y2
	VFMADD213PS expconst<>+192(SB), Y0, Y2 // P = P·r + p_k
	VFMADD213PS expconst<>+224(SB), Y0, Y2
	VFMADD213PS expconst<>+256(SB), Y0, Y2
	VFMADD213PS expconst<>+288(SB), Y0, Y2
	VFMADD213PS expconst<>+320(SB), Y0, Y2
	VMULPS      Y0, Y0, Y3        // r²
	VFMADD213PS Y0, Y3, Y2        // r²·P + r
	VADDPS      Y10, Y2, Y2       // + 1
	VCVTPS2DQ   Y1, Y1            // n as int32
	VPSLLD      $23, Y1, Y1       // n in the exponent field
	VPADDD      Y1, Y2, Y2        // ·2^n
	VANDNPS     Y2, Y4, Y2        // 0 where x < lo
	VMOVUPS     Y2, (DI)
	VADDPS      Y2, Y14, Y14
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         exploop

expdone:
	VEXTRACTF128 $1, Y14, X1
	VADDPS       X1, X14, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	MOVSS        X0, ret+32(FP)
	VZEROUPPER
	RET

// func sscalAVX2(n int, alpha float32, x *float32)
//
// x[i] *= alpha for i < n, n a multiple of 8.
TEXT ·sscalAVX2(SB), NOSPLIT, $0-24
	MOVQ         n+0(FP), CX
	VBROADCASTSS alpha+8(FP), Y0
	MOVQ         x+16(FP), SI
	SHRQ         $3, CX
	JZ           scaldone

scalloop:
	VMULPS  (SI), Y0, Y1
	VMOVUPS Y1, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     scalloop

scaldone:
	VZEROUPPER
	RET
