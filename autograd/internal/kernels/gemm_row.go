package kernels

// One row of A against B: the products of a model generating one token at a
// time. The packed path of sgemmBlocked runs register tiles mr rows high
// (8 or 12) with one row in use, and packs B first when it is transposed;
// for a single row these direct forms read B once, in place.

// sgemmRowBT computes the one-row product c = alpha·a·Bᵀ + beta·c, where a
// is a row of k values and B is stored as n rows of k (ldb apart): each
// element of c is a dot product of a with one row of B, read in place.
//
// sgemmBlocked takes this path for m = 1 with B transposed and A not: the
// tied LM head of a language model generating one token at a time (a hidden
// state against the embedding matrix, [1, E]·[V, E]ᵀ), and attention's
// scores for one new query. The packed path would copy all of B into panels
// to multiply it by a single row, and run its register tiles with one row
// in use: at batch 1 on a GPT-2 with an 8192 × 256 embedding, packing that
// matrix was 38 % of the CPU of generation (BENCHMARKS.md, "Performance:
// GPT-2 training step and generation vs PyTorch").
func sgemmRowBT(n, k int, alpha float32, a []float32, b []float32, ldb int, beta float32, c []float32) {
	a = a[:k]
	for j := range c[:n] {
		sum := alpha * Sdot(a, b[j*ldb:j*ldb+k])
		if beta != 0 {
			sum += beta * c[j]
		}
		c[j] = sum
	}
}

// sgemmRowB computes the one-row product c = alpha·a·B + beta·c, where a is a
// row of k values and B is stored as k rows of n (ldb apart): c is the sum
// of B's rows scaled by a's values (Saxpy), each element summed over p in
// order, as in the packed path. sgemmBlocked takes it for m = 1 with neither
// operand transposed: a Conv1D or Linear layer on one token, and attention's
// probabilities of one query times the values.
func sgemmRowB(n, k int, alpha float32, a []float32, b []float32, ldb int, beta float32, c []float32) {
	c = c[:n]
	scaleRow(c, beta)
	for p, v := range a[:k] {
		Saxpy(alpha*v, b[p*ldb:p*ldb+n], c)
	}
}
