//go:build unix

package interpret

import (
	"syscall"
	"time"
)

// benchProcessCPU returns the CPU time (user + system) the test process has
// used. The benchmarks report it per operation beside wall time: on a shared,
// busy machine wall time mostly measures the queue for a core.
func benchProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
