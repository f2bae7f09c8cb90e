//go:build !purego

package kernels

// sdivAVX2 sets z[i] = x[i] / s for i < n, n a multiple of 32
// (vector_div_amd64.s).
//
//go:noescape
func sdivAVX2(n int, x *float32, s float32, z *float32)

// sdivAsm checks bounds and runs sdivAVX2 on the first n elements.
func sdivAsm(n int, x []float32, s float32, z []float32) {
	_, _ = x[n-1], z[n-1]
	sdivAVX2(n, &x[0], s, &z[0])
}
