//go:build !purego

package kernels

// The AVX2 bodies of Sadd, Smul and Sdiv (vector_elementwise_amd64.s), for
// n a multiple of 32, and of AccumulateWide, for n a multiple of 16,
// without bounds checks.
//
//go:noescape
func saddAVX2(n int, x, y, z *float32)

//go:noescape
func smulAVX2(n int, x, y, z *float32)

//go:noescape
func sdivAVX2(n int, x *float32, s float32, z *float32)

//go:noescape
func accumulateWideAVX2(n int, acc *float64, x *float32)

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

func accumulateWideAsm(n int, acc []float64, x []float32) {
	_, _ = acc[n-1], x[n-1]
	accumulateWideAVX2(n, &acc[0], &x[0])
}
