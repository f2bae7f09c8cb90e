package autograd

import (
	"testing"
)

// BenchmarkForwardBackwardMLP measures one training step's forward and backward
// pass of a small MLP (64 → 128 → 10, batch 32, GELU, cross-entropy) and reports
// allocations per step: the graph must be freed after Backward, so the garbage
// per step stays bounded rather than growing with the number of steps.
func BenchmarkForwardBackwardMLP(b *testing.B) {
	rng := NewRNG(1)
	x := RandN(rng, 32, 64)
	targets := make([]int, 32)
	for i := range targets {
		targets[i] = rng.Intn(10)
	}
	w1 := Normal(rng, 0, 0.1, 128, 64).SetRequiresGrad(true)
	b1 := Zeros(128).SetRequiresGrad(true)
	w2 := Normal(rng, 0, 0.1, 10, 128).SetRequiresGrad(true)
	b2 := Zeros(10).SetRequiresGrad(true)
	params := []*Tensor{w1, b1, w2, b2}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range params {
			p.ZeroGrad()
		}
		h := Linear(x, w1, b1).GELU()
		loss := CrossEntropy(Linear(h, w2, b2), targets, CrossEntropyOptions{})
		loss.Backward()
	}
}
