package kernels

// microKernelFunc is the signature shared by the micro-kernels: it computes
// the mr×nr tile C = alpha·A·B + beta·C, where B is a packed panel (k·nr
// floats, row p at b[p·nr:]), element (r, p) of A is a[r·rs + p·ps], and C's
// rows start ldc apart in c. A packed panel of A has rs = 1, ps = mr; rows of
// a row-major A read in place have rs = lda, ps = 1. With beta = 0 it must not
// read C.
type microKernelFunc func(k int, a []float32, rs, ps int, b, c []float32, ldc int, alpha, beta float32)

// microKernelGo is the portable micro-kernel. It walks the 6×16 tile in
// 2×4 sub-tiles whose eight accumulators fit in registers, so each step of
// the k loop does 8 multiply-adds for 6 loads; the panels are in L1 or L2,
// so revisiting them per sub-tile is cheap.
func microKernelGo(k int, a []float32, rs, ps int, b, c []float32, ldc int, alpha, beta float32) {
	b = b[:k*nr]
	for i := 0; i < mr; i += 2 {
		a0s, a1s := a[i*rs:], a[(i+1)*rs:]
		for j := 0; j < nr; j += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			for p := 0; p < k; p++ {
				a0, a1 := a0s[p*ps], a1s[p*ps]
				bp := b[p*nr+j : p*nr+j+4 : p*nr+j+4]
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
			storeQuad(c[i*ldc+j:i*ldc+j+4], c00, c01, c02, c03, alpha, beta)
			storeQuad(c[(i+1)*ldc+j:(i+1)*ldc+j+4], c10, c11, c12, c13, alpha, beta)
		}
	}
}

// storeQuad writes four accumulated values into dst as alpha·v + beta·dst.
func storeQuad(dst []float32, v0, v1, v2, v3, alpha, beta float32) {
	dst = dst[:4]
	if beta == 0 {
		dst[0], dst[1], dst[2], dst[3] = alpha*v0, alpha*v1, alpha*v2, alpha*v3
		return
	}
	dst[0] = alpha*v0 + beta*dst[0]
	dst[1] = alpha*v1 + beta*dst[1]
	dst[2] = alpha*v2 + beta*dst[2]
	dst[3] = alpha*v3 + beta*dst[3]
}
