//go:build unix

package kernels

import "syscall"

// processCPUSeconds returns the user+system CPU time this process has used.
// The benchmarks divide work by it as well as by wall time: on a machine
// shared with other jobs, wall time counts the moments the scheduler gave
// the CPU to someone else, CPU time does not.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
