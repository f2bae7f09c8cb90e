//go:build !amd64

package kernels

// haveAsmKernel is false off amd64: there is no assembly micro-kernel there.
const haveAsmKernel = false

// asmKernel is never called off amd64; it exists so cpu.go compiles everywhere.
var asmKernel microKernelFunc = microKernelGo
