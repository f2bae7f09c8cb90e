package kernels

import (
	"fmt"
	"math"
)

// LogSoftmaxRows computes y[r] = x[r] − max − log Σ exp(x[r] − max) for each of
// rows contiguous rows of cols floats: the log-probabilities of a classifier,
// which cross-entropy needs over a whole vocabulary for every masked token.
// The maximum and the exponentials run in the softmax kernels (AVX2 on
// amd64); the sum of exponentials is accumulated in float32 lanes and its
// logarithm taken in float64. y must not alias x (it holds the exponentials
// before the logarithm is known). A row of all -Inf comes out NaN, as in
// PyTorch.
func LogSoftmaxRows(rows, cols int, x, y []float32) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("kernels.LogSoftmaxRows: negative size %d×%d", rows, cols))
	}
	if len(x) < rows*cols || len(y) < rows*cols {
		panic(fmt.Sprintf("kernels.LogSoftmaxRows: %d×%d rows need %d elements, but len(x) = %d, len(y) = %d",
			rows, cols, rows*cols, len(x), len(y)))
	}
	if cols == 0 {
		return
	}
	if !ParallelPays(rows, RowGrain(cols)) {
		logSoftmaxRange(0, rows, cols, x, y)
		return
	}
	ParallelFor(rows, RowGrain(cols), func(r0, r1 int) { logSoftmaxRange(r0, r1, cols, x, y) })
}

// logSoftmaxRange is LogSoftmaxRows on rows r0 to r1-1.
func logSoftmaxRange(r0, r1, cols int, x, y []float32) {
	for r := r0; r < r1; r++ {
		xr, yr := x[r*cols:(r+1)*cols], y[r*cols:(r+1)*cols]
		mx := vecMax(xr)
		sum := expShiftSum(xr, mx, yr)
		// (x − max) first: exact for logits near the maximum, however large.
		ls := float32(math.Log(float64(sum)))
		for i, v := range xr {
			yr[i] = (v - mx) - ls
		}
	}
}

// LogSumExp returns the maximum of a non-empty x and log Σ exp(x − max), so
// that log softmax(x)[i] = (x[i] − max) − logSum: cross-entropy's forward
// pass needs only these two numbers per row, not the row of
// log-probabilities. scratch (len ≥ len(x)) receives the exponentials.
func LogSumExp(x, scratch []float32) (max, logSum float32) {
	if len(x) == 0 || len(scratch) < len(x) {
		panic(fmt.Sprintf("kernels.LogSumExp: len(x) = %d (want > 0), len(scratch) = %d (want ≥ len(x))", len(x), len(scratch)))
	}
	mx := vecMax(x)
	return mx, float32(math.Log(float64(expShiftSum(x, mx, scratch))))
}

// ExpShift sets y[i] = e^(x[i] − shift) for every element of x, with the
// float32 polynomial of the softmax kernels (about 1 ulp; arguments below
// -87.3 give 0): the probabilities exp(logit − logsumexp) in cross-entropy's
// backward pass. y may be x. It panics if y is shorter than x.
func ExpShift(x []float32, shift float32, y []float32) {
	if len(y) < len(x) {
		panic(fmt.Sprintf("kernels.ExpShift: len(y) = %d, shorter than len(x) = %d", len(y), len(x)))
	}
	expShiftSum(x, shift, y)
}
