//go:build !unix

package interpret

import "time"

// benchProcessCPU is unavailable here: the benchmarks report 0 CPU time.
func benchProcessCPU() time.Duration { return 0 }
