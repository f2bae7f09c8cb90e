//go:build !purego

#include "textflag.h"

// GELU, 8 lanes at a time: y = x·Φ(x), with the normal CDF from the
// complementary error function, Φ(x) = ½·erfc(-x/√2). erfc(z) for z ≥ 0 is
// the Chebyshev fit of Numerical Recipes (erfcc, fractional error < 1.2e-7
// everywhere): t = 1/(1 + z/2), erfc(z) = t·exp(-z² + Q(t)) with Q of degree
// 9; for the other sign, erfc(-z) = 2 - erfc(z). Absolute error below 3e-7
// (see phi32 in gelu.go). The exponential is
// the Cephes expf of softmax_amd64.s. phi32 in gelu.go is the same in Go.

DATA geluconst<>+0(SB)/4, $0xc2aeac4f // lo = -87.33654
DATA geluconst<>+4(SB)/4, $0xc2aeac4f
DATA geluconst<>+8(SB)/4, $0xc2aeac4f
DATA geluconst<>+12(SB)/4, $0xc2aeac4f
DATA geluconst<>+16(SB)/4, $0xc2aeac4f
DATA geluconst<>+20(SB)/4, $0xc2aeac4f
DATA geluconst<>+24(SB)/4, $0xc2aeac4f
DATA geluconst<>+28(SB)/4, $0xc2aeac4f
DATA geluconst<>+32(SB)/4, $0x42b00000 // hi = 88.0
DATA geluconst<>+36(SB)/4, $0x42b00000
DATA geluconst<>+40(SB)/4, $0x42b00000
DATA geluconst<>+44(SB)/4, $0x42b00000
DATA geluconst<>+48(SB)/4, $0x42b00000
DATA geluconst<>+52(SB)/4, $0x42b00000
DATA geluconst<>+56(SB)/4, $0x42b00000
DATA geluconst<>+60(SB)/4, $0x42b00000
DATA geluconst<>+64(SB)/4, $0x3fb8aa3b // log2e = 1.4426950408889634
DATA geluconst<>+68(SB)/4, $0x3fb8aa3b
DATA geluconst<>+72(SB)/4, $0x3fb8aa3b
DATA geluconst<>+76(SB)/4, $0x3fb8aa3b
DATA geluconst<>+80(SB)/4, $0x3fb8aa3b
DATA geluconst<>+84(SB)/4, $0x3fb8aa3b
DATA geluconst<>+88(SB)/4, $0x3fb8aa3b
DATA geluconst<>+92(SB)/4, $0x3fb8aa3b
DATA geluconst<>+96(SB)/4, $0x3f318000 // c1 = 0.693359375
DATA geluconst<>+100(SB)/4, $0x3f318000
DATA geluconst<>+104(SB)/4, $0x3f318000
DATA geluconst<>+108(SB)/4, $0x3f318000
DATA geluconst<>+112(SB)/4, $0x3f318000
DATA geluconst<>+116(SB)/4, $0x3f318000
DATA geluconst<>+120(SB)/4, $0x3f318000
DATA geluconst<>+124(SB)/4, $0x3f318000
DATA geluconst<>+128(SB)/4, $0xb95e8083 // c2 = -0.00021219444
DATA geluconst<>+132(SB)/4, $0xb95e8083
DATA geluconst<>+136(SB)/4, $0xb95e8083
DATA geluconst<>+140(SB)/4, $0xb95e8083
DATA geluconst<>+144(SB)/4, $0xb95e8083
DATA geluconst<>+148(SB)/4, $0xb95e8083
DATA geluconst<>+152(SB)/4, $0xb95e8083
DATA geluconst<>+156(SB)/4, $0xb95e8083
DATA geluconst<>+160(SB)/4, $0x39506967 // p0 = 0.000198756915
DATA geluconst<>+164(SB)/4, $0x39506967
DATA geluconst<>+168(SB)/4, $0x39506967
DATA geluconst<>+172(SB)/4, $0x39506967
DATA geluconst<>+176(SB)/4, $0x39506967
DATA geluconst<>+180(SB)/4, $0x39506967
DATA geluconst<>+184(SB)/4, $0x39506967
DATA geluconst<>+188(SB)/4, $0x39506967
DATA geluconst<>+192(SB)/4, $0x3ab743ce // p1 = 0.0013981999507
DATA geluconst<>+196(SB)/4, $0x3ab743ce
DATA geluconst<>+200(SB)/4, $0x3ab743ce
DATA geluconst<>+204(SB)/4, $0x3ab743ce
DATA geluconst<>+208(SB)/4, $0x3ab743ce
DATA geluconst<>+212(SB)/4, $0x3ab743ce
DATA geluconst<>+216(SB)/4, $0x3ab743ce
DATA geluconst<>+220(SB)/4, $0x3ab743ce
DATA geluconst<>+224(SB)/4, $0x3c088908 // p2 = 0.0083334519073
DATA geluconst<>+228(SB)/4, $0x3c088908
DATA geluconst<>+232(SB)/4, $0x3c088908
DATA geluconst<>+236(SB)/4, $0x3c088908
DATA geluconst<>+240(SB)/4, $0x3c088908
DATA geluconst<>+244(SB)/4, $0x3c088908
DATA geluconst<>+248(SB)/4, $0x3c088908
DATA geluconst<>+252(SB)/4, $0x3c088908
DATA geluconst<>+256(SB)/4, $0x3d2aa9c1 // p3 = 0.041665795894
DATA geluconst<>+260(SB)/4, $0x3d2aa9c1
DATA geluconst<>+264(SB)/4, $0x3d2aa9c1
DATA geluconst<>+268(SB)/4, $0x3d2aa9c1
DATA geluconst<>+272(SB)/4, $0x3d2aa9c1
DATA geluconst<>+276(SB)/4, $0x3d2aa9c1
DATA geluconst<>+280(SB)/4, $0x3d2aa9c1
DATA geluconst<>+284(SB)/4, $0x3d2aa9c1
DATA geluconst<>+288(SB)/4, $0x3e2aaaaa // p4 = 0.16666665459
DATA geluconst<>+292(SB)/4, $0x3e2aaaaa
DATA geluconst<>+296(SB)/4, $0x3e2aaaaa
DATA geluconst<>+300(SB)/4, $0x3e2aaaaa
DATA geluconst<>+304(SB)/4, $0x3e2aaaaa
DATA geluconst<>+308(SB)/4, $0x3e2aaaaa
DATA geluconst<>+312(SB)/4, $0x3e2aaaaa
DATA geluconst<>+316(SB)/4, $0x3e2aaaaa
DATA geluconst<>+320(SB)/4, $0x3f000000 // p5 = 0.50000001201
DATA geluconst<>+324(SB)/4, $0x3f000000
DATA geluconst<>+328(SB)/4, $0x3f000000
DATA geluconst<>+332(SB)/4, $0x3f000000
DATA geluconst<>+336(SB)/4, $0x3f000000
DATA geluconst<>+340(SB)/4, $0x3f000000
DATA geluconst<>+344(SB)/4, $0x3f000000
DATA geluconst<>+348(SB)/4, $0x3f000000
DATA geluconst<>+352(SB)/4, $0x3f800000 // one = 1.0
DATA geluconst<>+356(SB)/4, $0x3f800000
DATA geluconst<>+360(SB)/4, $0x3f800000
DATA geluconst<>+364(SB)/4, $0x3f800000
DATA geluconst<>+368(SB)/4, $0x3f800000
DATA geluconst<>+372(SB)/4, $0x3f800000
DATA geluconst<>+376(SB)/4, $0x3f800000
DATA geluconst<>+380(SB)/4, $0x3f800000
DATA geluconst<>+384(SB)/4, $0x3f000000 // half = 0.5
DATA geluconst<>+388(SB)/4, $0x3f000000
DATA geluconst<>+392(SB)/4, $0x3f000000
DATA geluconst<>+396(SB)/4, $0x3f000000
DATA geluconst<>+400(SB)/4, $0x3f000000
DATA geluconst<>+404(SB)/4, $0x3f000000
DATA geluconst<>+408(SB)/4, $0x3f000000
DATA geluconst<>+412(SB)/4, $0x3f000000
DATA geluconst<>+416(SB)/4, $0x3f3504f3 // rsqrt2 = 0.7071067811865476
DATA geluconst<>+420(SB)/4, $0x3f3504f3
DATA geluconst<>+424(SB)/4, $0x3f3504f3
DATA geluconst<>+428(SB)/4, $0x3f3504f3
DATA geluconst<>+432(SB)/4, $0x3f3504f3
DATA geluconst<>+436(SB)/4, $0x3f3504f3
DATA geluconst<>+440(SB)/4, $0x3f3504f3
DATA geluconst<>+444(SB)/4, $0x3f3504f3
DATA geluconst<>+448(SB)/4, $0x7fffffff // absmask
DATA geluconst<>+452(SB)/4, $0x7fffffff
DATA geluconst<>+456(SB)/4, $0x7fffffff
DATA geluconst<>+460(SB)/4, $0x7fffffff
DATA geluconst<>+464(SB)/4, $0x7fffffff
DATA geluconst<>+468(SB)/4, $0x7fffffff
DATA geluconst<>+472(SB)/4, $0x7fffffff
DATA geluconst<>+476(SB)/4, $0x7fffffff
DATA geluconst<>+480(SB)/4, $0x3e2ef945 // e9 = 0.17087277
DATA geluconst<>+484(SB)/4, $0x3e2ef945
DATA geluconst<>+488(SB)/4, $0x3e2ef945
DATA geluconst<>+492(SB)/4, $0x3e2ef945
DATA geluconst<>+496(SB)/4, $0x3e2ef945
DATA geluconst<>+500(SB)/4, $0x3e2ef945
DATA geluconst<>+504(SB)/4, $0x3e2ef945
DATA geluconst<>+508(SB)/4, $0x3e2ef945
DATA geluconst<>+512(SB)/4, $0xbf527892 // e8 = -0.82215223
DATA geluconst<>+516(SB)/4, $0xbf527892
DATA geluconst<>+520(SB)/4, $0xbf527892
DATA geluconst<>+524(SB)/4, $0xbf527892
DATA geluconst<>+528(SB)/4, $0xbf527892
DATA geluconst<>+532(SB)/4, $0xbf527892
DATA geluconst<>+536(SB)/4, $0xbf527892
DATA geluconst<>+540(SB)/4, $0xbf527892
DATA geluconst<>+544(SB)/4, $0x3fbe87b0 // e7 = 1.48851587
DATA geluconst<>+548(SB)/4, $0x3fbe87b0
DATA geluconst<>+552(SB)/4, $0x3fbe87b0
DATA geluconst<>+556(SB)/4, $0x3fbe87b0
DATA geluconst<>+560(SB)/4, $0x3fbe87b0
DATA geluconst<>+564(SB)/4, $0x3fbe87b0
DATA geluconst<>+568(SB)/4, $0x3fbe87b0
DATA geluconst<>+572(SB)/4, $0x3fbe87b0
DATA geluconst<>+576(SB)/4, $0xbf914e5d // e6 = -1.13520398
DATA geluconst<>+580(SB)/4, $0xbf914e5d
DATA geluconst<>+584(SB)/4, $0xbf914e5d
DATA geluconst<>+588(SB)/4, $0xbf914e5d
DATA geluconst<>+592(SB)/4, $0xbf914e5d
DATA geluconst<>+596(SB)/4, $0xbf914e5d
DATA geluconst<>+600(SB)/4, $0xbf914e5d
DATA geluconst<>+604(SB)/4, $0xbf914e5d
DATA geluconst<>+608(SB)/4, $0x3e8ec7cc // e5 = 0.27886807
DATA geluconst<>+612(SB)/4, $0x3e8ec7cc
DATA geluconst<>+616(SB)/4, $0x3e8ec7cc
DATA geluconst<>+620(SB)/4, $0x3e8ec7cc
DATA geluconst<>+624(SB)/4, $0x3e8ec7cc
DATA geluconst<>+628(SB)/4, $0x3e8ec7cc
DATA geluconst<>+632(SB)/4, $0x3e8ec7cc
DATA geluconst<>+636(SB)/4, $0x3e8ec7cc
DATA geluconst<>+640(SB)/4, $0xbe3ec24c // e4 = -0.18628806
DATA geluconst<>+644(SB)/4, $0xbe3ec24c
DATA geluconst<>+648(SB)/4, $0xbe3ec24c
DATA geluconst<>+652(SB)/4, $0xbe3ec24c
DATA geluconst<>+656(SB)/4, $0xbe3ec24c
DATA geluconst<>+660(SB)/4, $0xbe3ec24c
DATA geluconst<>+664(SB)/4, $0xbe3ec24c
DATA geluconst<>+668(SB)/4, $0xbe3ec24c
DATA geluconst<>+672(SB)/4, $0x3dc636c9 // e3 = 0.09678418
DATA geluconst<>+676(SB)/4, $0x3dc636c9
DATA geluconst<>+680(SB)/4, $0x3dc636c9
DATA geluconst<>+684(SB)/4, $0x3dc636c9
DATA geluconst<>+688(SB)/4, $0x3dc636c9
DATA geluconst<>+692(SB)/4, $0x3dc636c9
DATA geluconst<>+696(SB)/4, $0x3dc636c9
DATA geluconst<>+700(SB)/4, $0x3dc636c9
DATA geluconst<>+704(SB)/4, $0x3ebf88fb // e2 = 0.37409196
DATA geluconst<>+708(SB)/4, $0x3ebf88fb
DATA geluconst<>+712(SB)/4, $0x3ebf88fb
DATA geluconst<>+716(SB)/4, $0x3ebf88fb
DATA geluconst<>+720(SB)/4, $0x3ebf88fb
DATA geluconst<>+724(SB)/4, $0x3ebf88fb
DATA geluconst<>+728(SB)/4, $0x3ebf88fb
DATA geluconst<>+732(SB)/4, $0x3ebf88fb
DATA geluconst<>+736(SB)/4, $0x3f8000c7 // e1 = 1.00002368
DATA geluconst<>+740(SB)/4, $0x3f8000c7
DATA geluconst<>+744(SB)/4, $0x3f8000c7
DATA geluconst<>+748(SB)/4, $0x3f8000c7
DATA geluconst<>+752(SB)/4, $0x3f8000c7
DATA geluconst<>+756(SB)/4, $0x3f8000c7
DATA geluconst<>+760(SB)/4, $0x3f8000c7
DATA geluconst<>+764(SB)/4, $0x3f8000c7
DATA geluconst<>+768(SB)/4, $0xbfa1fc4e // e0 = -1.26551223
DATA geluconst<>+772(SB)/4, $0xbfa1fc4e
DATA geluconst<>+776(SB)/4, $0xbfa1fc4e
DATA geluconst<>+780(SB)/4, $0xbfa1fc4e
DATA geluconst<>+784(SB)/4, $0xbfa1fc4e
DATA geluconst<>+788(SB)/4, $0xbfa1fc4e
DATA geluconst<>+792(SB)/4, $0xbfa1fc4e
DATA geluconst<>+796(SB)/4, $0xbfa1fc4e
DATA geluconst<>+800(SB)/4, $0x3ecc422a // invsqrt2pi = 0.3989422804014327
DATA geluconst<>+804(SB)/4, $0x3ecc422a
DATA geluconst<>+808(SB)/4, $0x3ecc422a
DATA geluconst<>+812(SB)/4, $0x3ecc422a
DATA geluconst<>+816(SB)/4, $0x3ecc422a
DATA geluconst<>+820(SB)/4, $0x3ecc422a
DATA geluconst<>+824(SB)/4, $0x3ecc422a
DATA geluconst<>+828(SB)/4, $0x3ecc422a
GLOBL geluconst<>(SB), RODATA|NOPTR, $832

