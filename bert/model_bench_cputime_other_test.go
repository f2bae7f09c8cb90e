//go:build !unix

package bert

import "time"

// benchProcessCPU is unavailable here: the benchmark reports 0 CPU time.
func benchProcessCPU() time.Duration { return 0 }
