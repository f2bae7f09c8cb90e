package kernels

import "sync"

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it: micro-panels of mr rows of op(A) (or nr columns of op(B)), each
// stored column after column, so the kernel's loads are contiguous and
// sequential. This is where the transposes are absorbed: op(A) and op(B) are
// only ever read element by element here, never materialised. A partial
// panel at the bottom or right edge is padded with zeros, so the
// micro-kernel always computes a full tile; at the AVX-512 level, whose edge
// kernels read only the columns of B that exist, a partial panel of B is not
// padded (and a row-major B not packed at all when the blocked loops read it
// in place).
//
// The copies of one step of the 6×16 tile (6 or 16 floats) are written as
// fixed-size array assignments rather than copy(), which the compiler turns
// into a few vector moves instead of a call to memmove per 24 or 64 bytes.

// packA copies the mb×kb block of op(A) starting at row i0, column p0 into
// dst as one panel of kb·mr floats per row tile of the block (see
// rowTileHeight): the tile t starting at row ir of the block is packed at
// dst[t·kb·mr + p·mr + r] = op(A)[i0 + ir + r][p0 + p], its missing rows
// (a narrow tile uses only the first mrNarrow rows of its panel) zero.
func (g *gemmKernels) packA(transA bool, a []float32, lda, i0, p0, mb, kb int, dst []float32) {
	mr := g.mr
	for ir, t := 0, 0; ir < mb; t++ {
		h := g.rowTileHeight(mb - ir)
		g.packAPanel(transA, a, lda, i0+ir, p0, min(h, mb-ir), kb, dst[t*kb*mr:(t+1)*kb*mr])
		ir += h
	}
}

// packAPanel packs rows i0..i0+rows-1 (rows ≤ mr) of op(A), columns
// p0..p0+kb-1, into one panel of kb·mr floats, zero-padding missing rows.
func (g *gemmKernels) packAPanel(transA bool, a []float32, lda, i0, p0, rows, kb int, panel []float32) {
	mr := g.mr
	if transA {
		// op(A)[i][p] = a[p·lda + i]: each column of the panel is a
		// contiguous run of A as stored.
		for p := 0; p < kb; p++ {
			col := panel[p*mr : (p+1)*mr]
			src := a[(p0+p)*lda+i0:]
			switch {
			case mr == 6 && rows == 6:
				copy6((*[6]float32)(col), (*[6]float32)(src))
				continue
			case mr == 12 && rows == 12:
				copy12((*[12]float32)(col), (*[12]float32)(src))
				continue
			}
			copy(col[:rows], src)
			clear(col[rows:])
		}
		return
	}
	// op(A)[i][p] = a[i·lda + p]: the panel interleaves mr rows of A.
	if mr == 6 && rows == 6 {
		r0 := a[(i0+0)*lda+p0:][:kb]
		r1 := a[(i0+1)*lda+p0:][:kb]
		r2 := a[(i0+2)*lda+p0:][:kb]
		r3 := a[(i0+3)*lda+p0:][:kb]
		r4 := a[(i0+4)*lda+p0:][:kb]
		r5 := a[(i0+5)*lda+p0:][:kb]
		for p := range r0 {
			*(*[6]float32)(panel[p*6:]) = [6]float32{r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]}
		}
		return
	}
	if rows < mr {
		clear(panel[:kb*mr])
	}
	for r := 0; r < rows; r++ {
		for p, v := range a[(i0+r)*lda+p0:][:kb] {
			panel[p*mr+r] = v
		}
	}
}

// packBPanel packs columns j0..j0+cols-1 (cols ≤ nr) of op(B), rows
// p0..p0+kb-1, into one panel of kb·nr floats. A partial panel's missing
// columns are zero at the levels whose kernels read whole panels; the edge
// kernels (AVX-512) read only the columns that exist, so there they are left
// as they were (BENCHMARKS.md, "Performance v2, part 4: masked edges":
// measurably faster on small products).
func (g *gemmKernels) packBPanel(transB bool, b []float32, ldb, p0, j0, kb, cols int, panel []float32) {
	nr := g.nr
	if !transB {
		// op(B)[p][j] = b[p·ldb + j]: each row of the panel is a
		// contiguous run of B as stored.
		if cols == nr {
			g.packB(kb, b[p0*ldb+j0:], ldb, panel)
			return
		}
		for p := 0; p < kb; p++ {
			copy(panel[p*nr:p*nr+cols], b[(p0+p)*ldb+j0:])
		}
	} else {
		// op(B)[p][j] = b[j·ldb + p]: the panel interleaves nr rows of B as
		// stored.
		if cols == nr {
			g.packBT(kb, b[j0*ldb+p0:], ldb, panel)
			return
		}
		packBTPartial(b[j0*ldb+p0:], ldb, kb, cols, nr, panel)
	}
	if g.fullEdge == nil {
		padPanel(panel, kb, cols, nr)
	}
}

