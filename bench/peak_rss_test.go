package bench

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// Peak resident memory of one measurement, for comparing with PyTorch's
// (bert_step_torch.py reads the same two files). Linux keeps the peak
// (VmHWM in /proc/self/status) for the whole process; writing "5" to
// /proc/self/clear_refs sets it back to the current resident size, so each
// benchmark resets it first, after a garbage collection has returned the
// previous benchmark's memory, and reads it at the end.

// resetPeakRSS collects garbage, returns freed memory to the OS and resets
// the process's peak resident size. It reports false where Linux's files
// are missing or not writable (the peak is then not reported).
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSSMiB returns the process's peak resident size (VmHWM) in MiB, or
// -1 if /proc/self/status cannot be read.
func peakRSSMiB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := bytes.Fields(rest) // "123456 kB"
			if len(f) == 2 {
				if kb, err := strconv.ParseFloat(string(f[0]), 64); err == nil {
					return kb / 1024
				}
			}
		}
	}
	return -1
}
