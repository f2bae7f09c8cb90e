//go:build !purego

package simd

import "golang.org/x/sys/cpu"

// Detect returns the best level this CPU and OS support. x/sys/cpu reports
// AVX2 and AVX-512 only when the OS saves the YMM and ZMM/opmask state.
func Detect() Level {
	x := cpu.X86
	switch {
	case x.HasAVX512F && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL && x.HasAVX2 && x.HasFMA:
		return AVX512
	case x.HasAVX2 && x.HasFMA:
		return AVX2
	}
	return Go
}
