package kernels

// forceGo, when true, makes every product use the portable Go micro-kernel even
// where the assembly one is available. Tests set it to check both paths; it is
// not meant to be changed while products run.
var forceGo bool

// microKernel returns the micro-kernel for this CPU: the assembly one where
// the platform file says it is usable (haveAsmKernel), else the Go one.
func microKernel() microKernelFunc {
	if haveAsmKernel && !forceGo {
		return asmKernel
	}
	return microKernelGo
}
