//go:build !purego

package kernels

// saddAVX2 sets z[i] = x[i] + y[i] for i < n, n a multiple of 32
// (vector_add_amd64.s).
//
//go:noescape
func saddAVX2(n int, x, y, z *float32)

// saddAsm checks bounds and runs saddAVX2 on the first n elements.
func saddAsm(n int, x, y, z []float32) {
	_, _, _ = x[n-1], y[n-1], z[n-1]
	saddAVX2(n, &x[0], &y[0], &z[0])
}
