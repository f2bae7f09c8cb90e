//go:build !amd64 || purego

package kernels

// sdivAsm is never called off amd64 (or with the purego build tag).
func sdivAsm(n int, x []float32, s float32, z []float32) { sdivGo(x[:n], s, z[:n]) }
