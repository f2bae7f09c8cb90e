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
// A row-major A (not transposed) is not packed when the micro-kernel can
// read its rows in place (the assembly one can), six at a time, which saves a
// copy of A per block of B; only a partial panel of fewer than mr rows at the
// bottom edge is packed (padded with zeros). A transposed A is packed, since
// the kernel would otherwise need mr values of one column of op(A) per step
// from mr different places.
//
// Each micro-panel of B is packed during the first pass over ic, just before
// the micro-kernel first uses it, rather than all at once beforehand: it is
// then still in L1 when the kernel reads it, which matters for short, wide
// products (few rows of A against a long B, like the MLM logits) where the
// packing of B is most of the memory traffic.
func sgemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kernel, inPlaceA := microKernel()
	inPlaceA = inPlaceA && !transA
	kbMax := min(kc, k)
	bBuf := getPack(packBufB, kbMax*roundUp(min(nc, n), nr))
	aSize := kbMax * roundUp(min(mc, m), mr)
	// The A buffer also holds the result of an edge tile before clipping (a
	// local array would escape to the heap through the kernel's function
	// value, one allocation per call). Only its bottom panel is used when A is
	// read in place.
	aBuf := getPack(packBufA, aSize+mr*nr)
	defer putPack(packBufB, bBuf)
	defer putPack(packBufA, aBuf)
	bp, ap := *bBuf, (*aBuf)[:aSize]
	tile := (*[mr * nr]float32)((*aBuf)[aSize:])
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				if !inPlaceA {
					packA(transA, a, lda, ic, pc, mb, kb, ap)
				} else if rows := mb % mr; rows != 0 {
					// The bottom panel, short of mr rows, is packed with padding.
					ir := mb - rows
					packAPanel(false, a, lda, ic+ir, pc, rows, kb, ap[(ir/mr)*kb*mr:(ir/mr+1)*kb*mr])
				}
				for jr := 0; jr < nb; jr += nr {
					bPanel := bp[(jr/nr)*kb*nr : (jr/nr+1)*kb*nr]
					cols := min(nr, nb-jr)
					if ic == 0 {
						packBPanel(transB, b, ldb, pc, jc+jr, kb, cols, bPanel)
					}
					for ir := 0; ir < mb; ir += mr {
						rows := min(mr, mb-ir)
						// The panel of A: packed (rs = 1, ps = mr) or in place.
						aPanel, rs, ps := ap[(ir/mr)*kb*mr:(ir/mr+1)*kb*mr], 1, mr
						if inPlaceA && rows == mr {
							aPanel, rs, ps = a[(ic+ir)*lda+pc:], lda, 1
						}
						off := (ic+ir)*ldc + jc + jr
						if rows == mr && cols == nr {
							kernel(kb, aPanel, rs, ps, bPanel, c[off:off+(mr-1)*ldc+nr], ldc, alpha, bet)
							continue
						}
						kernel(kb, aPanel, rs, ps, bPanel, tile[:], nr, 1, 0)
						mergeTile(rows, cols, tile, alpha, bet, c[off:], ldc)
					}
				}
			}
		}
	}
}

// mergeTile writes the top-left rows×cols of an edge tile into C as
// C = alpha·tile + beta·C (ignoring C's old contents when beta = 0).
func mergeTile(rows, cols int, tile *[mr * nr]float32, alpha, beta float32, c []float32, ldc int) {
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
