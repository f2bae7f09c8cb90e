package autograd

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// LayerNorm normalises every vector along the last dim to zero mean and unit
// variance, then scales and shifts it: y = (x − μ)/√(σ² + eps) · weight + bias,
// with the biased variance σ², as torch.nn.functional.layer_norm over the last
// dim. weight and bias ([D]) may be nil (no affine transform).
//
// The backward pass is the fused closed form. With x̂ = (x − μ)·rstd and
// ĝ = g ⊙ weight, for each row of D elements:
//
//	dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))
//	dweight = Σ_rows g ⊙ x̂,  dbias = Σ_rows g
//
// Both passes run in kernels.LayerNormRows/LayerNormBackwardRows, which keep
// each row's mean and rstd (not x̂) for the backward pass.
func LayerNorm(x, weight, bias *Tensor, eps float32) *Tensor {
	if x.Dim() == 0 {
		panic("autograd.LayerNorm: input must have at least 1 dim, got a scalar")
	}
	D := x.shape[x.Dim()-1]
	for _, p := range []struct {
		name string
		t    *Tensor
	}{{"weight", weight}, {"bias", bias}} {
		if p.t != nil && (p.t.Dim() != 1 || p.t.shape[0] != D) {
			panic(fmt.Sprintf("autograd.LayerNorm: %s of shape %v, expected [%d] for input shape %v", p.name, p.t.shape, D, x.shape))
		}
	}
	xd := x.Data()
	rows := 0
	if D > 0 {
		rows = len(xd) / D
	}
	var wd, bd []float32
	if weight != nil {
		wd = weight.Data()
	}
	if bias != nil {
		bd = bias.Data()
	}
	// kernels.LayerNormRows needs a gamma and a beta: a missing affine
	// transform is weight 1, bias 0.
	if wd == nil {
		wd = make([]float32, D)
		for j := range wd {
			wd[j] = 1
		}
	}
	if bd == nil {
		bd = make([]float32, D)
	}
	// mean and rstd are private to the backward pass (recycled after it).
	mean := newBufferNoZero(rows)
	rstd := newBufferNoZero(rows)
	y := newResultNoZero(len(xd))
	kernels.LayerNormRows(rows, D, xd, wd, bd, eps, y, mean, rstd)
	out := fromData(y, x.shape)
	if recording(x, weight, bias) {
		record("LayerNorm", out, []*Tensor{x, weight, bias}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			var gx, gw, gb *Tensor
			// The kernel computes all three gradients in one pass over the rows;
			// the ones nobody asked for are dropped.
			gxd := newResultNoZero(len(xd))
			dgamma := make([]float32, D)
			dbeta := make([]float32, D)
			kernels.LayerNormBackwardRows(rows, D, xd, wd, mean, rstd, gd, gxd, dgamma, dbeta)
			recycle(mean)
			recycle(rstd)
			if x.requiresGrad {
				gx = fromData(gxd, x.shape)
			} else {
				recycle(gxd)
			}
			if weight != nil && weight.requiresGrad {
				gw = fromData(dgamma, []int{D})
			}
			if bias != nil && bias.requiresGrad {
				gb = fromData(dbeta, []int{D})
			}
			grads[0], grads[1], grads[2] = gx, gw, gb
		})
	} else {
		// No backward pass will read the row statistics.
		recycle(mean)
		recycle(rstd)
	}
	return out
}
