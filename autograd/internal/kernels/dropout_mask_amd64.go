//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the dropout-mask kernels in dropout_mask_amd64.s (AVX2)
// and dropout_mask_avx512_amd64.s (AVX-512, the same results).

// dropoutMaskAVX2 is DropoutMask on the first n elements, n a multiple of 8:
// the eight lanes in two ymm registers per state word
// (dropout_mask_amd64.s).
//
//go:noescape
func dropoutMaskAVX2(n int, lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out *float32)

// dropoutMaskAVX512 is DropoutMask on n elements, any n ≥ 0: the eight
// lanes in one zmm register per state word, a last partial round under an
// opmask (dropout_mask_avx512_amd64.s).
//
//go:noescape
func dropoutMaskAVX512(n int, lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out *float32)

// dropoutMaskAsm runs the assembly DropoutMask of the level in use on equally
// long slices and returns how many elements it did: all of them at the
// AVX-512 level, the whole rounds of eight at the AVX2 level (the Go code
// does the rest, continuing from the lanes the kernel left).
func dropoutMaskAsm(lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out []float32) int {
	n := len(x)
	if n == 0 {
		return 0
	}
	_, _ = mask[n-1], out[n-1]
	if level >= simd.AVX512 {
		dropoutMaskAVX512(n, lanes, threshold, scale, &x[0], &mask[0], &out[0])
		return n
	}
	n &^= DropoutLaneCount - 1
	if n > 0 {
		dropoutMaskAVX2(n, lanes, threshold, scale, &x[0], &mask[0], &out[0])
	}
	return n
}
