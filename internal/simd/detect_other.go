//go:build !amd64 || purego

package simd

// Detect returns Go off amd64 and with the purego build tag: the kernels have
// no assembly there.
func Detect() Level { return Go }
