//go:build !purego

package kernels

// kernel12x32AVX512 is the AVX-512 micro-kernel (microkernel_avx512_amd64.s),
// with the contract of microKernelFunc for a 12×32 tile. k must be at least
// 1. It does no bounds checks: call asmKernel512.
//
//go:noescape
func kernel12x32AVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// kernel8x32AVX512 is the narrow AVX-512 micro-kernel: the same contract for
// an 8×32 tile. It does no bounds checks: call asmKernel512Narrow.
//
//go:noescape
func kernel8x32AVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// asmKernel512 checks the slice bounds once, then runs the 12×32 kernel.
func asmKernel512(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	_ = a[(mr512-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+nr512-1]
	_ = c[(mr512-1)*ldc+nr512-1]
	kernel12x32AVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
}

// asmKernel512Narrow checks the slice bounds once, then runs the 8×32
// kernel.
func asmKernel512Narrow(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	_ = a[(mrNarrow512-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+nr512-1]
	_ = c[(mrNarrow512-1)*ldc+nr512-1]
	kernel8x32AVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
}
