package kernels

// forceGo, when true, makes every product use the portable Go micro-kernel
// and packing even where the assembly ones are available. Tests set it to check both paths; it is
// not meant to be changed while products run.
var forceGo bool

// microKernels are the two micro-kernels of one implementation, the mr×nr
// one for most tiles and the narrow mrNarrow×nr one for the last rows of a
// block, and whether they can read the rows of a row-major A or B in place
// (strides other than a packed panel's).
type microKernels struct {
	full, narrow microKernelFunc
	readsInPlace bool
}

// microKernel returns the micro-kernels for this CPU: the assembly ones where
// the platform file says they are usable (haveAsmKernel), else the Go ones.
func microKernel() microKernels {
	if haveAsmKernel && !forceGo {
		return microKernels{asmKernel, asmKernel4, true}
	}
	return microKernels{microKernelGo, microKernel4Go, goKernelReadsInPlace}
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
