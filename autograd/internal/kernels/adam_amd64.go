//go:build !purego

package kernels

// Declaration of the Adam update in adam_amd64.s.

// adamAVX2 is one AdamUpdate step on the first n elements, n a multiple of 8
// (adam_amd64.s).
//
//go:noescape
func adamAVX2(n int, s *AdamStep, w, grad, m, v *float32)

// adamAsm checks bounds and runs adamAVX2 on the first n elements.
func adamAsm(n int, s *AdamStep, w, g, m, v []float32) {
	_, _, _, _ = w[n-1], g[n-1], m[n-1], v[n-1]
	adamAVX2(n, s, &w[0], &g[0], &m[0], &v[0])
}
