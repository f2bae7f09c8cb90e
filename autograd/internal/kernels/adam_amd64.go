//go:build !purego

package kernels

import "github.com/turinglab/turinglab/internal/simd"

// Declarations of the Adam update in adam_amd64.s (AVX2) and
// adam_avx512_amd64.s (AVX-512).

// adamAVX2 is one AdamUpdate step on the first n elements, n a multiple of 8
// (adam_amd64.s).
//
//go:noescape
func adamAVX2(n int, s *AdamStep, w, grad, m, v *float32)

// adamAVX512 is adamAVX2 on zmm registers, with the same results
// (adam_avx512_amd64.s).
//
//go:noescape
func adamAVX512(n int, s *AdamStep, w, grad, m, v *float32)

// adamAsm checks bounds and runs adamAVX2 or adamAVX512 on the first n
// elements.
func adamAsm(n int, s *AdamStep, w, g, m, v []float32) {
	_, _, _, _ = w[n-1], g[n-1], m[n-1], v[n-1]
	if level >= simd.AVX512 {
		adamAVX512(n, s, &w[0], &g[0], &m[0], &v[0])
		return
	}
	adamAVX2(n, s, &w[0], &g[0], &m[0], &v[0])
}
