//go:build unix

package peft

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) this process has used: on a
// machine shared with other builds it is steadier than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
