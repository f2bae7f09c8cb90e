package kernels

import "fmt"

// Element-wise arithmetic on vectors: z[i] = x[i] + y[i] (Sadd), x[i]·y[i]
// (Smul), x[i] / s (Sdiv) and acc[i] += float64(x[i]) (AccumulateWide),
// each in one pass. Every result is the
// correctly rounded float32 operation, the same bits as the Go expression:
// a vector instruction rounds each lane as the scalar one does (and
// AccumulateWide's float64 sums are those of the Go expression). One AVX2
// body per op serves both assembly levels (vector_elementwise_amd64.s):
// these loops stream memory, which 512-bit registers would not make faster;
// the last len%32 elements run in Go.

// Sadd sets z[i] = x[i] + y[i] (the residual adds of a transformer, a bias
// added to a row). z may be x or y. It panics if the lengths differ. The
// sums are also the bits of y += 1·x with Saxpy.
func Sadd(x, y, z []float32) { elementwise("Sadd", x, y, z, addAsm, addGo) }

// Smul sets z[i] = x[i]·y[i] (dropout's backward pass: the gradient times
// the mask). z may be x or y. It panics if the lengths differ.
func Smul(x, y, z []float32) { elementwise("Smul", x, y, z, mulAsm, mulGo) }

// elementwise runs one op on x and y into z: asm on the first multiple of 32
// elements at the assembly levels, the Go loop on the rest (on all of them
// at the Go level).
func elementwise(name string, x, y, z []float32, asm, loop func(n int, x, y, z []float32)) {
	if len(y) != len(x) || len(z) != len(x) {
		panic(fmt.Sprintf("kernels.%s: lengths differ: x %d, y %d, z %d", name, len(x), len(y), len(z)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			asm(i, x, y, z)
		}
	}
	loop(len(x)-i, x[i:], y[i:], z[i:])
}

// addGo and mulGo are the portable loops of Sadd and Smul on the first n
// elements.
func addGo(n int, x, y, z []float32) {
	x, y, z = x[:n], y[:n], z[:n]
	for i, v := range x {
		z[i] = v + y[i]
	}
}

func mulGo(n int, x, y, z []float32) {
	x, y, z = x[:n], y[:n], z[:n]
	for i, v := range x {
		z[i] = v * y[i]
	}
}

// Sdiv sets z[i] = x[i] / s (attention's scores divided by √d when √d is
// not a power of two, and their gradient). z may be x. It panics if the
// lengths differ.
func Sdiv(x []float32, s float32, z []float32) {
	if len(z) != len(x) {
		panic(fmt.Sprintf("kernels.Sdiv: lengths differ: x %d, z %d", len(x), len(z)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			divAsm(i, x, s, z)
		}
	}
	z = z[:len(x)]
	for ; i < len(x); i++ {
		z[i] = x[i] / s
	}
}

// AccumulateWide adds x to acc in float64: acc[i] += float64(x[i]), the
// sums of a reduction that accumulates float32 values in float64 (a bias
// gradient summed over rows). Widening is exact and each lane adds as the
// scalar float64 addition does, so the sums are the Go loop's bit for bit.
// It panics if the lengths differ.
func AccumulateWide(acc []float64, x []float32) {
	if len(acc) != len(x) {
		panic(fmt.Sprintf("kernels.AccumulateWide: lengths differ: acc %d, x %d", len(acc), len(x)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 15
		if i > 0 {
			accumulateWideAsm(i, acc, x)
		}
	}
	acc = acc[:len(x)]
	for ; i < len(x); i++ {
		acc[i] += float64(x[i])
	}
}
