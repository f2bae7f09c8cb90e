package optim

import (
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// ClipGradNorm rescales the gradients of params so that their global L2 norm
// (the norm of all gradients concatenated) is at most maxNorm, and returns the
// norm before clipping, as torch.nn.utils.clip_grad_norm_ does:
//
//	total = √(Σ_p ‖g_p‖²)
//	coef  = min(1, maxNorm / (total + 1e-6))
//	g_p  ← coef · g_p
//
// Parameters without a gradient are ignored. A non-finite norm is returned as is
// (and the gradients become non-finite), as in torch without error_if_nonfinite.
func ClipGradNorm(params []*autograd.Tensor, maxNorm float64) float32 {
	var sum float64
	var grads [][]float32
	for _, p := range params {
		if p.Grad() == nil {
			continue
		}
		g := p.Grad().Data()
		grads = append(grads, g)
		for _, x := range g {
			sum += float64(x) * float64(x)
		}
	}
	total := float32(math.Sqrt(sum))
	coef := float32(maxNorm) / (total + 1e-6) // float32 tensor arithmetic, as in torch
	if !(coef >= 1) {                         // coef < 1, or NaN from a NaN norm (torch multiplies by it too)
		for _, g := range grads {
			for i := range g {
				g[i] *= coef
			}
		}
	}
	return total
}

// GradNorm returns the global L2 norm of the gradients of params without
// changing them (for logging).
func GradNorm(params []*autograd.Tensor) float32 {
	var sum float64
	for _, p := range params {
		if p.Grad() == nil {
			continue
		}
		for _, x := range p.Grad().Data() {
			sum += float64(x) * float64(x)
		}
	}
	return float32(math.Sqrt(sum))
}
