//go:build !amd64 || purego

package kernels

// addAsm, mulAsm, divAsm and accumulateWideAsm are never called off amd64 (or with the purego
// build tag): package simd reports the Go level there.
func addAsm(n int, x, y, z []float32) { panic("kernels: no assembly") }

func mulAsm(n int, x, y, z []float32) { panic("kernels: no assembly") }

func divAsm(n int, x []float32, s float32, z []float32) { panic("kernels: no assembly") }

func accumulateWideAsm(n int, acc []float64, x []float32) { panic("kernels: no assembly") }
