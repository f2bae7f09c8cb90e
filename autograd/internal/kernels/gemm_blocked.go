package kernels

// sgemmBlocked computes C = alpha·op(A)·op(B) + beta·C with the packed,
// cache-blocked algorithm of GotoBLAS/BLIS. Three loops cut the product into
// blocks sized for the caches (see gemm_blocks.go):
//
//	for jc over n in steps of nc:          a kb×nc block of op(B) → packed, L3
//	  for pc over k in steps of kc:
//	    for ic over m in steps of mc:      an mc×kb block of op(A) → packed, L2
//	      for jr, ir over the block:       one mr×nr tile of C, micro-kernel
//
// The first kc-slice of k applies the caller's beta to C; the later slices
// accumulate into it (beta = 1).
//
// The rows of a block are cut into tiles of mr rows, and at the bottom edge
// into narrower tiles of mrNarrow rows for a second micro-kernel, as
// rowTileHeight says: this matters when m is small, as in the MLM logits (32
// rows).
//
// A row-major A (not transposed) is not packed when the micro-kernel can
// read its rows in place (the assembly ones can), which saves a copy of A
// per block of B; only a bottom tile of fewer rows than its kernel's height
// is packed (padded with zeros), unless the level has edge kernels and the
// block has that many rows: then the tile is shifted up to end at the
// block's last row, read in place, and the edge kernel writes only its last
// rows (shiftsRowTail).
//
// A transposed A is read in place the same way at the AVX-512 level
// (readsTransposedAInPlace): the mr elements of op(A) that one step of k
// broadcasts are then contiguous in A as stored (row stride 1, step stride
// lda), as in a packed panel. Packing it cost more than it saved: it is
// the weight gradient's layout (dW = gᵀ·x), and reading it in place made
// those products 10–65 % faster at AVX-512 (30522×600×128, the MLM
// decoder's: 110 → 182 GFLOP/s on Zen 5) and none slower. The AVX2 kernel,
// with half the work per step of k to hide the strided reads behind, lost
// up to 35 % on some shapes (3072×1024×768) while gaining on others, so
// the AVX2 level packs a transposed A as before.
//
// A partial tile at the bottom or right edge of C (fewer rows than its
// kernel's height, or fewer than nr columns) is computed in place by the
// level's edge kernels where it has them (AVX-512's, which read B and write
// C under opmasks: edgeKernelFunc), giving each element the bits a full
// tile would; at the other levels, the full kernel computes it into a
// scratch tile that mergeTile adds into C.
//
// Each micro-panel of B is packed during the first pass over ic, just before
// the micro-kernel first uses it, rather than all at once beforehand: it is
// then still in L1 when the kernel reads it.
//
// A row-major B is not packed at all when all the rows of A fit in one block
// (m ≤ mc) and the micro-kernels can read B in place (the assembly ones can):
// each micro-panel of B is then used by one run of row tiles, one right after
// the other, and packing it would only copy it once more. This matters for
// short, wide products (few rows of A against a long B, like the MLM
// logits), where B is read once from memory and its packing was a quarter of
// the time. A partial panel at the right edge (fewer than nr columns) is read
// in place too by the edge kernels; the levels without them pack it, padded
// with zeros.
func sgemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmBlockedWith(gemmFor(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmBlockedWith is sgemmBlocked with the implementation g, whose cache
// blocks calibration (gemm_calibrate.go) varies.
func sgemmBlockedWith(g *gemmKernels, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 1 && !transA { // one row: dot products or row updates, nothing packed (gemm_row.go)
		if transB {
			sgemmRowBT(n, k, alpha, a, b, ldb, beta, c)
		} else {
			sgemmRowB(n, k, alpha, a, b, ldb, beta, c)
		}
		return
	}
	if g.takesDots(transA, transB, m, k) { // a few rows: dot products, nothing packed (gemm_dot.go)
		sgemmDots(g, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemmBlockedLoops(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmBlockedLoops runs sgemmBlocked's loops with the implementation g.
func sgemmBlockedLoops(g *gemmKernels, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := g.mr, g.nr
	inPlaceA := g.readsInPlace && (!transA || g.readsTransposedAInPlace)
	inPlaceB := g.readsInPlace && !transB && m <= g.mc
	kbMax := min(g.kc, k)
	bBuf := getPack(packBufB, kbMax*roundUp(min(g.nc, n), nr))
	aSize := kbMax * roundUp(min(g.mc, m), mr)
	// The A buffer also holds the result of an edge tile before clipping, at
	// the levels without edge kernels (a local array would escape to the heap
	// through the kernel's function value, one allocation per call). Only its
	// bottom panel is used when A is read in place.
	aBuf := getPack(packBufA, aSize+mr*nr)
	defer putPack(packBufB, bBuf)
	defer putPack(packBufA, aBuf)
	bp, ap := *bBuf, (*aBuf)[:aSize]
	tile := (*aBuf)[aSize : aSize+mr*nr]
	for jc := 0; jc < n; jc += g.nc {
		nb := min(g.nc, n-jc)
		for pc := 0; pc < k; pc += g.kc {
			kb := min(g.kc, k-pc)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += g.mc {
				mb := min(g.mc, m-ic)
				if !inPlaceA {
					g.packA(transA, a, lda, ic, pc, mb, kb, ap)
				} else if ir, t, h := g.lastRowTile(mb); mb-ir < h && !g.shiftsRowTail(mb, h) {
					// The bottom tile, short of its kernel's height, is packed with padding.
					g.packAPanel(transA, a, lda, ic+ir, pc, mb-ir, kb, ap[t*kb*mr:(t+1)*kb*mr])
				}
				for jr := 0; jr < nb; jr += nr {
					cols := min(nr, nb-jr)
					// The panel of B: packed (row stride bs = nr) or in place.
					bPanel, bs := bp[(jr/nr)*kb*nr:(jr/nr+1)*kb*nr], nr
					if inPlaceB && (cols == nr || g.fullEdge != nil) {
						bPanel, bs = b[pc*ldb+jc+jr:], ldb
					} else if ic == 0 {
						g.packBPanel(transB, b, ldb, pc, jc+jr, kb, cols, bPanel)
					}
					// The row tiles of the block: t counts them, ir is the first
					// row of tile t, h its kernel's height (see rowTileHeight).
					for ir, t := 0, 0; ir < mb; t++ {
						h := g.rowTileHeight(mb - ir)
						rows := min(h, mb-ir)
						kernel, edge := g.full, g.fullEdge
						if h == g.mrNarrow {
							kernel, edge = g.narrow, g.narrowEdge
						}
						// The panel of A: packed (rs = 1, ps = mr) or in place,
						// from the tile's first row i0 (skip rows above row
						// ic+ir when the bottom tile is shifted up).
						aPanel, rs, ps := ap[t*kb*mr:(t+1)*kb*mr], 1, mr
						i0, skip := ic+ir, 0
						if inPlaceA && rows < h && g.shiftsRowTail(mb, h) {
							i0, skip = ic+mb-h, h-rows
						}
						if inPlaceA && (rows == h || skip > 0) {
							if transA {
								aPanel, rs, ps = a[pc*lda+i0:], 1, lda
							} else {
								aPanel, rs, ps = a[i0*lda+pc:], lda, 1
							}
						}
						off := i0*ldc + jc + jr
						switch {
						case rows == h && cols == nr:
							kernel(kb, aPanel, rs, ps, bPanel, bs, c[off:off+(h-1)*ldc+nr], ldc, alpha, bet)
						case edge != nil:
							edge(kb, aPanel, rs, ps, bPanel, bs, c[off:off+(skip+rows-1)*ldc+cols], ldc, alpha, bet, skip, rows, cols)
						default:
							kernel(kb, aPanel, rs, ps, bPanel, bs, tile, nr, 1, 0)
							mergeTile(rows, cols, nr, tile, alpha, bet, c[off:], ldc)
						}
						ir += h
					}
				}
			}
		}
	}
}

// rowTileHeight returns the height of the next row tile of a block, mr or
// mrNarrow, when left rows of the block remain. Full mr-row tiles are used
// while more than mr+mrNarrow rows, or exactly mr or fewer, remain; the rest
// of the block is covered as cheaply as the two kernels allow, a narrow tile
// costing about mrNarrow/mr of a full one (2/3 for both the 6×16/4×16 and the
// 12×32/8×32 pairs). For the 6×16 pair:
//
//   - 1 to 4 rows: one narrow tile, instead of a padded full one;
//   - 5 rows: one padded full tile (two narrow ones would cost 4/3);
//   - 7 or 8 rows: two narrow tiles, 4 + 3 or 4 + 4 rows (4/3 of a full
//     tile, instead of a full one and a padded full one, 2).
//
// A block of 32 rows thus runs as four full tiles and two narrow ones (with
// 12×32 tiles: two full ones and a narrow one). A tile's rows are never more
// than mr apart from its start, and a block of mb rows never has more than
// ⌈mb/mr⌉ tiles, the number of mr-wide panels the packed A buffer holds
// (this needs mrNarrow ≥ mr/2, true of both pairs).
func (g *gemmKernels) rowTileHeight(left int) int {
	if left <= g.mrNarrow || (left > g.mr && left <= 2*g.mrNarrow) {
		return g.mrNarrow
	}
	return g.mr
}

// lastRowTile returns where the last row tile of a block of mb ≥ 1 rows
// starts (ir), its number (t) and its kernel's height (h).
func (g *gemmKernels) lastRowTile(mb int) (ir, t, h int) {
	for {
		h = g.rowTileHeight(mb - ir)
		if ir+h >= mb {
			return ir, t, h
		}
		ir += h
		t++
	}
}

// shiftsRowTail says whether the bottom row tile of a block of mb rows,
// short of its kernel's height h, is computed as the h rows ending at the
// block's last row, reading a row-major A in place (rows the tile above
// also computes), instead of from a packed panel padded with zero rows:
// when the level has edge kernels, which write only the tile's last rows,
// and the block has h rows.
func (g *gemmKernels) shiftsRowTail(mb, h int) bool {
	return g.fullEdge != nil && mb >= h
}

// mergeTile writes the top-left rows×cols of an edge tile (rows of nr
// floats) into C as C = alpha·tile + beta·C (ignoring C's old contents when
// beta = 0).
func mergeTile(rows, cols, nr int, tile []float32, alpha, beta float32, c []float32, ldc int) {
	for r := 0; r < rows; r++ {
		t := tile[r*nr : r*nr+cols]
		cr := c[r*ldc : r*ldc+cols]
		if beta == 0 {
			for j, v := range t {
				cr[j] = alpha * v
			}
			continue
		}
		for j, v := range t {
			cr[j] = alpha*v + beta*cr[j]
		}
	}
}

// roundUp rounds n up to a multiple of step.
func roundUp(n, step int) int { return (n + step - 1) / step * step }
