//go:build unix

package session

import "syscall"

// processCPU returns the CPU time (user and system) the process has used so
// far in nanoseconds: on a machine shared with other work, a benchmark's CPU
// time per operation varies much less than its wall time.
func processCPU() int64 {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return -1
	}
	return r.Utime.Nano() + r.Stime.Nano()
}
