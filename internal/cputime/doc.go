// Package cputime measures the CPU time of the running process, for the
// project's benchmarks. They report it per operation beside wall time:
// on a shared, busy machine wall time mostly measures the queue for a core,
// while CPU time is the work done, so comparisons with PyTorch, OpenBLAS or
// matplotlib use it.
package cputime
