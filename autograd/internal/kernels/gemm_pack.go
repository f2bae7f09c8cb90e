package kernels

import "sync"

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it: micro-panels of mr rows of op(A) (or nr columns of op(B)), each
// stored column after column, so the kernel's loads are contiguous and
// sequential. This is where the transposes are absorbed: op(A) and op(B) are
// only ever read element by element here, never materialised. A partial
// panel at the bottom or right edge is padded with zeros, so the
// micro-kernel always computes a full tile.

// packA copies the mb×kb block of op(A) starting at row i0, column p0 into
// dst as ⌈mb/mr⌉ panels of kb·mr floats: dst[panel·kb·mr + p·mr + r] =
// op(A)[i0 + panel·mr + r][p0 + p].
func packA(transA bool, a []float32, lda, i0, p0, mb, kb int, dst []float32) {
	for ir := 0; ir < mb; ir += mr {
		rows := min(mr, mb-ir)
		panel := dst[(ir/mr)*kb*mr : (ir/mr+1)*kb*mr]
		if transA {
			// op(A)[i][p] = a[p·lda + i]: each column of the panel is a
			// contiguous run of A as stored.
			for p := 0; p < kb; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				col := panel[p*mr : p*mr+mr]
				copy(col[:rows], src[:rows])
				clear(col[rows:])
			}
			continue
		}
		// op(A)[i][p] = a[i·lda + p]: each row of the panel is a
		// contiguous run of A, scattered with stride mr.
		for r := 0; r < rows; r++ {
			src := a[(i0+ir+r)*lda+p0 : (i0+ir+r)*lda+p0+kb]
			for p, v := range src {
				panel[p*mr+r] = v
			}
		}
		for r := rows; r < mr; r++ {
			for p := 0; p < kb; p++ {
				panel[p*mr+r] = 0
			}
		}
	}
}

// packB copies the kb×nb block of op(B) starting at row p0, column j0 into
// dst as ⌈nb/nr⌉ panels of kb·nr floats: dst[panel·kb·nr + p·nr + c] =
// op(B)[p0 + p][j0 + panel·nr + c].
func packB(transB bool, b []float32, ldb, p0, j0, kb, nb int, dst []float32) {
	for jr := 0; jr < nb; jr += nr {
		cols := min(nr, nb-jr)
		panel := dst[(jr/nr)*kb*nr : (jr/nr+1)*kb*nr]
		if !transB {
			// op(B)[p][j] = b[p·ldb + j]: each row of the panel is a
			// contiguous run of B as stored.
			for p := 0; p < kb; p++ {
				src := b[(p0+p)*ldb+j0+jr:]
				row := panel[p*nr : p*nr+nr]
				copy(row[:cols], src[:cols])
				clear(row[cols:])
			}
			continue
		}
		// op(B)[p][j] = b[j·ldb + p]: each column of the panel is a
		// contiguous run of B, scattered with stride nr.
		for c := 0; c < cols; c++ {
			src := b[(j0+jr+c)*ldb+p0 : (j0+jr+c)*ldb+p0+kb]
			for p, v := range src {
				panel[p*nr+c] = v
			}
		}
		for c := cols; c < nr; c++ {
			for p := 0; p < kb; p++ {
				panel[p*nr+c] = 0
			}
		}
	}
}

// packPool recycles packing buffers between calls, so a training loop that
// multiplies matrices every step does not allocate megabytes per product.
var packPool sync.Pool

// getPack returns a buffer of at least n floats from the pool.
func getPack(n int) *[]float32 {
	if v, ok := packPool.Get().(*[]float32); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]float32, n)
	return &s
}

// putPack returns a buffer from getPack to the pool.
func putPack(s *[]float32) { packPool.Put(s) }