// padPanel zeroes columns cols..nr-1 of the kb rows of nr floats of a
// packed panel, row after row.
func padPanel(panel []float32, kb, cols, nr int) {
	for p := 0; p < kb; p++ {
		clear(panel[p*nr+cols : (p+1)*nr])
	}
}

// packB16TGo packs a full micro-panel of a transposed B: dst[p·nr + c] =
// src[c·ldb + p] for p < kb, c < nr.
func packB16TGo(kb int, src []float32, ldb int, dst []float32) {
	packBTPartial(src, ldb, kb, nr, nr, dst)
}

// packBTPartial packs cols ≤ nr rows of B as stored (ldb apart in src, kb
// floats each) into a panel of rows of nr floats, dst[p·nr + c] =
// src[c·ldb + p] for c < cols; it leaves columns cols..nr-1 alone. It takes
// the rows four at a time, so that each pass writes 16 contiguous bytes of
// every panel row.
func packBTPartial(src []float32, ldb, kb, cols, nr int, panel []float32) {
	c := 0
	for ; c+4 <= cols; c += 4 {
		s0 := src[(c+0)*ldb:][:kb]
		s1 := src[(c+1)*ldb:][:kb]
		s2 := src[(c+2)*ldb:][:kb]
		s3 := src[(c+3)*ldb:][:kb]
		for p := range s0 {
			q := (*[4]float32)(panel[p*nr+c:])
			*q = [4]float32{s0[p], s1[p], s2[p], s3[p]}
		}
	}
	for ; c < cols; c++ {
		for p, v := range src[c*ldb:][:kb] {
			panel[p*nr+c] = v
		}
	}
}

// packB16Go copies kb rows of 16 floats, ldb apart in src, contiguously to
// dst: a full micro-panel of a row-major B.
func packB16Go(kb int, src []float32, ldb int, dst []float32) {
	for p := 0; p < kb; p++ {
		copy16((*[nr]float32)(dst[p*nr:]), (*[nr]float32)(src[p*ldb:]))
	}
}

// copy16 copies 16 floats in four 16-byte moves. (A plain 64-byte array
// assignment compiles to a call to memmove, whose overhead dominates such
// a short copy.)
func copy16(dst, src *[16]float32) {
	*(*[4]float32)(dst[0:]) = *(*[4]float32)(src[0:])
	*(*[4]float32)(dst[4:]) = *(*[4]float32)(src[4:])
	*(*[4]float32)(dst[8:]) = *(*[4]float32)(src[8:])
	*(*[4]float32)(dst[12:]) = *(*[4]float32)(src[12:])
}

// copy12 copies 12 floats in three 16-byte moves (a copy() of them calls
// memmove, which took a tenth of a BERT training step in packing a
// transposed A for the 12×32 tile).
func copy12(dst, src *[12]float32) {
	*(*[4]float32)(dst[0:]) = *(*[4]float32)(src[0:])
	*(*[4]float32)(dst[4:]) = *(*[4]float32)(src[4:])
	*(*[4]float32)(dst[8:]) = *(*[4]float32)(src[8:])
}

// copy6 copies 6 floats in a 16-byte and an 8-byte move, for the same reason.
func copy6(dst, src *[6]float32) {
	*(*[4]float32)(dst[0:]) = *(*[4]float32)(src[0:])
	*(*[2]float32)(dst[4:]) = *(*[2]float32)(src[4:])
}

// packPools recycle packing buffers between calls, so a training loop that
// multiplies matrices every step does not allocate megabytes per product.
// The packed blocks of A and of B have their own pools: their sizes differ
// by up to a hundredfold, and from one shared pool a call would often get the
// small buffer where it needs the large one (and drop it for a new one).
var packPools [2]sync.Pool

// Which packing buffer a pool holds.
const (
	packBufA = 0
	packBufB = 1
)

// getPack returns a buffer of at least n floats from pool which.
func getPack(which, n int) *[]float32 {
	if v, ok := packPools[which].Get().(*[]float32); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]float32, n)
	return &s
}

// putPack returns a buffer from getPack to its pool.
func putPack(which int, s *[]float32) { packPools[which].Put(s) }
