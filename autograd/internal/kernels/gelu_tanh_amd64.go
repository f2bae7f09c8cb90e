//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the tanh GELU kernels in gelu_tanh_amd64.s (AVX2) and
// gelu_tanh_avx512_amd64.s (AVX-512, the same results).

// geluTanhAVX2 sets y[i] = GELUTanh(x[i]) for i < n, n a multiple of 8.
//
//go:noescape
func geluTanhAVX2(n int, x, y *float32)

// geluTanhAVX512 is geluTanhAVX2 on zmm registers.
//
//go:noescape
func geluTanhAVX512(n int, x, y *float32)

// geluTanhBackwardAVX2 sets gx[i] = gy[i]·GELUTanh′(x[i]) for i < n, n a
// multiple of 8.
//
//go:noescape
func geluTanhBackwardAVX2(n int, x, gy, gx *float32)

// geluTanhBackwardAVX512 is geluTanhBackwardAVX2 on zmm registers.
//
//go:noescape
func geluTanhBackwardAVX512(n int, x, gy, gx *float32)

// geluTanhAsm checks bounds and runs geluTanhAVX2 or geluTanhAVX512 on the
// first n elements.
func geluTanhAsm(n int, x, y []float32) {
	_, _ = x[n-1], y[n-1]
	if level >= simd.AVX512 {
		geluTanhAVX512(n, &x[0], &y[0])
		return
	}
	geluTanhAVX2(n, &x[0], &y[0])
}

// geluTanhBackwardAsm checks bounds and runs geluTanhBackwardAVX2 or
// geluTanhBackwardAVX512 on the first n elements.
func geluTanhBackwardAsm(n int, x, gy, gx []float32) {
	_, _, _ = x[n-1], gy[n-1], gx[n-1]
	if level >= simd.AVX512 {
		geluTanhBackwardAVX512(n, &x[0], &gy[0], &gx[0])
		return
	}
	geluTanhBackwardAVX2(n, &x[0], &gy[0], &gx[0])
}
