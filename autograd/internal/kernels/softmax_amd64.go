//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the softmax row kernels in softmax_amd64.s (AVX2) and
// softmax_avx512_amd64.s (AVX-512); the wrappers pick by level.

// maxAVX2 returns max x[i] for i < n, n a positive multiple of 8 (softmax_amd64.s).
//
//go:noescape
func maxAVX2(n int, x *float32) float32

// expShiftSumAVX2 sets y[i] = exp(x[i] - shift) for i < n, n a multiple of 8,
// and returns their sum (softmax_amd64.s).
//
//go:noescape
func expShiftSumAVX2(n int, x *float32, shift float32, y *float32) float32

// sscalAVX2 sets x[i] *= alpha for i < n, n a multiple of 8 (softmax_amd64.s).
//
//go:noescape
func sscalAVX2(n int, alpha float32, x *float32)

// maxAVX512 is maxAVX2 on zmm registers (softmax_avx512_amd64.s).
//
//go:noescape
func maxAVX512(n int, x *float32) float32

// expShiftSumAVX512 is expShiftSumAVX2 on zmm registers: the same y[i], a
// sum in 16 lanes (softmax_avx512_amd64.s).
//
//go:noescape
func expShiftSumAVX512(n int, x *float32, shift float32, y *float32) float32

// sscalAVX512 is sscalAVX2 on zmm registers (softmax_avx512_amd64.s).
//
//go:noescape
func sscalAVX512(n int, alpha float32, x *float32)

// maxAsm checks bounds and runs maxAVX2 or maxAVX512 on x[:n].
func maxAsm(n int, x []float32) float32 {
	_ = x[n-1]
	if level >= simd.AVX512 {
		return maxAVX512(n, &x[0])
	}
	return maxAVX2(n, &x[0])
}

// expShiftSumAsm checks bounds and runs expShiftSumAVX2 or
// expShiftSumAVX512 on x[:n], y[:n].
func expShiftSumAsm(n int, x []float32, shift float32, y []float32) float32 {
	_, _ = x[n-1], y[n-1]
	if level >= simd.AVX512 {
		return expShiftSumAVX512(n, &x[0], shift, &y[0])
	}
	return expShiftSumAVX2(n, &x[0], shift, &y[0])
}

// sscalAsm checks bounds and runs sscalAVX2 or sscalAVX512 on x[:n].
func sscalAsm(n int, alpha float32, x []float32) {
	_ = x[n-1]
	if level >= simd.AVX512 {
		sscalAVX512(n, alpha, &x[0])
		return
	}
	sscalAVX2(n, alpha, &x[0])
}
