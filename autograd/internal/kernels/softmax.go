package kernels

import (
	"fmt"
	"math"
)

// SoftmaxRows computes y[r] = softmax(x[r] + mask) for each of rows
// contiguous rows of cols floats: the attention probabilities (one row per
// query, over the keys) and the classifier's output distribution. mask, if
// not nil, holds cols additive biases shared by every row (BERT's attention
// mask: 0 to keep a key, a large negative number to drop it); a row whose
// entries are all -Inf comes out NaN, as in PyTorch. y may be x.
//
// Each row is shifted by its maximum before exponentiating, so no input
// overflows; the exponential is a float32 polynomial (about 1 ulp, see
// expf32), not float64 math.Exp. Large inputs are split by rows over
// goroutines (parallel.go).
func SoftmaxRows(rows, cols int, x, mask, y []float32) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("kernels.SoftmaxRows: negative size %d×%d", rows, cols))
	}
	if len(x) < rows*cols || len(y) < rows*cols {
		panic(fmt.Sprintf("kernels.SoftmaxRows: %d×%d rows need %d elements, but len(x) = %d, len(y) = %d",
			rows, cols, rows*cols, len(x), len(y)))
	}
	if mask != nil && len(mask) != cols {
		panic(fmt.Sprintf("kernels.SoftmaxRows: len(mask) = %d, want cols = %d", len(mask), cols))
	}
	if cols == 0 {
		return
	}
	if !ParallelPays(rows, RowGrain(cols)) {
		softmaxRange(0, rows, cols, x, mask, y)
		return
	}
	ParallelFor(rows, RowGrain(cols), func(r0, r1 int) { softmaxRange(r0, r1, cols, x, mask, y) })
}

// softmaxRange is SoftmaxRows on rows r0 to r1-1.
func softmaxRange(r0, r1, cols int, x, mask, y []float32) {
	for r := r0; r < r1; r++ {
		xr, yr := x[r*cols:(r+1)*cols], y[r*cols:(r+1)*cols]
		if mask != nil {
			for j, m := range mask {
				yr[j] = xr[j] + m
			}
			xr = yr
		}
		sum := expShiftSum(xr, vecMax(xr), yr)
		vecScale(1/sum, yr)
	}
}

// vecMax returns the largest element of a non-empty x.
func vecMax(x []float32) float32 {
	i, mx := 0, float32(math.Inf(-1))
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		mx, i = maxAsm(n, x), n
	}
	for _, v := range x[i:] {
		mx = max(mx, v)
	}
	return mx
}

// expShiftSum sets y[i] = exp(x[i] - shift) and returns the sum of the y[i].
func expShiftSum(x []float32, shift float32, y []float32) float32 {
	y = y[:len(x)]
	i, sum := 0, 0.0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		sum, i = float64(expShiftSumAsm(n, x, shift, y)), n
	}
	// The Go loop sums in float64: one float32 running sum over a
	// vocabulary-sized row would lose digits (the assembly has 8 lanes).
	for ; i < len(x); i++ {
		y[i] = expf32(x[i] - shift)
		sum += float64(y[i])
	}
	return float32(sum)
}

// vecScale sets x[i] *= alpha.
func vecScale(alpha float32, x []float32) {
	i := 0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		sscalAsm(n, alpha, x)
		i = n
	}
	for ; i < len(x); i++ {
		x[i] *= alpha
	}
}

// The constants of expf32 (Cephes' expf), shared with softmax_amd64.s.
const (
	expLo    = -87.33654 // below: e^x would be subnormal; taken as 0
	expHi    = 88.0      // above: 2^n would overflow the exponent; clamped
	expLog2e = 1.44269504088896341
	expC1    = 0.693359375     // ln 2 = expC1 + expC2; n·expC1 is exact
	expC2    = -2.12194440e-4  //
	expP0    = 1.9875691500e-4 // e^r ≈ 1 + r + r²·(((((P0·r + P1)·r + P2)·r + P3)·r + P4)·r + P5)
	expP1    = 1.3981999507e-3
	expP2    = 8.3334519073e-3
	expP3    = 4.1665795894e-2
	expP4    = 1.6666665459e-1
	expP5    = 5.0000001201e-1
)

// expf32 is e^x in float32 arithmetic, Cephes' expf: x = n·ln2 + r with
// |r| ≤ ln2/2, e^r from a degree-7 polynomial, times 2^n through the
// exponent bits. Relative error about 1 ulp for x in [-87.3, 88]; smaller x
// give 0 rather than a subnormal (so a masked attention key, -Inf or -1e4
// below the row's maximum, gets exactly probability 0, as in PyTorch); NaN
// stays NaN.
func expf32(x float32) float32 {
	if x != x {
		return x
	}
	if x < expLo {
		return 0
	}
	x = min(max(x, expLo), expHi)
	// n = x·log2 e rounded to the nearest integer (halves away from zero).
	f := x * expLog2e
	var n float32
	if f >= 0 {
		n = float32(int32(f + 0.5))
	} else {
		n = float32(int32(f - 0.5))
	}
	r := x - n*expC1
	r -= n * expC2
	p := float32(expP0)
	p = p*r + expP1
	p = p*r + expP2
	p = p*r + expP3
	p = p*r + expP4
	p = p*r + expP5
	y := p*(r*r) + r + 1
	return math.Float32frombits(math.Float32bits(y) + uint32(int32(n))<<23)
}
