//go:build !amd64 || purego

package kernels

// haveAsmKernel is false off amd64 (or with the purego build tag): there is no assembly micro-kernel there.
const haveAsmKernel = false

// asmKernel is never called off amd64 (or with the purego build tag); it exists so cpu.go compiles everywhere.
var asmKernel microKernelFunc = microKernelGo

// packB16Asm is never called off amd64 (or with the purego build tag).
var packB16Asm = packB16Go

// packB16TAsm is never called off amd64 (or with the purego build tag).
var packB16TAsm = packB16TGo
