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

// kernel12x32EdgeAVX512 is the AVX-512 edge micro-kernel
// (microkernel_avx512_amd64.s): the 12×32 kernel for a partial tile, which
// reads the columns of B and writes the columns of C under mask (bit j for
// column j) and writes only rows skip … skip+rows−1 of the tile. It does no
// bounds checks: call asmKernel512Edge.
//
//go:noescape
func kernel12x32EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)

// kernel8x32EdgeAVX512 is the narrow AVX-512 edge micro-kernel: the same
// contract for a partial 8×32 tile. It does no bounds checks: call
// asmKernel512NarrowEdge.
//
//go:noescape
func kernel8x32EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)

// kernel12x16EdgeAVX512 is kernel12x32EdgeAVX512 for a tile of at most 16
// columns: it computes only the first 16 columns of the tile, with half
// the FMAs. It does no bounds checks: call asmKernel512Edge.
//
//go:noescape
func kernel12x16EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)

// kernel8x16EdgeAVX512 is kernel8x32EdgeAVX512 for a tile of at most 16
// columns. It does no bounds checks: call asmKernel512NarrowEdge.
//
//go:noescape
func kernel8x16EdgeAVX512(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, skip, rows, mask int)

// asmKernel512Edge checks the tile's size and the slice bounds once, then
// runs the 12×32 edge kernel on a rows×cols tile after skip rows, or its
// 12×16 half when cols ≤ 16.
func asmKernel512Edge(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, skip, rows, cols int) {
	checkEdgeTile(skip, rows, cols, mr512, nr512)
	_ = a[(mr512-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+cols-1]
	_ = c[(skip+rows-1)*ldc+cols-1]
	if cols <= nr512/2 {
		kernel12x16EdgeAVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta, skip, rows, 1<<cols-1)
		return
	}
	kernel12x32EdgeAVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta, skip, rows, 1<<cols-1)
}

// asmKernel512NarrowEdge checks the tile's size and the slice bounds once,
// then runs the 8×32 edge kernel on a rows×cols tile after skip rows, or
// its 8×16 half when cols ≤ 16.
func asmKernel512NarrowEdge(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, skip, rows, cols int) {
	checkEdgeTile(skip, rows, cols, mrNarrow512, nr512)
	_ = a[(mrNarrow512-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+cols-1]
	_ = c[(skip+rows-1)*ldc+cols-1]
	if cols <= nr512/2 {
		kernel8x16EdgeAVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta, skip, rows, 1<<cols-1)
		return
	}
	kernel8x32EdgeAVX512(k, &a[0], rs, ps, &b[0], ldb, &c[0], ldc, alpha, beta, skip, rows, 1<<cols-1)
}
