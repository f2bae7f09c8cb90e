package kernels

// smallGemm is the largest m·n·k computed by the direct loops of sgemmSmall.
// Below it, copying A and B into packed panels costs more than it saves: the
// operands already sit in L1 and the product is over in a few microseconds.
const smallGemm = 24 * 24 * 24

// sgemmSmall computes C = alpha·op(A)·op(B) + beta·C with direct loops, no
// packing. The loop order keeps the innermost loop contiguous in memory: when
// B is not transposed each row of C is updated as a sum of scaled rows of B
// (an "axpy" form); when it is, each element of C is a dot product of a row of
// op(A) with a row of B as stored.
func sgemmSmall(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	// opA returns op(A)[i][p] whatever the layout.
	opA := func(i, p int) float32 {
		if transA {
			return a[p*lda+i]
		}
		return a[i*lda+p]
	}
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if !transB {
			scaleRow(ci, beta)
			for p := 0; p < k; p++ {
				s := alpha * opA(i, p)
				bp := b[p*ldb : p*ldb+n]
				for j, bv := range bp {
					ci[j] += s * bv
				}
			}
			continue
		}
		for j := range ci {
			bj := b[j*ldb : j*ldb+k]
			var sum float32
			for p, bv := range bj {
				sum += opA(i, p) * bv
			}
			if beta == 0 {
				ci[j] = alpha * sum
			} else {
				ci[j] = alpha*sum + beta*ci[j]
			}
		}
	}
}

// scaleRow sets row = beta·row, with zeros (ignoring NaN) when beta = 0.
func scaleRow(row []float32, beta float32) {
	switch beta {
	case 0:
		clear(row)
	case 1:
	default:
		for j := range row {
			row[j] *= beta
		}
	}
}
