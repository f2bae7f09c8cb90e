//go:build !purego

#include "textflag.h"

// The tanh GELU (gelu_tanh.go), 8 lanes at a time:
//
//	y = x / (1 + e^a),  a = −2√(2/π)·xc·(1 + 0.044715·xc²),  xc = x clamped to [−20, 20],
//
// and y = +0 where a > 88. The backward pass recomputes s = 1/(1 + e^a)
// and sets gx = gy·(s + w·s(1 − s)), w = 2√(2/π)·xc·(1 + 3·0.044715·xc²).
// The exponential is the Cephes expf of softmax_amd64.s. geluTanh32 and
// geluTanhGrad32 in gelu_tanh.go are the same steps in Go (without fused
// multiply-adds); gelu_tanh_avx512_amd64.s the same instructions on zmm.

DATA gelutanhconst<>+0(SB)/4, $0xc2aeac4f // lo = -87.33654
DATA gelutanhconst<>+4(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+8(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+12(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+16(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+20(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+24(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+28(SB)/4, $0xc2aeac4f
DATA gelutanhconst<>+32(SB)/4, $0x42b00000 // hi = 88.0
DATA gelutanhconst<>+36(SB)/4, $0x42b00000
DATA gelutanhconst<>+40(SB)/4, $0x42b00000
DATA gelutanhconst<>+44(SB)/4, $0x42b00000
DATA gelutanhconst<>+48(SB)/4, $0x42b00000
DATA gelutanhconst<>+52(SB)/4, $0x42b00000
DATA gelutanhconst<>+56(SB)/4, $0x42b00000
DATA gelutanhconst<>+60(SB)/4, $0x42b00000
DATA gelutanhconst<>+64(SB)/4, $0x3fb8aa3b // log2e = 1.4426950408889634
DATA gelutanhconst<>+68(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+72(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+76(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+80(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+84(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+88(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+92(SB)/4, $0x3fb8aa3b
DATA gelutanhconst<>+96(SB)/4, $0x3f318000 // c1 = 0.693359375
DATA gelutanhconst<>+100(SB)/4, $0x3f318000
DATA gelutanhconst<>+104(SB)/4, $0x3f318000
DATA gelutanhconst<>+108(SB)/4, $0x3f318000
DATA gelutanhconst<>+112(SB)/4, $0x3f318000
DATA gelutanhconst<>+116(SB)/4, $0x3f318000
DATA gelutanhconst<>+120(SB)/4, $0x3f318000
DATA gelutanhconst<>+124(SB)/4, $0x3f318000
DATA gelutanhconst<>+128(SB)/4, $0xb95e8083 // c2 = -0.00021219444
DATA gelutanhconst<>+132(SB)/4, $0xb95e8083
DATA gelutanhconst<>+136(SB)/4, $0xb95e8083
DATA gelutanhconst<>+140(SB)/4, $0xb95e8083
DATA gelutanhconst<>+144(SB)/4, $0xb95e8083
DATA gelutanhconst<>+148(SB)/4, $0xb95e8083
DATA gelutanhconst<>+152(SB)/4, $0xb95e8083
DATA gelutanhconst<>+156(SB)/4, $0xb95e8083
DATA gelutanhconst<>+160(SB)/4, $0x39506967 // p0 = 0.000198756915
DATA gelutanhconst<>+164(SB)/4, $0x39506967
DATA gelutanhconst<>+168(SB)/4, $0x39506967
DATA gelutanhconst<>+172(SB)/4, $0x39506967
DATA gelutanhconst<>+176(SB)/4, $0x39506967
DATA gelutanhconst<>+180(SB)/4, $0x39506967
DATA gelutanhconst<>+184(SB)/4, $0x39506967
DATA gelutanhconst<>+188(SB)/4, $0x39506967
DATA gelutanhconst<>+192(SB)/4, $0x3ab743ce // p1 = 0.0013981999507
DATA gelutanhconst<>+196(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+200(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+204(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+208(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+212(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+216(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+220(SB)/4, $0x3ab743ce
DATA gelutanhconst<>+224(SB)/4, $0x3c088908 // p2 = 0.0083334519073
DATA gelutanhconst<>+228(SB)/4, $0x3c088908
DATA gelutanhconst<>+232(SB)/4, $0x3c088908
DATA gelutanhconst<>+236(SB)/4, $0x3c088908
DATA gelutanhconst<>+240(SB)/4, $0x3c088908
DATA gelutanhconst<>+244(SB)/4, $0x3c088908
DATA gelutanhconst<>+248(SB)/4, $0x3c088908
DATA gelutanhconst<>+252(SB)/4, $0x3c088908
DATA gelutanhconst<>+256(SB)/4, $0x3d2aa9c1 // p3 = 0.041665795894
DATA gelutanhconst<>+260(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+264(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+268(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+272(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+276(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+280(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+284(SB)/4, $0x3d2aa9c1
DATA gelutanhconst<>+288(SB)/4, $0x3e2aaaaa // p4 = 0.16666665459
DATA gelutanhconst<>+292(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+296(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+300(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+304(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+308(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+312(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+316(SB)/4, $0x3e2aaaaa
DATA gelutanhconst<>+320(SB)/4, $0x3f000000 // p5 = 0.50000001201
DATA gelutanhconst<>+324(SB)/4, $0x3f000000
DATA gelutanhconst<>+328(SB)/4, $0x3f000000
DATA gelutanhconst<>+332(SB)/4, $0x3f000000
DATA gelutanhconst<>+336(SB)/4, $0x3f000000
DATA gelutanhconst<>+340(SB)/4, $0x3f000000
DATA gelutanhconst<>+344(SB)/4, $0x3f000000
DATA gelutanhconst<>+348(SB)/4, $0x3f000000
DATA gelutanhconst<>+352(SB)/4, $0x3f800000 // one = 1.0
DATA gelutanhconst<>+356(SB)/4, $0x3f800000
DATA gelutanhconst<>+360(SB)/4, $0x3f800000
DATA gelutanhconst<>+364(SB)/4, $0x3f800000
DATA gelutanhconst<>+368(SB)/4, $0x3f800000
DATA gelutanhconst<>+372(SB)/4, $0x3f800000
DATA gelutanhconst<>+376(SB)/4, $0x3f800000
DATA gelutanhconst<>+380(SB)/4, $0x3f800000
DATA gelutanhconst<>+384(SB)/4, $0x41a00000 // clamp = 20.0
DATA gelutanhconst<>+388(SB)/4, $0x41a00000
DATA gelutanhconst<>+392(SB)/4, $0x41a00000
DATA gelutanhconst<>+396(SB)/4, $0x41a00000
DATA gelutanhconst<>+400(SB)/4, $0x41a00000
DATA gelutanhconst<>+404(SB)/4, $0x41a00000
DATA gelutanhconst<>+408(SB)/4, $0x41a00000
DATA gelutanhconst<>+412(SB)/4, $0x41a00000
DATA gelutanhconst<>+416(SB)/4, $0xc1a00000 // mclamp = -20.0
DATA gelutanhconst<>+420(SB)/4, $0xc1a00000
DATA gelutanhconst<>+424(SB)/4, $0xc1a00000
DATA gelutanhconst<>+428(SB)/4, $0xc1a00000
DATA gelutanhconst<>+432(SB)/4, $0xc1a00000
DATA gelutanhconst<>+436(SB)/4, $0xc1a00000
DATA gelutanhconst<>+440(SB)/4, $0xc1a00000
DATA gelutanhconst<>+444(SB)/4, $0xc1a00000
DATA gelutanhconst<>+448(SB)/4, $0x3d372713 // k = 0.044715
DATA gelutanhconst<>+452(SB)/4, $0x3d372713
DATA gelutanhconst<>+456(SB)/4, $0x3d372713
DATA gelutanhconst<>+460(SB)/4, $0x3d372713
DATA gelutanhconst<>+464(SB)/4, $0x3d372713
DATA gelutanhconst<>+468(SB)/4, $0x3d372713
DATA gelutanhconst<>+472(SB)/4, $0x3d372713
DATA gelutanhconst<>+476(SB)/4, $0x3d372713
DATA gelutanhconst<>+480(SB)/4, $0x3e095d4f // k3 = 0.134145
DATA gelutanhconst<>+484(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+488(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+492(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+496(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+500(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+504(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+508(SB)/4, $0x3e095d4f
DATA gelutanhconst<>+512(SB)/4, $0xbfcc422a // m2c = -1.5957691216057308
DATA gelutanhconst<>+516(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+520(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+524(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+528(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+532(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+536(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+540(SB)/4, $0xbfcc422a
DATA gelutanhconst<>+544(SB)/4, $0x3fcc422a // p2c = 1.5957691216057308
DATA gelutanhconst<>+548(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+552(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+556(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+560(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+564(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+568(SB)/4, $0x3fcc422a
DATA gelutanhconst<>+572(SB)/4, $0x3fcc422a
GLOBL gelutanhconst<>(SB), RODATA|NOPTR, $576

// func geluTanhAVX2(n int, x, y *float32)
//
// y[i] = GELUTanh(x[i]) for i < n, n a multiple of 8. y may be x.
TEXT ·geluTanhAVX2(SB), NOSPLIT, $0-24
	MOVQ    n+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    y+16(FP), DI
	VMOVUPS gelutanhconst<>+352(SB), Y15
	VMOVUPS gelutanhconst<>+416(SB), Y14
	VMOVUPS gelutanhconst<>+384(SB), Y13
	VMOVUPS gelutanhconst<>+32(SB), Y12
	SHRQ    $3, CX
	JZ      gtdone

gtloop:
	VMOVUPS      (SI), Y8         // x
	VMAXPS       Y8, Y14, Y9      // max(x, -20), NaN kept
	VMINPS       Y9, Y13, Y9      // xc = min(., 20)
	VMULPS       Y9, Y9, Y0       // xc²
	VMOVAPS      Y15, Y1
	VFMADD231PS  gelutanhconst<>+448(SB), Y0, Y1 // 1 + 0.044715·xc²
	VMULPS       gelutanhconst<>+512(SB), Y9, Y2
	VMULPS       Y1, Y2, Y2       // a = -2√(2/π)·xc·(1 + 0.044715·xc²)
	VCMPPS       $0x1e, Y12, Y2, Y10 // a > 88: s = 0

	// e^a, as in softmax_amd64.s.
	VMAXPS       gelutanhconst<>+0(SB), Y2, Y0
	VMINPS       gelutanhconst<>+32(SB), Y0, Y0
	VMULPS       gelutanhconst<>+64(SB), Y0, Y1
	VROUNDPS     $0, Y1, Y1
	VFNMADD231PS gelutanhconst<>+96(SB), Y1, Y0
	VFNMADD231PS gelutanhconst<>+128(SB), Y1, Y0
	VMOVUPS      gelutanhconst<>+160(SB), Y2
	VFMADD213PS  gelutanhconst<>+192(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+224(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+256(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+288(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+320(SB), Y0, Y2
	VMULPS       Y0, Y0, Y3
	VFMADD213PS  Y0, Y3, Y2
	VADDPS       Y15, Y2, Y2
	VCVTPS2DQ    Y1, Y1
	VPSLLD       $23, Y1, Y1
	VPADDD       Y1, Y2, Y2       // e^a
	VADDPS       Y15, Y2, Y2      // 1 + e^a
	VDIVPS       Y2, Y8, Y4       // y = x / (1 + e^a)
	VANDNPS      Y4, Y10, Y4      // +0 where a > 88
	VMOVUPS      Y4, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          gtloop

gtdone:
	VZEROUPPER
	RET

// func geluTanhBackwardAVX2(n int, x, gy, gx *float32)
//
// gx[i] = gy[i]·GELUTanh′(x[i]) for i < n, n a multiple of 8. gx may be gy.
TEXT ·geluTanhBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ    n+0(FP), CX
	MOVQ    x+8(FP), SI
	MOVQ    gy+16(FP), R9
	MOVQ    gx+24(FP), DI
	VMOVUPS gelutanhconst<>+352(SB), Y15
	VMOVUPS gelutanhconst<>+416(SB), Y14
	VMOVUPS gelutanhconst<>+384(SB), Y13
	VMOVUPS gelutanhconst<>+32(SB), Y12
	SHRQ    $3, CX
	JZ      gtbdone

gtbloop:
	VMOVUPS      (SI), Y8         // x
	VMAXPS       Y8, Y14, Y9      // max(x, -20), NaN kept
	VMINPS       Y9, Y13, Y9      // xc = min(., 20)
	VMULPS       Y9, Y9, Y0       // xc²
	VMOVAPS      Y15, Y1
	VFMADD231PS  gelutanhconst<>+448(SB), Y0, Y1 // 1 + 0.044715·xc²
	VMULPS       gelutanhconst<>+512(SB), Y9, Y2
	VMULPS       Y1, Y2, Y2       // a = -2√(2/π)·xc·(1 + 0.044715·xc²)
	VCMPPS       $0x1e, Y12, Y2, Y10 // a > 88: s = 0

	// e^a, as in softmax_amd64.s.
	VMAXPS       gelutanhconst<>+0(SB), Y2, Y0
	VMINPS       gelutanhconst<>+32(SB), Y0, Y0
	VMULPS       gelutanhconst<>+64(SB), Y0, Y1
	VROUNDPS     $0, Y1, Y1
	VFNMADD231PS gelutanhconst<>+96(SB), Y1, Y0
	VFNMADD231PS gelutanhconst<>+128(SB), Y1, Y0
	VMOVUPS      gelutanhconst<>+160(SB), Y2
	VFMADD213PS  gelutanhconst<>+192(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+224(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+256(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+288(SB), Y0, Y2
	VFMADD213PS  gelutanhconst<>+320(SB), Y0, Y2
	VMULPS       Y0, Y0, Y3
	VFMADD213PS  Y0, Y3, Y2
	VADDPS       Y15, Y2, Y2
	VCVTPS2DQ    Y1, Y1
	VPSLLD       $23, Y1, Y1
	VPADDD       Y1, Y2, Y2       // e^a
	VADDPS       Y15, Y2, Y2      // 1 + e^a
	VDIVPS       Y2, Y15, Y4      // s = 1 / (1 + e^a)
	VANDNPS      Y4, Y10, Y4      // s = +0 where a > 88
	VMULPS       Y4, Y4, Y6
	VSUBPS       Y6, Y4, Y6       // q = s - s²
	VMULPS       Y9, Y9, Y5       // xc²
	VMOVAPS      Y15, Y7
	VFMADD231PS  gelutanhconst<>+480(SB), Y5, Y7 // 1 + 3·0.044715·xc²
	VMULPS       gelutanhconst<>+544(SB), Y9, Y5
	VMULPS       Y7, Y5, Y5       // w
	VFMADD231PS  Y6, Y5, Y4       // s + w·q
	VMULPS       (R9), Y4, Y4     // · gy
	VMOVUPS      Y4, (DI)
	ADDQ         $32, SI
	ADDQ         $32, R9
	ADDQ         $32, DI
	DECQ         CX
	JNZ          gtbloop

gtbdone:
	VZEROUPPER
	RET
