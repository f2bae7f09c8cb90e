//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the GELU kernels in gelu_amd64.s (AVX2) and
// gelu_avx512_amd64.s (AVX-512, the same results).

// geluAVX2 sets y[i] = x[i]·Φ(x[i]) and, if cdf is not nil, cdf[i] = Φ(x[i])
// for i < n, n a multiple of 8 (gelu_amd64.s).
//
//go:noescape
func geluAVX2(n int, x, y, cdf *float32)

// geluAVX512 is geluAVX2 on zmm registers (gelu_avx512_amd64.s).
//
//go:noescape
func geluAVX512(n int, x, y, cdf *float32)

// geluBackwardAVX512 is geluBackwardAVX2 on zmm registers
// (gelu_avx512_amd64.s).
//
//go:noescape
func geluBackwardAVX512(n int, x, cdf, gy, gx *float32)

// geluAsm checks bounds and runs geluAVX2 or geluAVX512 on the first n
// elements.
func geluAsm(n int, x, y, cdf []float32) {
	_, _ = x[n-1], y[n-1]
	var c *float32
	if cdf != nil {
		_ = cdf[n-1]
		c = &cdf[0]
	}
	if level >= simd.AVX512 {
		geluAVX512(n, &x[0], &y[0], c)
		return
	}
	geluAVX2(n, &x[0], &y[0], c)
}

// geluBackwardAVX2 sets gx[i] = gy[i]·(cdf[i] + x[i]·φ(x[i])) for i < n, n a
// multiple of 8 (gelu_amd64.s).
//
//go:noescape
func geluBackwardAVX2(n int, x, cdf, gy, gx *float32)

// geluBackwardAsm checks bounds and runs geluBackwardAVX2 or
// geluBackwardAVX512 on the first n elements.
func geluBackwardAsm(n int, x, cdf, gy, gx []float32) {
	_, _, _, _ = x[n-1], cdf[n-1], gy[n-1], gx[n-1]
	if level >= simd.AVX512 {
		geluBackwardAVX512(n, &x[0], &cdf[0], &gy[0], &gx[0])
		return
	}
	geluBackwardAVX2(n, &x[0], &cdf[0], &gy[0], &gx[0])
}
