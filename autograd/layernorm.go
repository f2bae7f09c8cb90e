package autograd

import (
	"fmt"
	"math"
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
	xhat := make([]float32, len(xd))
	rstd := make([]float32, rows)
	y := make([]float32, len(xd))
	for r := 0; r < rows; r++ {
		row := xd[r*D : (r+1)*D]
		var mean, v float64
		for _, e := range row {
			mean += float64(e)
		}
		mean /= float64(D)
		for _, e := range row {
			d := float64(e) - mean
			v += d * d
		}
		v /= float64(D)
		rs := 1 / math.Sqrt(v+float64(eps))
		rstd[r] = float32(rs)
		for j, e := range row {
			h := float32((float64(e) - mean) * rs)
			xhat[r*D+j] = h
			o := h
			if wd != nil {
				o *= wd[j]
			}
			if bd != nil {
				o += bd[j]
			}
			y[r*D+j] = o
		}
	}
	out := fromData(y, copyInts(x.shape))
	record("LayerNorm", out, []*Tensor{x, weight, bias}, func(g *Tensor) []*Tensor {
		gd := g.Data()
		var gx, gw, gb *Tensor
		if x.requiresGrad {
			gx = Zeros(x.shape...)
			gh := make([]float64, D)
			for r := 0; r < rows; r++ {
				var sumG, sumGH float64
				for j := 0; j < D; j++ {
					v := float64(gd[r*D+j])
					if wd != nil {
						v *= float64(wd[j])
					}
					gh[j] = v
					sumG += v
					sumGH += v * float64(xhat[r*D+j])
				}
				mG, mGH := sumG/float64(D), sumGH/float64(D)
				rs := float64(rstd[r])
				for j := 0; j < D; j++ {
					gx.data[r*D+j] = float32(rs * (gh[j] - mG - float64(xhat[r*D+j])*mGH))
				}
			}
		}
		if weight != nil && weight.requiresGrad {
			acc := make([]float64, D)
			for r := 0; r < rows; r++ {
				for j := 0; j < D; j++ {
					acc[j] += float64(gd[r*D+j]) * float64(xhat[r*D+j])
				}
			}
			gw = fromData(toFloat32(acc), []int{D})
		}
		if bias != nil && bias.requiresGrad {
			acc := make([]float64, D)
			for r := 0; r < rows; r++ {
				for j := 0; j < D; j++ {
					acc[j] += float64(gd[r*D+j])
				}
			}
			gb = fromData(toFloat32(acc), []int{D})
		}
		return []*Tensor{gx, gw, gb}
	})
	return out
}

// toFloat32 rounds a float64 accumulator to float32.
func toFloat32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, v := range xs {
		out[i] = float32(v)
	}
	return out
}
