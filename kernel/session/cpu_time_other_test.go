//go:build !unix

package session

// processCPU is -1 where the process's CPU time cannot be read (see
// cpu_time_unix_test.go).
func processCPU() int64 { return -1 }