// func geluAVX2(n int, x, y, cdf *float32)
//
// y[i] = x[i]·Φ(x[i]) and, when cdf is not nil, cdf[i] = Φ(x[i]), for i < n,
// n a multiple of 8. y and cdf may be x.
TEXT ·geluAVX2(SB), NOSPLIT, $0-32
	MOVQ    n+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    y+16(FP), DI
	MOVQ    cdf+24(FP), DX
	VMOVUPS geluconst<>+352(SB), Y15
	VMOVUPS geluconst<>+384(SB), Y14
	VMOVUPS geluconst<>+448(SB), Y13
	VMOVUPS geluconst<>+416(SB), Y12
	SHRQ    $3, CX
	JZ      geludone

geluloop:
	VMOVUPS      (SI), Y8         // x
	VANDPS       Y13, Y8, Y0
	VMULPS       Y12, Y0, Y0      // z = |x|/√2
	VMULPS       Y14, Y0, Y1
	VADDPS       Y15, Y1, Y1
	VDIVPS       Y1, Y15, Y9      // t = 1/(1 + z/2)
	VMOVUPS      geluconst<>+480(SB), Y2    // Q(t), Horner
	VFMADD213PS  geluconst<>+512(SB), Y9, Y2
	VFMADD213PS  geluconst<>+544(SB), Y9, Y2
	VFMADD213PS  geluconst<>+576(SB), Y9, Y2
	VFMADD213PS  geluconst<>+608(SB), Y9, Y2
	VFMADD213PS  geluconst<>+640(SB), Y9, Y2
	VFMADD213PS  geluconst<>+672(SB), Y9, Y2
	VFMADD213PS  geluconst<>+704(SB), Y9, Y2
	VFMADD213PS  geluconst<>+736(SB), Y9, Y2
	VFMADD213PS  geluconst<>+768(SB), Y9, Y2
	VFNMADD231PS Y0, Y0, Y2       // a = Q(t) - z²

	// exp(a), as in softmax_amd64.s.
	VMAXPS       geluconst<>+0(SB), Y2, Y0
	VMINPS       geluconst<>+32(SB), Y0, Y0
	VMULPS       geluconst<>+64(SB), Y0, Y1
	VROUNDPS     $0, Y1, Y1
	VFNMADD231PS geluconst<>+96(SB), Y1, Y0
	VFNMADD231PS geluconst<>+128(SB), Y1, Y0
	VMOVUPS      geluconst<>+160(SB), Y2
	VFMADD213PS  geluconst<>+192(SB), Y0, Y2
	VFMADD213PS  geluconst<>+224(SB), Y0, Y2
	VFMADD213PS  geluconst<>+256(SB), Y0, Y2
	VFMADD213PS  geluconst<>+288(SB), Y0, Y2
	VFMADD213PS  geluconst<>+320(SB), Y0, Y2
	VMULPS       Y0, Y0, Y3
	VFMADD213PS  Y0, Y3, Y2
	VADDPS       Y15, Y2, Y2
	VCVTPS2DQ    Y1, Y1
	VPSLLD       $23, Y1, Y1
	VPADDD       Y1, Y2, Y2       // exp(a)

	VMULPS       Y9, Y2, Y2       // erfc(z) = t·exp(a)
	VMULPS       Y14, Y2, Y2      // ½erfc(z) = Φ(-|x|)
	VSUBPS       Y2, Y15, Y3      // 1 - Φ(-|x|) = Φ(|x|)
	VBLENDVPS    Y8, Y2, Y3, Y4   // Φ(x): the first where x < 0
	VMULPS       Y4, Y8, Y5       // y = x·Φ(x)
	VMOVUPS      Y5, (DI)
	TESTQ        DX, DX
	JZ           gelunext
	VMOVUPS      Y4, (DX)
	ADDQ         $32, DX

