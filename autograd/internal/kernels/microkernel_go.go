package kernels

import "fmt"

// microKernelFunc is the signature shared by the micro-kernels: it computes
// the mr×nr tile (mrNarrow×nr for the narrow ones) C = alpha·A·B + beta·C,
// where element (r, p) of A is a[r·rs + p·ps], row p of B (nr floats) starts
// at b[p·ldb], and C's rows start ldc apart in c. A packed panel of A has
// rs = 1, ps = mr; rows of a row-major A read in place have rs = lda, ps = 1.
// A packed panel of B has ldb = nr; a row-major B read in place has its own
// ldb. k is at least 1. With beta = 0 it must not read C.
type microKernelFunc func(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// edgeKernelFunc is the signature of the edge micro-kernels: a
// microKernelFunc for a partial tile at the bottom or right edge of C,
// computed in place. It computes the kernel's full height of rows from A (a
// packed panel's padding rows, or rows of A read in place above the block's
// last ones), but writes only rows skip … skip+rows−1 of the tile (row r at
// c[r·ldc]) and their first cols columns (1 ≤ cols ≤ nr); it reads only
// those cols columns of each row of B, so a row-major B may be read in place
// up to its last column. The elements it writes have the bits the full
// kernel would give them.
type edgeKernelFunc func(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, skip, rows, cols int)

// checkEdgeTile panics unless rows×cols after skip rows is a partial tile of
// an edge kernel of height h and width w.
func checkEdgeTile(skip, rows, cols, h, w int) {
	if skip < 0 || rows < 1 || skip+rows > h || cols < 1 || cols > w {
		panic(fmt.Sprintf("kernels: an edge tile of %d×%d after %d rows for a %d×%d kernel", rows, cols, skip, h, w))
	}
}

// goKernelReadsInPlace says whether the blocked loops may hand the Go
// micro-kernel rows of A or B in place. They do not: it is written for packed
// panels (rs = 1, ps = mr, ldb = nr), where one bounds check covers a whole
// column of the panel.
const goKernelReadsInPlace = false

// microKernelGo is the portable micro-kernel, for packed panels of A. It
// walks the 6×16 tile in 2×4 sub-tiles whose eight accumulators, four values
// of B and two of A fit in the floating-point registers of amd64 (16) as of
// arm64 (32), so each step of k does 8 multiply-adds for 6 loads and two
// bounds checks. (3×4 and 6×4 sub-tiles measured slower on amd64, from
// spills; arm64 could not be measured here.) The panels are in L1, so
// reading them once per sub-tile costs little.
func microKernelGo(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	goKernel(mr, k, a, rs, ps, b, ldb, c, ldc, alpha, beta)
}

// microKernel4Go is the portable narrow micro-kernel: the first four rows of
// a packed panel of A (still mr wide) into a 4×16 tile of C.
func microKernel4Go(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	goKernel(mrNarrow, k, a, rs, ps, b, ldb, c, ldc, alpha, beta)
}

// goKernel computes the rows×16 tile (rows even, at most mr) of the two
// portable micro-kernels above.
func goKernel(rows, k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	if rs != 1 || ps != mr || ldb != nr {
		panic("kernels: the Go micro-kernel needs packed panels of A and B")
	}
	a = a[:k*mr]
	b = b[:k*nr]
	for i := 0; i < rows; i += 2 {
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			for p := 0; p < k; p++ {
				ap := (*[2]float32)(a[p*mr+i:])
				bp := (*[4]float32)(b[p*nr+j:])
				a0, a1 := ap[0], ap[1]
				b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
			}
			storeQuad(c[i*ldc+j:], c00, c01, c02, c03, alpha, beta)
			storeQuad(c[(i+1)*ldc+j:], c10, c11, c12, c13, alpha, beta)
		}
	}
}

// storeQuad writes four accumulated values into dst[:4] as alpha·v + beta·dst.
func storeQuad(dst []float32, v0, v1, v2, v3, alpha, beta float32) {
	d := (*[4]float32)(dst)
	if beta == 0 {
		d[0], d[1], d[2], d[3] = alpha*v0, alpha*v1, alpha*v2, alpha*v3
		return
	}
	d[0] = alpha*v0 + beta*d[0]
	d[1] = alpha*v1 + beta*d[1]
	d[2] = alpha*v2 + beta*d[2]
	d[3] = alpha*v3 + beta*d[3]
}
