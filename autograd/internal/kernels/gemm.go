// Package kernels holds the hot loops under the autograd package: matrix
// multiplication and the vector kernels that dominate a BERT training step.
// Only autograd calls it; its API is plain slices and strides, no tensors.
//
// The GEMM follows the structure of BLIS/GotoBLAS, read in this order:
//
//   - gemm.go          the entry points, argument checks and the choice of path;
//   - gemm_small.go    the direct loops used when a product is too small to pay
//     for packing;
//   - gemm_blocks.go   the cache-blocking parameters (kc, mc, nc, the tile);
//   - gemm_blocks_choice.go, gemm_calibrate.go, gemm_blocks_cache.go  mc and
//     nc measured once per machine and level, and cached in the user's
//     cache folder (TURINGLAB_GEMM_BLOCKS skips it);
//   - gemm_pack.go     packing of A and B into contiguous micro-panels, which is
//     where the transposes are absorbed;
//   - gemm_blocked.go  the three blocking loops around the micro-kernel,
//     and the paths taken before them: one row of A (gemm_row.go), and a
//     few rows against a transposed B as dot products (gemm_dot.go, with
//     its tiles in dot_tile_avx512_amd64.s and dot_tile_amd64.s);
//   - gemm_parallel.go the split of a large product, or of a batch of
//     products, over goroutines (parallel.go has the rules);
//   - microkernel_go.go / microkernel_amd64.s  the register-tile micro-kernels
//     (6×16, and 4×16 for the bottom rows of a block) in portable Go and in
//     AVX2+FMA assembly;
//   - microkernel_avx512_amd64.s / pack_avx512_amd64.s  the AVX-512
//     micro-kernels (12×32, and 8×32), their edge variants that compute a
//     partial tile in place under opmasks, and the packing of their
//     32-column panels of B;
//   - cpu.go           the implementation of each CPU level (go, avx2, avx512,
//     chosen once by package internal/simd, forced with
//     TURINGLAB_CPU_LEVEL): tile, blocks, micro-kernels and packing;
//     cpu_other.go stands in for the assembly off amd64 and with the purego
//     build tag.
//
// Then the vector kernels: Saxpy and Sdot (vector.go), Sadd, Smul and Sdiv
// (vector_elementwise.go), the dropout mask (dropout_mask.go), SoftmaxRows
// (softmax.go), GELU with its backward pass (gelu.go) and its
// tanh approximation (gelu_tanh.go), LayerNorm forward and backward
// (layernorm.go) and the Adam/AdamW update (adam.go), each with an
// AVX2 assembly body and a Go fallback; the ones a BERT step spends most
// time in (softmax's exponentials, GELU, Saxpy, Adam) also have an AVX-512
// body (X_avx512_amd64.s) with the AVX2 body's results bit for bit; and the
// embedding's row gather and scatter-add (embedding.go), built on copy and
// Saxpy. parallel.go splits the large ones over goroutines.
// Every X_amd64.s has its Go declarations and bounds-checking wrappers in
// X_amd64.go. Every function is safe for concurrent use.
package kernels

import "fmt"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major float32 matrices,
// where op(X) is X or Xᵀ as transA/transB say. op(A) is m×k, op(B) is k×n and C is
// m×n; lda, ldb and ldc are the row strides of A, B and C as stored. With beta = 0,
// C is overwritten (its old contents, even NaN, are ignored), as in BLAS.
//
// It panics with a message naming the argument when a dimension is negative, a
// leading dimension is smaller than the stored row width, or a slice is too
// short for the matrix it holds.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm("Sgemm", transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmBatched runs batch independent Sgemm products, the i-th one on
// a[i·strideA:], b[i·strideB:] and c[i·strideC:]. It exists for attention,
// where the scores and the weighted values are one small product per
// (sequence, head). A stride of 0 for A or B broadcasts that operand to every
// product (for instance one weight matrix against a batch of inputs); strideC
// must be non-zero when batch > 1, since the products would overwrite each other.
func SgemmBatched(transA, transB bool, m, n, k int, alpha float32, a []float32, lda, strideA int, b []float32, ldb, strideB int, beta float32, c []float32, ldc, strideC int, batch int) {
	if batch < 0 {
		panic(fmt.Sprintf("kernels.SgemmBatched: batch = %d, want ≥ 0", batch))
	}
	if strideA < 0 || strideB < 0 || strideC < 0 {
		panic(fmt.Sprintf("kernels.SgemmBatched: negative stride (strideA=%d, strideB=%d, strideC=%d)", strideA, strideB, strideC))
	}
	if batch > 1 && strideC == 0 && m > 0 && n > 0 {
		panic("kernels.SgemmBatched: strideC = 0 with batch > 1: every product would write the same C")
	}
	if batch == 0 {
		return
	}
	last := batch - 1
	// Check the last product's operands against the whole slices: with
	// non-negative strides it reaches the furthest, so every product fits.
	checkGemm("SgemmBatched", transA, transB, m, n, k,
		tail(a, last*strideA), lda, tail(b, last*strideB), ldb, tail(c, last*strideC), ldc)
	sgemmBatch(transA, transB, m, n, k, alpha, a, lda, nil, strideA, b, ldb, nil, strideB, beta, c, ldc, nil, strideC, batch)
}

