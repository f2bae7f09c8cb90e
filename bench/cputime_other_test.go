//go:build !unix

package bench

import "time"

// processCPU is not measured off Unix: the benchmarks report 0 CPU seconds.
func processCPU() time.Duration { return 0 }
