package autograd

import (
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Softmax and log-softmax along one dim, computed stably by subtracting the
// slice's maximum before exponentiating (so logits of 1e4 do not overflow).

// softmaxRaw computes softmax (log=false) or log-softmax (log=true) of t along
// dim d into a new contiguous buffer.
func softmaxRaw(t *Tensor, d int, log bool) []float32 {
	x := t.Data()
	out := newResultNoZero(len(x))
	outer, n, inner := splitAt(t.shape, d)
	if inner == 1 {
		// Over the last dim (attention, classifiers, cross-entropy):
		// contiguous rows, the vectorised kernels.
		if log {
			kernels.LogSoftmaxRows(outer, n, x, out)
		} else {
			kernels.SoftmaxRows(outer, n, x, nil, out)
		}
		return out
	}
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			base := o*n*inner + i
			mx := float32(math.Inf(-1))
			for k := 0; k < n; k++ {
				if v := x[base+k*inner]; v > mx {
					mx = v
				}
			}
			if math.IsInf(float64(mx), -1) {
				mx = 0 // every entry is -Inf: keep the arithmetic finite
			}
			// Exponentials go to out first, then are normalised in place.
			var sum float64
			for k := 0; k < n; k++ {
				e := math.Exp(float64(x[base+k*inner] - mx))
				out[base+k*inner] = float32(e)
				sum += e
			}
			if log {
				lse := float32(math.Log(sum))
				for k := 0; k < n; k++ {
					out[base+k*inner] = x[base+k*inner] - mx - lse
				}
			} else {
				inv := float32(1 / sum)
				for k := 0; k < n; k++ {
					out[base+k*inner] *= inv
				}
			}
		}
	}
	return out
}

// Softmax returns exp(x)/Σexp(x) along dim: each slice becomes a probability
// distribution. Backward: dx = y ⊙ (g − Σ g⊙y).
func (t *Tensor) Softmax(dim int) *Tensor {
	d := normDim("Softmax", dim, t.Dim())
	y := softmaxRaw(t, d, false)
	out := fromData(y, t.shape)
	if recording(t) {
		record("Softmax", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := newResultNoZero(len(gd))
			outer, n, inner := splitAt(t.shape, d)
			if inner == 1 {
				// Contiguous rows: dx = y ⊙ g − (g·y) y, with the dot product
				// and the update vectorised.
				// Rows are independent: large inputs are split over goroutines.
				if kernels.ParallelPays(outer, kernels.RowGrain(n)) {
					kernels.ParallelFor(outer, kernels.RowGrain(n), func(o0, o1 int) { softmaxBackwardRows(o0, o1, n, gd, y, gin) })
				} else {
					softmaxBackwardRows(0, outer, n, gd, y, gin)
				}
				grads[0] = fromData(gin, t.shape)
				return
			}
			for o := 0; o < outer; o++ {
				for i := 0; i < inner; i++ {
					base := o*n*inner + i
					var dot float64
					for k := 0; k < n; k++ {
						dot += float64(gd[base+k*inner]) * float64(y[base+k*inner])
					}
					for k := 0; k < n; k++ {
						j := base + k*inner
						gin[j] = y[j] * (gd[j] - float32(dot))
					}
				}
			}
			grads[0] = fromData(gin, t.shape)
		})
	}
	return out
}

// LogSoftmax returns x − log Σexp(x) along dim, the log of Softmax computed
// without forming tiny probabilities. Backward: dx = g − softmax(x)·Σg.
func (t *Tensor) LogSoftmax(dim int) *Tensor {
	d := normDim("LogSoftmax", dim, t.Dim())
	y := softmaxRaw(t, d, true)
	out := fromData(y, t.shape)
	if recording(t) {
		record("LogSoftmax", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := newResultNoZero(len(gd))
			outer, n, inner := splitAt(t.shape, d)
			for o := 0; o < outer; o++ {
				for i := 0; i < inner; i++ {
					base := o*n*inner + i
					var sum float64
					for k := 0; k < n; k++ {
						sum += float64(gd[base+k*inner])
					}
					for k := 0; k < n; k++ {
						j := base + k*inner
						gin[j] = gd[j] - float32(math.Exp(float64(y[j]))*sum)
					}
				}
			}
			grads[0] = fromData(gin, t.shape)
		})
	}
	return out
}

// softmaxBackwardRows sets gin = y ⊙ (g − g·y) on rows o0 to o1-1 of n
// contiguous floats: the backward pass of Softmax over the last dim.
func softmaxBackwardRows(o0, o1, n int, gd, y, gin []float32) {
	for o := o0; o < o1; o++ {
		gr, yr, xr := gd[o*n:(o+1)*n], y[o*n:(o+1)*n], gin[o*n:(o+1)*n]
		dot := kernels.Sdot(gr, yr)
		for k, v := range yr {
			xr[k] = v * (gr[k] - dot)
		}
	}
}
