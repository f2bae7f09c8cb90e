package cputime

import (
	"time"

	"golang.org/x/sys/unix"
)

// Thread returns the CPU time the calling OS thread has used so far, and
// true; the caller must hold its goroutine on the thread
// (runtime.LockOSThread) between two readings. Unlike Process it leaves out
// the other goroutines' work, and unlike wall time it leaves out the time
// the thread waited for a core: the GEMM calibration times candidates with
// it on a busy machine.
func Thread() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
