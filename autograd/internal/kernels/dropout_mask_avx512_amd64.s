//go:build !purego

#include "textflag.h"

// The dropout mask (dropout_mask.go) on 512-bit registers: one zmm holds a
// state word of all eight xoshiro256** lanes (Z0..Z3 = s0..s3). VPMULLQ
// multiplies by 5 and 9 (measured a little faster than a shift and an add
// each on Zen 5), VPROLQ rotates, VPTERNLOGQ does two XORs at once. Since
// r>>40 ≥ threshold exactly when r ≥ threshold<<40 (threshold < 2²⁴), one
// unsigned VPCMPUQ of r puts the decisions of a round into an opmask, one
// bit per element. Two rounds (16 elements) go per iteration: KUNPCKBW
// joins their opmasks, and a masked, zeroing VMULPS and VMOVAPS give
// x·scale and scale where the bit is set and +0 elsewhere. A last whole
// round runs on ymm halves, a last partial one loads and stores under the
// opmask K2 of the elements left, whose masked-off lanes neither fault nor
// are written.

// STEP steps the eight lanes once and sets the opmask K to the lanes whose
// output r is at least threshold<<40 (Z8); Z12, Z13 hold 5 and 9.
// Clobbers Z4..Z6.
#define STEP(K) \
	VPMULLQ    Z12, Z1, Z4       \
	VPROLQ     $7, Z4, Z4        \
	VPMULLQ    Z13, Z4, Z4       \ // r = rotl(s1·5, 7)·9
	VPCMPUQ    $5, Z8, Z4, K     \ // r ≥ threshold<<40 (not less than)
	VPSLLQ     $17, Z1, Z5       \ // t = s1<<17
	VPXORQ     Z1, Z3, Z6        \ // s3^s1
	VPTERNLOGQ $0x96, Z0, Z2, Z1 \ // s1 = s1^s2^s0
	VPTERNLOGQ $0x96, Z5, Z0, Z2 \ // s2 = s2^s0^t
	VPXORQ     Z6, Z0, Z0        \ // s0 = s0^s3^s1
	VPROLQ     $45, Z6, Z3          // s3 = rotl(s3^s1, 45)

// func dropoutMaskAVX512(n int, lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out *float32)
TEXT ·dropoutMaskAVX512(SB), NOSPLIT, $0-48
	MOVQ         n+0(FP), CX
	MOVQ         lanes+8(FP), AX
	MOVL         threshold+16(FP), DX
	SHLQ         $40, DX
	VPBROADCASTQ DX, Z8
	VBROADCASTSS scale+20(FP), Z9
	MOVL         $5, DX
	VPBROADCASTQ DX, Z12
	MOVL         $9, DX
	VPBROADCASTQ DX, Z13
	MOVQ         x+24(FP), SI
	MOVQ         mask+32(FP), DI
	MOVQ         out+40(FP), BX
	VMOVDQU64    0(AX), Z0
	VMOVDQU64    64(AX), Z1
	VMOVDQU64    128(AX), Z2
	VMOVDQU64    192(AX), Z3
	MOVQ         CX, R9
	ANDQ         $-16, R9
	SHLQ         $2, R9          // pairs of whole rounds, in bytes
	XORQ         R8, R8          // offset in bytes
	TESTQ        R9, R9
	JZ           single

pairs:
	STEP(K1)
	STEP(K3)
	KUNPCKBW  K1, K3, K1         // K1 = K3:K1, elements 0..15
	VMULPS.Z  (SI)(R8*1), Z9, K1, Z10
	VMOVAPS.Z Z9, K1, Z11
	VMOVUPS   Z11, (DI)(R8*1)
	VMOVUPS   Z10, (BX)(R8*1)
	ADDQ      $64, R8
	CMPQ      R8, R9
	JB        pairs

single:
	TESTQ     $8, CX
	JZ        tail
	STEP(K1)
	VMULPS.Z  (SI)(R8*1), Y9, K1, Y10
	VMOVAPS.Z Y9, K1, Y11
	VMOVUPS   Y11, (DI)(R8*1)
	VMOVUPS   Y10, (BX)(R8*1)
	ADDQ      $32, R8

tail:
	ANDQ      $7, CX
	JZ        done
	MOVL      $1, DX
	SHLL      CX, DX
	DECL      DX
	KMOVW     DX, K2             // the elements left
	STEP(K1)
	KANDW     K2, K1, K1
	VMULPS.Z  (SI)(R8*1), Y9, K1, Y10
	VMOVAPS.Z Y9, K1, Y11
	VMOVUPS   Y11, K2, (DI)(R8*1)
	VMOVUPS   Y10, K2, (BX)(R8*1)

done:
	VMOVDQU64 Z0, 0(AX)
	VMOVDQU64 Z1, 64(AX)
	VMOVDQU64 Z2, 128(AX)
	VMOVDQU64 Z3, 192(AX)
	VZEROUPPER
	RET
