package optim

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// DPConfig is the privacy part of DP-SGD (Abadi et al. 2016): every
// example's gradient is clipped to L2 norm ClipNorm (C), and Gaussian noise
// of standard deviation NoiseMultiplier·ClipNorm (σC) is added to their sum.
type DPConfig struct {
	ClipNorm        float64 // C > 0
	NoiseMultiplier float64 // σ ≥ 0; 0 clips without noise
}

// DPStats describes one private gradient: how large the per-example
// gradients were before clipping and how many were clipped.
type DPStats struct {
	Examples    int
	MeanNorm    float64 // mean ‖g_i‖ before clipping
	ClippedFrac float64 // share of examples with ‖g_i‖ > C
}

// PrivateGradient sets the gradient of every parameter in params to the
// DP-SGD gradient of a batch of n examples:
//
//	g̃ = (1/n) · ( Σ_i g_i · min(1, C/‖g_i‖) + N(0, σ²C² I) )
//
// where g_i is the gradient of loss(i), the scalar loss of example i alone
// (one backward pass per example: per-example gradients), and ‖g_i‖ is its
// L2 norm over all of params together. The noise is drawn from rng in the
// order of params, each parameter's elements in row-major order, as
// autograd.Normal(rng, 0, σC, shape) draws them. The parameters' previous
// gradients are discarded; any optimizer's Step can follow. The result
// depends only on the losses, C, σ and the state of rng.
func PrivateGradient(params []*autograd.Tensor, n int, loss func(i int) (*autograd.Tensor, error), cfg DPConfig, rng *autograd.RNG) (DPStats, error) {
	if n <= 0 {
		return DPStats{}, fmt.Errorf("optim.PrivateGradient: batch of %d examples, want at least 1", n)
	}
	if !(cfg.ClipNorm > 0) || !(cfg.NoiseMultiplier >= 0) {
		return DPStats{}, fmt.Errorf("optim.PrivateGradient: ClipNorm %g must be > 0 and NoiseMultiplier %g ≥ 0", cfg.ClipNorm, cfg.NoiseMultiplier)
	}
	if rng == nil && cfg.NoiseMultiplier > 0 {
		return DPStats{}, fmt.Errorf("optim.PrivateGradient: noise multiplier %g needs an RNG", cfg.NoiseMultiplier)
	}
	sums := make([][]float32, len(params))
	for j, p := range params {
		sums[j] = make([]float32, p.Numel())
	}
	st := DPStats{Examples: n}
	for i := 0; i < n; i++ {
		ZeroGrad(params)
		l, err := loss(i)
		if err != nil {
			return DPStats{}, err
		}
		if l.Numel() != 1 {
			return DPStats{}, fmt.Errorf("optim.PrivateGradient: loss of example %d has shape %v, want a scalar", i, l.Shape())
		}
		l.Backward()
		norm := float64(GradNorm(params))
		st.MeanNorm += norm / float64(n)
		scale := float32(1)
		if norm > cfg.ClipNorm {
			scale = float32(cfg.ClipNorm / norm)
			st.ClippedFrac += 1 / float64(n)
		}
		for j, p := range params {
			if p.Grad() == nil {
				continue // this example does not reach p: its gradient is 0
			}
			for k, g := range p.Grad().Contiguous().Data() {
				sums[j][k] += scale * g
			}
		}
	}
	std := cfg.NoiseMultiplier * cfg.ClipNorm
	for j, p := range params {
		if std > 0 {
			noise := autograd.Normal(rng, 0, float32(std), p.Shape()...).Data()
			for k := range sums[j] {
				sums[j][k] += noise[k]
			}
		}
		for k := range sums[j] {
			sums[j][k] /= float32(n)
		}
		p.SetGrad(autograd.New(sums[j], p.Shape()...))
	}
	return st, nil
}
