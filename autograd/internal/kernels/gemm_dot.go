package kernels

// A few rows of A against a transposed B, as dot products: C = alpha·A·Bᵀ +
// beta·C with A m×k and B stored as n rows of k, m small. This is a
// language model's tied output layer while it generates a batch of
// sequences ([batch, E]·[vocab, E]ᵀ, one row per sequence) and any Linear
// layer on a few rows (its weight is [out, in]).
//
// The packed path copies all of B into 32-column panels, transposing it,
// and then uses each element m times: for 8 rows against the 8192 × 256
// embedding of the benchmark GPT, the packing took as long as the
// arithmetic (BENCHMARKS.md, "Dot products for a few rows"). Here every
// element of C is a dot product of a row of A with a row of B, both
// contiguous as stored, so nothing is packed: a tile of 4 rows of A and 6
// rows of B at AVX-512 (dot_tile_avx512_amd64.s) keeps 24 sums in 16 lanes
// each, reads 16 elements of k from each of its 10 rows per step (10 loads
// for 24 FMAs) and adds the lanes at the end; the AVX2 tile
// (dot_tile_amd64.s) does the same for 3 rows by 4 in 8 lanes. The tiles
// run along B, each row of B read from memory once and from L1 by the
// later tiles of A's rows.
//
// The sums are cut differently from the packed path's (in lanes over all
// of k, not one running sum per kc slice), so the two differ in the last
// bits. Each element's sum depends only on k, never on the tile it falls
// in, so results do not depend on n or on the number of goroutines: the
// last tile of rows or columns that do not divide evenly is shifted back
// to end at the last one, recomputing some elements to the same bits and
// writing only the new ones, and fewer rows than a tile are copied into a
// tile padded with zero rows. C = alpha·sum + beta·C is rounded twice, as
// the mergeTile of the portable levels does.

// dotTile is a level's dot-product kernel and what the loops need to know
// of it.
type dotTile struct {
	rows, cols int // the tile: rows of A by rows of B (columns of C)
	// kStep is the multiple of k the kernel takes; the rest of k is added
	// to each sum in Go, in order, after the kernel's sums.
	kStep int
	// run sets sum cols·i + j, A's row i with B's row j, for a tile at a
	// and b, at out[sumAt[cols·i + j]].
	run   func(k int, a []float32, lda int, b []float32, ldb int, out *dotSums)
	sumAt []int
}

// dotSums is what a dot-product kernel writes: its sums in the order of its
// tree of additions, some repeated.
type dotSums [32]float32

// dotTile4x6 is the AVX-512 tile (dot_tile_avx512_amd64.s): 4 rows of A by
// 6 of B, 24 sums in 16 lanes, k in any length (the last step under an
// opmask).
var dotTile4x6 = &dotTile{rows: 4, cols: 6, kStep: 1, run: dotTile4x6Asm, sumAt: treeOrder(24, 16)}

// dotTile3x4 is the AVX2 tile (dot_tile_amd64.s): 3 rows of A by 4 of B,
// 12 sums in 8 lanes, k in multiples of 8.
var dotTile3x4 = &dotTile{rows: 3, cols: 4, kStep: 8, run: dotTile3x4Asm, sumAt: treeOrder(12, 8)}

// treeOrder returns where a tile's tree of additions leaves its n sums,
// with registers of the given number of lanes. Each register holds the
// next `lanes` sums (the last one fewer, repeated), and its last level of
// shuffles leaves them by 128-bit quarters: with Q = lanes/4 quarters, sum
// t of a register lies at 4·(t mod Q) + t/Q (quarter t mod Q, place t/Q).
func treeOrder(n, lanes int) []int {
	q := lanes / 4
	pos := make([]int, n)
	for s := range pos {
		base, t := s/lanes*lanes, s%lanes
		pos[s] = base + 4*(t%q) + t/q
	}
	return pos
}

