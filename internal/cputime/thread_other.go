//go:build !linux

package cputime

import "time"

// Thread is unavailable on this system: it returns 0 and false, and callers
// fall back to wall time.
func Thread() (time.Duration, bool) { return 0, false }
