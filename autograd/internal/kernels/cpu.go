package kernels

// forceGo, when true, makes every product use the portable Go micro-kernel
// and packing even where the assembly ones are available. Tests set it to check both paths; it is
// not meant to be changed while products run.
var forceGo bool

// microKernel returns the micro-kernel for this CPU: the assembly one where
// the platform file says it is usable (haveAsmKernel), else the Go one; and
// whether that kernel can read the rows of a row-major A in place.
func microKernel() (kernel microKernelFunc, readsAInPlace bool) {
	if haveAsmKernel && !forceGo {
		return asmKernel, true
	}
	return microKernelGo, goKernelReadsAInPlace
}

// packB16 returns the routine that packs a full micro-panel of a row-major B:
// the assembly one (with prefetching) where available, else the Go one.
func packB16() func(kb int, src []float32, ldb int, dst []float32) {
	if haveAsmKernel && !forceGo {
		return packB16Asm
	}
	return packB16Go
}

// packB16T returns the routine that packs a full micro-panel of a transposed
// B: the assembly one (8×8 transposes) where available, else the Go one.
func packB16T() func(kb int, src []float32, ldb int, dst []float32) {
	if haveAsmKernel && !forceGo {
		return packB16TAsm
	}
	return packB16TGo
}

// useAsmVector says whether the vector kernels (Saxpy, Sdot, …) take their
// assembly path: same CPU requirement and test switch as the micro-kernel.
func useAsmVector() bool { return haveAsmKernel && !forceGo }