// dotsPay says whether dot products beat the packed path for m rows of A
// and depth k. Packing B costs about the same for any m and is shared by
// the m rows, while a tile pays the same for each of its sums at the end
// of k (adding its lanes): so dots win for few rows, and for more rows the
// deeper the product is. Measured on Zen 5 (BenchmarkDotRows, GFLOP/s
// packed → dots, AVX-512 / AVX2): 8 rows at k = 128, 94 → 91–112 / 50 →
// 61; 8 rows at k = 256, 120 → 146–157 / 77 → 84; 12 rows at k = 256,
// 133–146 → 142–160 / 93 → 90; 32 rows at k = 768, 187–189 → 185–198 /
// 100–107 → 109–110. The AVX-512 figures vary by 10 % between runs (the
// dot products read B from L3, which the VM shares). Hence, at both
// levels, up to 8 rows at any depth and up to k/24 rows, at most 32, for
// deeper products.
func dotsPay(m, k int) bool { return m <= max(8, min(32, k/24)) }

// takesDots says whether sgemmBlockedWith computes the product as dot
// products: a transposed B, a row-major A of at least 2 rows, a level with
// a dot-product tile, and a depth at which it pays. It does not depend on
// n, so that the pieces of a product split over goroutines by columns take
// the path the whole product takes (sgemmSplit sees to the pieces of a
// split by rows).
func (g *gemmKernels) takesDots(transA, transB bool, m, k int) bool {
	return g.dots != nil && transB && !transA && m >= 2 && dotsPay(m, k)
}

// sgemmDots computes C = alpha·A·Bᵀ + beta·C (A m×k row-major, B n×k
// row-major, C m×n) with the dot-product tile of g. A of fewer rows than a
// tile, or B of fewer than a tile's, is copied first into a tile padded
// with zero rows.
func sgemmDots(g *gemmKernels, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	d := g.dots
	rows, cols := m, n // rows of A and of B the tiles read: at least a tile's
	if m < d.rows {
		buf := getPack(packBufA, d.rows*k)
		defer putPack(packBufA, buf)
		a, lda, rows = padRows(*buf, a, lda, m, k, d.rows), k, d.rows
	}
	if n < d.cols {
		buf := getPack(packBufB, d.cols*k)
		defer putPack(packBufB, buf)
		b, ldb, cols = padRows(*buf, b, ldb, n, k, d.cols), k, d.cols
	}
	kk := k / d.kStep * d.kStep // the depth the kernel takes
	var out dotSums
	for jn := 0; jn < n; jn += d.cols {
		j0 := min(jn, cols-d.cols) // the last tile ends at the last column
		for in := 0; in < rows; in += d.rows {
			i0 := min(in, rows-d.rows)
			d.run(kk, a[i0*lda:], lda, b[j0*ldb:], ldb, &out)
			// Write the tile's elements not written before: rows from in,
			// columns from jn, and none of the padding rows.
			for i := in; i < min(i0+d.rows, m); i++ {
				cr := c[i*ldc+jn : i*ldc+min(j0+d.cols, n)]
				at := d.sumAt[(i-i0)*d.cols+jn-j0:]
				for j := range cr {
					s := out[at[j]]
					if kk < k { // the rest of k, in order
						ar, br := a[i*lda+kk:i*lda+k], b[(jn+j)*ldb+kk:]
						for p, v := range ar {
							s += v * br[p]
						}
					}
					if beta == 0 {
						cr[j] = alpha * s
					} else {
						cr[j] = alpha*s + beta*cr[j]
					}
				}
			}
		}
	}
}

// padRows copies the first rows of k floats of src (ld apart) to dst and
// zeroes the rest of its tile rows, returning dst's first tile·k floats.
func padRows(dst, src []float32, ld, rows, k, tile int) []float32 {
	dst = dst[:tile*k]
	for i := range tile {
		if i < rows {
			copy(dst[i*k:(i+1)*k], src[i*ld:i*ld+k])
		} else {
			clear(dst[i*k : (i+1)*k])
		}
	}
	return dst
}
