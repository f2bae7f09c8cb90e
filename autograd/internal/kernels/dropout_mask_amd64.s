//go:build !purego

#include "textflag.h"

// The dropout mask (dropout_mask.go) on 256-bit registers: the eight
// xoshiro256** lanes take two ymm registers per state word, lanes 0-3 in
// the first and 4-7 in the second (Y0/Y1 = s0, Y2/Y3 = s1, Y4/Y5 = s2,
// Y6/Y7 = s3). AVX2 has no 64-bit rotation or multiplication: a rotation is
// two shifts and an OR, ·5 and ·9 are a shift and an add. The 24-bit value
// k = r>>40 of each lane fits in the low dword of its qword, so the eight
// k go into one ymm of dwords (VSHUFPS $0x88 picks the low dwords, VPERMQ
// $0xD8 puts the lanes back in order) and one signed compare against
// threshold−1 (≥ −1, below 2²⁴) gives the keep mask, all ones or zeros
// per element; ANDs then select scale and x·scale, bitwise.

// HALF steps the four lanes whose state words are s0..s3 once, leaving
// their k = r>>40 in the qwords of k; tmp is a temporary.
#define HALF(s0, s1, s2, s3, k, tmp) \
	VPSLLQ $2, s1, k     \
	VPADDQ s1, k, k      \ // s1·5
	VPSLLQ $7, k, tmp    \
	VPSRLQ $57, k, k     \
	VPOR   tmp, k, k     \ // rotl(s1·5, 7)
	VPSLLQ $3, k, tmp    \
	VPADDQ k, tmp, k     \ // r = rotl(s1·5, 7)·9
	VPSRLQ $40, k, k     \
	VPSLLQ $17, s1, tmp  \ // t = s1<<17
	VPXOR  s0, s2, s2    \
	VPXOR  s1, s3, s3    \
	VPXOR  s2, s1, s1    \
	VPXOR  s3, s0, s0    \
	VPXOR  tmp, s2, s2   \
	VPSLLQ $45, s3, tmp  \
	VPSRLQ $19, s3, s3   \
	VPOR   tmp, s3, s3      // s3 = rotl(s3, 45)

// func dropoutMaskAVX2(n int, lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out *float32)
//
// n is a multiple of 8; one round of the eight lanes per iteration.
TEXT ·dropoutMaskAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ lanes+8(FP), AX
	MOVL threshold+16(FP), DX
	DECL DX
	MOVL DX, X8
	VPBROADCASTD X8, Y8          // threshold − 1 in every dword
	VBROADCASTSS scale+20(FP), Y9
	MOVQ x+24(FP), SI
	MOVQ mask+32(FP), DI
	MOVQ out+40(FP), BX
	VMOVDQU 0(AX), Y0
	VMOVDQU 32(AX), Y1
	VMOVDQU 64(AX), Y2
	VMOVDQU 96(AX), Y3
	VMOVDQU 128(AX), Y4
	VMOVDQU 160(AX), Y5
	VMOVDQU 192(AX), Y6
	VMOVDQU 224(AX), Y7
	SHLQ $2, CX                  // n in bytes
	XORQ R8, R8
	TESTQ CX, CX
	JZ   done

loop:
	HALF(Y0, Y2, Y4, Y6, Y10, Y12)
	HALF(Y1, Y3, Y5, Y7, Y11, Y13)
	VSHUFPS  $0x88, Y11, Y10, Y10 // low dwords: lanes 0 1 4 5 | 2 3 6 7
	VPERMQ   $0xD8, Y10, Y10      // lanes 0..7
	VPCMPGTD Y8, Y10, Y10         // keep = k > threshold − 1
	VANDPS   Y9, Y10, Y11
	VMULPS   (SI)(R8*1), Y9, Y12
	VANDPS   Y10, Y12, Y12
	VMOVUPS  Y11, (DI)(R8*1)
	VMOVUPS  Y12, (BX)(R8*1)
	ADDQ     $32, R8
	CMPQ     R8, CX
	JB       loop

done:
	VMOVDQU Y0, 0(AX)
	VMOVDQU Y1, 32(AX)
	VMOVDQU Y2, 64(AX)
	VMOVDQU Y3, 96(AX)
	VMOVDQU Y4, 128(AX)
	VMOVDQU Y5, 160(AX)
	VMOVDQU Y6, 192(AX)
	VMOVDQU Y7, 224(AX)
	VZEROUPPER
	RET
