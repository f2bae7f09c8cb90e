//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the vector kernels in vector_amd64.s (AVX2) and
// vector_avx512_amd64.s (AVX-512).

// saxpyAVX2 does y[i] += alpha·x[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func saxpyAVX2(n int, alpha float32, x, y *float32)

// sdotAVX2 returns Σ x[i]·y[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func sdotAVX2(n int, x, y *float32) float32

// saxpyAVX512 is saxpyAVX2 on zmm registers, with the same results
// (vector_avx512_amd64.s).
//
//go:noescape
func saxpyAVX512(n int, alpha float32, x, y *float32)

// saxpyAsm checks bounds and runs saxpyAVX2 or saxpyAVX512 on the first n
// elements.
func saxpyAsm(n int, alpha float32, x, y []float32) {
	_, _ = x[n-1], y[n-1]
	if level >= simd.AVX512 {
		saxpyAVX512(n, alpha, &x[0], &y[0])
		return
	}
	saxpyAVX2(n, alpha, &x[0], &y[0])
}

// sdotAsm checks bounds and runs sdotAVX2 on the first n elements.
func sdotAsm(n int, x, y []float32) float32 {
	_, _ = x[n-1], y[n-1]
	return sdotAVX2(n, &x[0], &y[0])
}
