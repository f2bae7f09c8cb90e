package kernels

import "fmt"

// Sadd sets z[i] = x[i] + y[i], the element-wise sum of two equally long
// vectors in one pass (the residual adds of a transformer, a bias added to a
// row). z may be x or y. It panics if the lengths differ. The sums are
// correctly rounded float32 additions, the same bits as x[i] + y[i] in Go
// and as y += 1·x with Saxpy. One AVX2 body serves both assembly levels:
// the loop streams memory, which 512-bit registers would not make faster.
func Sadd(x, y, z []float32) {
	if len(y) != len(x) || len(z) != len(x) {
		panic(fmt.Sprintf("kernels.Sadd: lengths differ: x %d, y %d, z %d", len(x), len(y), len(z)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			saddAsm(i, x, y, z)
		}
	}
	saddGo(x[i:], y[i:], z[i:])
}

// saddGo is the portable Sadd, on slices of equal length.
func saddGo(x, y, z []float32) {
	y, z = y[:len(x)], z[:len(x)]
	for i, v := range x {
		z[i] = v + y[i]
	}
}
