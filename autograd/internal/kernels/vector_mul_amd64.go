//go:build !purego

package kernels

// smulAVX2 sets z[i] = x[i]·y[i] for i < n, n a multiple of 32
// (vector_mul_amd64.s).
//
//go:noescape
func smulAVX2(n int, x, y, z *float32)

// smulAsm checks bounds and runs smulAVX2 on the first n elements.
func smulAsm(n int, x, y, z []float32) {
	_, _, _ = x[n-1], y[n-1], z[n-1]
	smulAVX2(n, &x[0], &y[0], &z[0])
}
