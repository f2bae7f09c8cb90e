//go:build !amd64 || purego

package kernels

// smulAsm is never called off amd64 (or with the purego build tag).
func smulAsm(n int, x, y, z []float32) { smulGo(x[:n], y[:n], z[:n]) }
