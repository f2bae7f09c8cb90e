package kernels

import "fmt"

// Smul sets z[i] = x[i]·y[i], the element-wise product of two equally long
// vectors in one pass (dropout's backward pass, the gradient times the
// mask). z may be x or y. It panics if the lengths differ. The products are
// correctly rounded float32 multiplications, the same bits as x[i] * y[i]
// in Go. One AVX2 body serves both assembly levels, as for Sadd: the loop
// streams memory, which 512-bit registers would not make faster.
func Smul(x, y, z []float32) {
	if len(y) != len(x) || len(z) != len(x) {
		panic(fmt.Sprintf("kernels.Smul: lengths differ: x %d, y %d, z %d", len(x), len(y), len(z)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			smulAsm(i, x, y, z)
		}
	}
	smulGo(x[i:], y[i:], z[i:])
}

// smulGo is the portable Smul, on slices of equal length.
func smulGo(x, y, z []float32) {
	y, z = y[:len(x)], z[:len(x)]
	for i, v := range x {
		z[i] = v * y[i]
	}
}
