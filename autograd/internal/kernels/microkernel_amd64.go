//go:build !purego

package kernels

// kernel6x16AVX2 is the micro-kernel in AVX2+FMA assembly
// (microkernel_amd64.s): C(6×16) = alpha·A·B + beta·C from a packed panel a of
// k·6 floats and a packed panel b of k·16 floats, with C's rows ldc floats
// apart. k must be at least 1. It does no bounds checks: call asmKernel.
//
//go:noescape
func kernel6x16AVX2(k int, a, b, c *float32, ldc int, alpha, beta float32)

// asmKernel checks the slice bounds once, then runs the assembly kernel.
func asmKernel(k int, a, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[k*mr-1]
	_ = b[k*nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernel6x16AVX2(k, &a[0], &b[0], &c[0], ldc, alpha, beta)
}
