// Package gcpercent sets how far the heap of a turinglab process may grow
// past its live data before the garbage collector runs (Go's GOGC), for the
// Jupyter kernel and for the benchmarks that measure what it runs.
//
// A model's tensors are float32 buffers without pointers, so a collection
// costs little however large they are: the collector only marks the
// pointers around them. What the default target of 100 % costs instead is
// memory: with BERT-base's 418 MiB of weights live, the heap grew to about
// twice that before each collection, and a forward pass of batch 8 × 128
// peaked at 893 MiB against PyTorch's 764–804 (which frees each activation
// when its last reference goes). At 50 % it peaks at 697 MiB, at 25 % at
// 595, in the same CPU time (BENCHMARKS.md, "Memory").
package gcpercent

import (
	"os"
	"runtime/debug"
)

// Default is the target, in per cent of the live heap, that Apply sets.
const Default = 50

// EnvVar is Go's own variable for the target; when it is set, Apply leaves
// the target as the runtime read it from there.
const EnvVar = "GOGC"

// Apply sets the collector's target to Default unless EnvVar is set, and
// returns the target in effect (negative when collection is off) and
// whether it came from EnvVar.
func Apply() (percent int, fromEnv bool) {
	if _, set := os.LookupEnv(EnvVar); set {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p, true
	}
	debug.SetGCPercent(Default)
	return Default, false
}
