//go:build !purego

package kernels

// Declarations of the vector kernels in vector_amd64.s.

// saxpyAVX2 does y[i] += alpha·x[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func saxpyAVX2(n int, alpha float32, x, y *float32)

// sdotAVX2 returns Σ x[i]·y[i] for i < n, n a multiple of 32 (vector_amd64.s).
//
//go:noescape
func sdotAVX2(n int, x, y *float32) float32

// saxpyAsm checks bounds and runs saxpyAVX2 on the first n elements.
func saxpyAsm(n int, alpha float32, x, y []float32) {
	_, _ = x[n-1], y[n-1]
	saxpyAVX2(n, alpha, &x[0], &y[0])
}

// sdotAsm checks bounds and runs sdotAVX2 on the first n elements.
func sdotAsm(n int, x, y []float32) float32 {
	_, _ = x[n-1], y[n-1]
	return sdotAVX2(n, &x[0], &y[0])
}