gelunext:
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  geluloop

geludone:
	VZEROUPPER
	RET

// func geluBackwardAVX2(n int, x, cdf, gy, gx *float32)
//
// gx[i] = gy[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, n a multiple of 8, with
// φ(x) = exp(-x²/2)/√(2π). gx may be gy.
TEXT ·geluBackwardAVX2(SB), NOSPLIT, $0-40
	MOVQ    n+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    cdf+16(FP), R8
	MOVQ    gy+24(FP), R9
	MOVQ    gx+32(FP), DI
	VMOVUPS geluconst<>+352(SB), Y15
	VMOVUPS geluconst<>+384(SB), Y14
	VMOVUPS geluconst<>+800(SB), Y13
	VXORPS  Y12, Y12, Y12
	SHRQ    $3, CX
	JZ      gbdone

gbloop:
	VMOVUPS (SI), Y8             // x
	VMULPS  Y8, Y8, Y0
	VMULPS  Y14, Y0, Y0
	VSUBPS  Y0, Y12, Y0          // a = -x²/2

	// exp(a), as in softmax_amd64.s.
	VMAXPS       geluconst<>+0(SB), Y0, Y0
	VMINPS       geluconst<>+32(SB), Y0, Y0
	VMULPS       geluconst<>+64(SB), Y0, Y1
	VROUNDPS     $0, Y1, Y1
	VFNMADD231PS geluconst<>+96(SB), Y1, Y0
	VFNMADD231PS geluconst<>+128(SB), Y1, Y0
	VMOVUPS      geluconst<>+160(SB), Y2
	VFMADD213PS  geluconst<>+192(SB), Y0, Y2
	VFMADD213PS  geluconst<>+224(SB), Y0, Y2
	VFMADD213PS  geluconst<>+256(SB), Y0, Y2
	VFMADD213PS  geluconst<>+288(SB), Y0, Y2
	VFMADD213PS  geluconst<>+320(SB), Y0, Y2
	VMULPS       Y0, Y0, Y3
	VFMADD213PS  Y0, Y3, Y2
	VADDPS       Y15, Y2, Y2
	VCVTPS2DQ    Y1, Y1
	VPSLLD       $23, Y1, Y1
	VPADDD       Y1, Y2, Y2      // exp(-x²/2)

	VMULPS      Y13, Y2, Y2      // φ(x)
	VMULPS      Y8, Y2, Y2       // x·φ(x)
	VADDPS      (R8), Y2, Y2     // + Φ(x)
	VMULPS      (R9), Y2, Y2     // · gy
	VMOVUPS     Y2, (DI)
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	ADDQ        $32, DI
	DECQ        CX
	JNZ         gbloop

gbdone:
	VZEROUPPER
	RET