// SgemmOffsets runs len(offA) independent Sgemm products, the i-th one on
// a[offA[i]:], b[offB[i]:] and c[offC[i]:]: a batch whose operands and
// results sit at arbitrary offsets, as a broadcast batch of views gives them
// (autograd's batched MatMul), or as a result laid out for a later view
// (attention's heads written straight into [batch, T, heads, head_dim]
// order, ldc = heads·head_dim). offB and offC must be as long as offA, and
// the products' blocks of C must not overlap (not checked: it would take a
// sort; autograd's callers guarantee it). Like SgemmBatched, it runs whole
// products in parallel when there are enough of them.
func SgemmOffsets(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, offA []int, b []float32, ldb int, offB []int, beta float32, c []float32, ldc int, offC []int) {
	if len(offB) != len(offA) || len(offC) != len(offA) {
		panic(fmt.Sprintf("kernels.SgemmOffsets: %d offsets into A but %d into B and %d into C", len(offA), len(offB), len(offC)))
	}
	batch := len(offA)
	for i := range batch {
		if offA[i] < 0 || offB[i] < 0 || offC[i] < 0 {
			panic(fmt.Sprintf("kernels.SgemmOffsets: negative offset of product %d (A %d, B %d, C %d)", i, offA[i], offB[i], offC[i]))
		}
		checkGemm("SgemmOffsets", transA, transB, m, n, k, tail(a, offA[i]), lda, tail(b, offB[i]), ldb, tail(c, offC[i]), ldc)
	}
	sgemmBatch(transA, transB, m, n, k, alpha, a, lda, offA, 0, b, ldb, offB, 0, beta, c, ldc, offC, 0, batch)
}

// tail returns s[off:], or an empty slice when off is past the end, so that the
// length check that follows reports the short slice instead of slicing panicking.
func tail(s []float32, off int) []float32 {
	if off > len(s) {
		return nil
	}
	return s[off:]
}

// sgemm is Sgemm after the checks: it picks the path for the product's size.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if m*n*k <= smallGemm {
		sgemmSmall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if sgemmSplit(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		return
	}
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmSerial is sgemm on the caller's goroutine only: for the products of
// a batch that is itself split over goroutines.
func sgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if m*n*k <= smallGemm {
		sgemmSmall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// scaleC sets C = beta·C, writing zeros (not 0·C, which keeps NaN) when beta = 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		scaleRow(c[i*ldc:i*ldc+n], beta)
	}
}

// checkGemm panics with a clear message if the dimensions, leading dimensions
// or slice lengths cannot describe the product; fn names the caller.
func checkGemm(fn string, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels.%s: negative dimension (m=%d, n=%d, k=%d)", fn, m, n, k))
	}
	// As stored, A is m×k, or k×m when transposed; likewise B is k×n or n×k.
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix(fn, "A", ar, ac, a, lda)
	checkMatrix(fn, "B", br, bc, b, ldb)
	checkMatrix(fn, "C", m, n, c, ldc)
}

// checkMatrix checks one rows×cols operand stored row-major with stride ld.
func checkMatrix(fn, name string, rows, cols int, s []float32, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("kernels.%s: ld%s = %d is smaller than the %d columns of %s as stored (%d×%d)",
			fn, lower(name), ld, cols, name, rows, cols))
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; len(s) < need {
		panic(fmt.Sprintf("kernels.%s: %s is %d×%d with ld%s = %d, which needs %d elements, but the slice has %d",
			fn, name, rows, cols, lower(name), ld, need, len(s)))
	}
}

// lower turns an operand name "A" into "a" for the ldX names in messages.
func lower(name string) string {
	return string(rune(name[0]) + ('a' - 'A'))
}
