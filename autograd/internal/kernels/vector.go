package kernels

import "fmt"

// Saxpy computes y += alpha·x over len(x) elements: the update at the heart
// of gradient accumulation and SGD steps. It panics if y is shorter than x.
func Saxpy(alpha float32, x, y []float32) {
	if len(y) < len(x) {
		panic(fmt.Sprintf("kernels.Saxpy: len(y) = %d is shorter than len(x) = %d", len(y), len(x)))
	}
	y = y[:len(x)]
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			saxpyAsm(i, alpha, x, y)
		}
	}
	saxpyGo(alpha, x[i:], y[i:])
}

// Sscal sets x[i] *= alpha for every element: each one product, so the
// results are those of the plain loop, bit for bit, at every level.
func Sscal(alpha float32, x []float32) { vecScale(alpha, x) }

// saxpyGo is the portable Saxpy, on slices of equal length.
func saxpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// Sdot returns Σ x[i]·y[i], the dot product of two equally long vectors,
// accumulated in float32 (in 32 interleaved partial sums on the assembly
// path, which changes the rounding, not the accuracy class). It panics if
// the lengths differ.
func Sdot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("kernels.Sdot: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	i := 0
	var sum float32
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			sum = sdotAsm(i, x, y)
		}
	}
	return sum + sdotGo(x[i:], y[i:])
}

// sdotGo is the portable Sdot, on slices of equal length.
func sdotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var sum float32
	for i, v := range x {
		sum += v * y[i]
	}
	return sum
}
