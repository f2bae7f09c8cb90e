//go:build !purego

package kernels

// dotTile4x6AVX512 is the dot-product tile (dot_tile_avx512_amd64.s): the
// sums Σ_p a[i·lda + p]·b[j·ldb + p] over p < k (k ≥ 1) for i < 4, j < 6,
// sum 6·i + j at out[dotSumAt[6·i + j]]. It does no bounds checks: call
// dotTileAsm.
//
//go:noescape
func dotTile4x6AVX512(k int, a *float32, lda int, b *float32, ldb int, out *float32)

// dotTileAsm checks the slice bounds once, then runs the 4×6 dot-product
// tile.
func dotTileAsm(k int, a []float32, lda int, b []float32, ldb int, out *dotSums) {
	_ = a[(dotRows-1)*lda+k-1]
	_ = b[(dotCols-1)*ldb+k-1]
	dotTile4x6AVX512(k, &a[0], lda, &b[0], ldb, &out[0])
}
