package kernels

import "fmt"

// Sdiv sets z[i] = x[i] / s, every element of a vector divided by one
// scalar in one pass (attention's scores divided by √d when √d is not a power
// of two, and their gradient). z may be x. It panics if the lengths differ.
// The quotients are correctly rounded float32 divisions, the same bits as
// x[i] / s in Go: a vector division rounds each lane as the scalar one does.
// One AVX2 body serves both assembly levels, as for Sadd.
func Sdiv(x []float32, s float32, z []float32) {
	if len(z) != len(x) {
		panic(fmt.Sprintf("kernels.Sdiv: lengths differ: x %d, z %d", len(x), len(z)))
	}
	i := 0
	if useAsmVector() {
		i = len(x) &^ 31
		if i > 0 {
			sdivAsm(i, x, s, z)
		}
	}
	sdivGo(x[i:], s, z[i:])
}

// sdivGo is the portable Sdiv, on slices of equal length.
func sdivGo(x []float32, s float32, z []float32) {
	z = z[:len(x)]
	for i, v := range x {
		z[i] = v / s
	}
}
