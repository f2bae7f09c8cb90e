//go:build !unix

package kernels

// processCPUSeconds is not measured off unix; the CPU-time metric is then omitted.
func processCPUSeconds() float64 { return 0 }
