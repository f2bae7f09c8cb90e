//go:build !purego

package kernels

// kernel6x16AVX2 is the micro-kernel in AVX2+FMA assembly
// (microkernel_amd64.s), with the contract of microKernelFunc. k must be at
// least 1. It does no bounds checks: call asmKernel.
//
//go:noescape
func kernel6x16AVX2(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// kernel4x16AVX2 is the narrow micro-kernel (microkernel_amd64.s): the same
// contract for a 4×16 tile, for the last rows of a block. It does no bounds
// checks: call asmKernel4.
//
//go:noescape
func kernel4x16AVX2(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// asmKernel checks the slice bounds once, then runs the assembly kernel for
// A's layout: the grouped kernels when A's rows or columns are contiguous,
// as the blocked loops always lay them out, else the general one.
func asmKernel(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	_ = a[(mr-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	switch {
	case ps == 1:
		kernel6x16AVX2RowA(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
	case rs == 1:
		kernel6x16AVX2PackedA(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
	default:
		kernel6x16AVX2(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
	}
}

// asmKernel4 checks the slice bounds once, then runs the narrow assembly
// kernel.
func asmKernel4(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	_ = a[(mrNarrow-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+nr-1]
	_ = c[(mrNarrow-1)*ldc+nr-1]
	kernel4x16AVX2(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta)
}

// kernel6x16AVX2RowA is kernel6x16AVX2 for the rows of a row-major A read in
// place (ps = 1), and kernel6x16AVX2PackedA for a packed panel of A or the
// columns of a transposed A (rs = 1): the same FMAs in the same order, so the
// same bits, with fewer instructions per step (see the grouped kernels in
// microkernel_amd64.s). They do no bounds checks: call asmKernel.
//
//go:noescape
func kernel6x16AVX2RowA(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kernel6x16AVX2PackedA(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
