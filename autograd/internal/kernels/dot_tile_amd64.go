//go:build !purego

package kernels

// Declarations of the dot-product tiles of gemm_dot.go, with their
// bounds-checking wrappers. Each sets the sums Σ_p a[i·lda + p]·b[j·ldb + p]
// over p < k for the tile's rows i of A and rows j of B, sum cols·i + j at
// out[sumAt[cols·i + j]] (the dotTile's sumAt). They do no bounds checks.

// dotTile4x6AVX512 is the AVX-512 tile (dot_tile_avx512_amd64.s): 4 rows
// of A by 6 of B, any k ≥ 0.
//
//go:noescape
func dotTile4x6AVX512(k int, a *float32, lda int, b *float32, ldb int, out *float32)

// dotTile3x4AVX2 is the AVX2 tile (dot_tile_amd64.s): 3 rows of A by 4 of
// B, k a multiple of 8.
//
//go:noescape
func dotTile3x4AVX2(k int, a *float32, lda int, b *float32, ldb int, out *float32)

// dotTile4x6Asm checks the slice bounds once, then runs the AVX-512 tile.
func dotTile4x6Asm(k int, a []float32, lda int, b []float32, ldb int, out *dotSums) {
	_ = a[3*lda+k-1]
	_ = b[5*ldb+k-1]
	dotTile4x6AVX512(k, &a[0], lda, &b[0], ldb, &out[0])
}

// dotTile3x4Asm checks the slice bounds once, then runs the AVX2 tile.
func dotTile3x4Asm(k int, a []float32, lda int, b []float32, ldb int, out *dotSums) {
	if k%8 != 0 {
		panic("kernels: dotTile3x4Asm needs k a multiple of 8")
	}
	_ = a[2*lda+k-1]
	_ = b[3*ldb+k-1]
	dotTile3x4AVX2(k, &a[0], lda, &b[0], ldb, &out[0])
}
