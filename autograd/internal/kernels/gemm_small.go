package kernels

// smallGemm is the largest m·n·k computed by the direct loops of sgemmSmall.
// Below it, the fixed cost of the packed path (buffers from the pool, packing,
// a padded 6×16 tile for a few outputs, about 0.4 µs) outweighs its speed;
// BenchmarkSmallVsBlocked puts the crossover near 8×8×8.
const smallGemm = 8 * 8 * 8

// sgemmSmall computes C = alpha·op(A)·op(B) + beta·C with direct loops, no
// packing. The loop order keeps the innermost loop contiguous in memory: when
// B is not transposed each row of C is updated as a sum of scaled rows of B
// (an "axpy" form); when it is, each element of C is a dot product of a row of
// op(A) with a row of B as stored.
func sgemmSmall(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	// op(A)[i][p] is a[i·lda + p], or a[p·lda + i] when transposed.
	ai, ap := lda, 1
	if transA {
		ai, ap = 1, lda
	}
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if !transB {
			scaleRow(ci, beta)
			for p := 0; p < k; p++ {
				s := alpha * a[i*ai+p*ap]
				for j, bv := range b[p*ldb : p*ldb+n] {
					ci[j] += s * bv
				}
			}
			continue
		}
		for j := range ci {
			bj := b[j*ldb : j*ldb+k]
			var sum float32
			if !transA {
				for p, av := range a[i*lda : i*lda+k] {
					sum += av * bj[p]
				}
			} else {
				for p, bv := range bj {
					sum += a[p*lda+i] * bv
				}
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
