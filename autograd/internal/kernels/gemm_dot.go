package kernels

// A few rows of A against a transposed B, as dot products: C = alpha·A·Bᵀ +
// beta·C with A m×k and B stored as n rows of k, m small. This is a
// language model's tied output layer while it generates a batch of
// sequences ([batch, E]·[vocab, E]ᵀ, one row per sequence) and any Linear
// layer on a few rows (its weight is [out, in]).
//
// The packed path copies all of B into 32-column panels, transposing it,
// and then uses each element m times: for 8 rows against GPT-2's 8192 × 256
// embedding, the packing took as long as the arithmetic (BENCHMARKS.md,
// "Dot products for a few rows"). Here every element of C is a dot product
// of a row of A with a row of B, both contiguous as stored, so nothing is
// packed: a tile of 4 rows of A and 6 rows of B (dot_tile_avx512_amd64.s)
// keeps 24 sums in 16 lanes each, reads 16 elements of k from each of its
// 10 rows per step (10 loads for 24 FMAs) and adds the lanes at the end.
// The tiles run along B, each row of B read from memory once and from L1
// by the later tiles of A's rows.
//
// The sums are cut differently from the packed path's (16 lanes over all of
// k, not one running sum per kc slice), so the two differ in the last bits;
// each element's sum depends only on k, never on the tile it falls in, so
// results do not depend on n or the number of goroutines either: the last
// tile of a row or column that does not divide evenly is shifted back to end
// at the last one, recomputing some elements to the same bits and writing
// only the new ones, and a product of fewer than 4 rows runs on a copy of A
// padded with zero rows. C = alpha·sum + beta·C is rounded twice, as the
// mergeTile of the portable levels does.

// The tile of the dot-product kernel: rows of A, rows of B (columns of C).
const (
	dotRows = 4
	dotCols = 6
)

// dotSums is what the dot-product tile writes: its 24 sums, in the order of
// its tree of additions (dot_tile_avx512_amd64.s), with 8 repeated.
type dotSums [32]float32

// dotSumAt is where sum 6·i + j (A's row i with B's row j) lies in dotSums:
// sum s < 16 at 4·(s mod 4) + s/4, sum 16 + s at 16 + 4·(s mod 4) + s/4.
var dotSumAt = func() (at [dotRows * dotCols]int) {
	for s := range at {
		base, t := 0, s
		if s >= 16 {
			base, t = 16, s-16
		}
		at[s] = base + 4*(t%4) + t/4
	}
	return at
}()

// dotsPay says whether dot products beat the packed path for m rows of A
// and depth k. Packing B costs about the same for any m and is shared by
// the m rows, while the dot-product tile pays the same for each of its 24
// sums at the end of k (adding 16 lanes): so dots win for few rows, and for
// more rows the deeper the product is. Measured on Zen 5 at AVX-512
// (BenchmarkDotRows, GFLOP/s packed → dots): at k = 128, 12 rows 102 → 121
// and 16 rows 119 → 116; at k = 256, 16 rows 153 → 159 and 24 rows 173 →
// 163; at k = 768, 32 rows 187 → 198. Hence up to 12 rows at any depth,
// and up to k/16 rows, at most 32, for deeper products.
func dotsPay(m, k int) bool { return m <= max(12, min(32, k/16)) }

// takesDots says whether sgemmBlockedWith computes the product as dot
// products: a transposed B, a row-major A of at least 2 rows for which
// dotsPay, and a level with the dot-product tile. It depends on m and k and
// the level only, so that the pieces of a product split over goroutines by
// columns take the path the whole product takes (sgemmSplit sees to the
// pieces of a split by rows).
func (g *gemmKernels) takesDots(transA, transB bool, m, n, k int) bool {
	return g.dotTile != nil && transB && !transA && m >= 2 && dotsPay(m, k)
}

// sgemmDots computes C = alpha·A·Bᵀ + beta·C (A m×k row-major, B n×k
// row-major, C m×n) with the dot-product tile of g. A of fewer rows than a
// tile, or B of fewer than a tile's, is copied first into a tile padded
// with zero rows.
func sgemmDots(g *gemmKernels, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	rows, cols := m, n // rows of A and of B the tiles read: at least a tile's
	if m < dotRows {
		buf := getPack(packBufA, dotRows*k)
		defer putPack(packBufA, buf)
		a, lda, rows = padRows(*buf, a, lda, m, k, dotRows), k, dotRows
	}
	if n < dotCols {
		buf := getPack(packBufB, dotCols*k)
		defer putPack(packBufB, buf)
		b, ldb, cols = padRows(*buf, b, ldb, n, k, dotCols), k, dotCols
	}
	var out dotSums
	for jn := 0; jn < n; jn += dotCols {
		j0 := min(jn, cols-dotCols) // the last tile ends at the last column
		for in := 0; in < rows; in += dotRows {
			i0 := min(in, rows-dotRows)
			g.dotTile(k, a[i0*lda:], lda, b[j0*ldb:], ldb, &out)
			// Write the tile's elements not written before: rows from in,
			// columns from jn, and none of the padding rows.
			for i := in; i < min(i0+dotRows, m); i++ {
				cr := c[i*ldc+jn : i*ldc+min(j0+dotCols, n)]
				at := dotSumAt[(i-i0)*dotCols+jn-j0 : (i-i0)*dotCols+len(cr)+jn-j0]
				if beta == 0 {
					for j, s := range at {
						cr[j] = alpha * out[s]
					}
					continue
				}
				for j, s := range at {
					cr[j] = alpha*out[s] + beta*cr[j]
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
