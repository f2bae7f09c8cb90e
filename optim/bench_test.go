package optim

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// BenchmarkAdamWStep measures one AdamW update of 1M parameters (four
// 512×512 matrices), reported per parameter element.
func BenchmarkAdamWStep(b *testing.B) {
	rng := autograd.NewRNG(1)
	var params []*autograd.Tensor
	for i := 0; i < 4; i++ {
		p := autograd.RandN(rng, 512, 512).SetRequiresGrad(true)
		p.SetGrad(autograd.RandN(rng, 512, 512))
		params = append(params, p)
	}
	opt := NewAdamW(params, AdamConfig{LR: 1e-3, WeightDecay: 0.01})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opt.Step()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(4*512*512), "ns/param")
}
