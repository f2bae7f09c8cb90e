//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// haveAsmKernel says whether this CPU and OS can run the AVX2+FMA
// micro-kernel (x/sys/cpu reports AVX2 only when the OS saves the YMM state).
var haveAsmKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA
