package kernels

// Temporarily Go-only until the assembly kernel lands.
var haveAsmKernel = false

var asmKernel microKernelFunc = microKernelGo
