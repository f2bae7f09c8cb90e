//go:build !purego

package kernels

// The AVX2 bodies of Sadd, Smul and Sdiv (vector_elementwise_amd64.s), for
// n a multiple of 32, without bounds checks.
//
//go:noescape
func saddAVX2(n int, x, y, z *float32)

//go:noescape
func smulAVX2(n int, x, y, z *float32)

//go:noescape
func sdivAVX2(n int, x *float32, s float32, z *float32)

// addAsm, mulAsm and divAsm check the bounds of the first n elements once,
// then run the assembly body on them.
func addAsm(n int, x, y, z []float32) {
	_, _, _ = x[n-1], y[n-1], z[n-1]
	saddAVX2(n, &x[0], &y[0], &z[0])
}

func mulAsm(n int, x, y, z []float32) {
	_, _, _ = x[n-1], y[n-1], z[n-1]
	smulAVX2(n, &x[0], &y[0], &z[0])
}

func divAsm(n int, x []float32, s float32, z []float32) {
	_, _ = x[n-1], z[n-1]
	sdivAVX2(n, &x[0], s, &z[0])
}
