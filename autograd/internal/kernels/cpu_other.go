//go:build !amd64 || purego

package kernels

// asmKernel is never called off amd64 (or with the purego build tag); it exists so cpu.go compiles everywhere.
var asmKernel microKernelFunc = microKernelGo

// asmKernel4 is never called off amd64 (or with the purego build tag).
var asmKernel4 microKernelFunc = microKernel4Go

// packB16Asm is never called off amd64 (or with the purego build tag).
var packB16Asm = packB16Go

// packB16TAsm is never called off amd64 (or with the purego build tag).
var packB16TAsm = packB16TGo

// The AVX-512 micro-kernels and packing are never called off amd64 (or with
// the purego build tag): package simd reports the Go level there.
func asmKernel512(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	panic("kernels: no assembly")
}

func asmKernel512Narrow(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	panic("kernels: no assembly")
}

func asmKernel512Edge(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, skip, rows, cols int) {
	panic("kernels: no assembly")
}

func asmKernel512NarrowEdge(k int, a []float32, rs, ps int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, skip, rows, cols int) {
	panic("kernels: no assembly")
}

func packB32Asm(kb int, src []float32, ldb int, dst []float32) { panic("kernels: no assembly") }

func dotTile4x6Asm(k int, a []float32, lda int, b []float32, ldb int, out *dotSums) {
	panic("kernels: no assembly")
}

func dotTile3x4Asm(k int, a []float32, lda int, b []float32, ldb int, out *dotSums) {
	panic("kernels: no assembly")
}

func packB32TAsm(kb int, src []float32, ldb int, dst []float32) { panic("kernels: no assembly") }

// saxpyAsm is never called off amd64 (or with the purego build tag).
func saxpyAsm(n int, alpha float32, x, y []float32) { saxpyGo(alpha, x[:n], y[:n]) }

// sdotAsm is never called off amd64 (or with the purego build tag).
func sdotAsm(n int, x, y []float32) float32 { return sdotGo(x[:n], y[:n]) }

// maxAsm, expShiftSumAsm and sscalAsm are never called off amd64 (or with
// the purego build tag).
func maxAsm(n int, x []float32) float32 { panic("kernels: no assembly") }

func expShiftSumAsm(n int, x []float32, shift float32, y []float32) float32 {
	panic("kernels: no assembly")
}

func sscalAsm(n int, alpha float32, x []float32) { panic("kernels: no assembly") }

// geluAsm and geluBackwardAsm are never called off amd64 (or with the purego
// build tag).
func geluAsm(n int, x, y, cdf []float32) { panic("kernels: no assembly") }

func geluBackwardAsm(n int, x, cdf, gy, gx []float32) { panic("kernels: no assembly") }

// geluTanhAsm and geluTanhBackwardAsm are never called off amd64 (or with
// the purego build tag).
func geluTanhAsm(n int, x, y []float32) { panic("kernels: no assembly") }

func geluTanhBackwardAsm(n int, x, gy, gx []float32) { panic("kernels: no assembly") }

// adamAsm is never called off amd64 (or with the purego build tag).
func adamAsm(n int, s *AdamStep, w, g, m, v []float32) { panic("kernels: no assembly") }

// The LayerNorm row kernels are never called off amd64 (or with the purego
// build tag).
func sumAsm(n int, x []float32) float32 { panic("kernels: no assembly") }

func sumSqDevAsm(n int, x []float32, mean float32) float32 { panic("kernels: no assembly") }

func normAffineAsm(n int, x []float32, mean, rstd float32, gamma, beta, y []float32) {
	panic("kernels: no assembly")
}

func lnBackSumsAsm(n int, x, gy, gamma []float32, mean, rstd float32) (sg, sgx float32) {
	panic("kernels: no assembly")
}

func lnBackApplyAsm(n int, x, gy, gamma []float32, mean, rstd, c1, c2 float32, gx, dgamma, dbeta []float32) {
	panic("kernels: no assembly")
}
