package autograd

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Where picks elementwise from a where cond is non-zero and from b elsewhere,
// broadcasting all three (torch.where). cond is data, not differentiated; the
// gradient goes to a where cond holds and to b elsewhere.
//
// It walks the broadcast result one innermost row at a time, reading each
// input through its own strides (0 along a broadcast dim), so a broadcast
// condition or a scalar is never copied out to the full shape (attention's
// causal mask is [queries, keys] against scores [batch, heads, queries,
// keys]); large results split by rows over goroutines. The backward pass
// computes the gradients of the inputs that need one only.
func Where(cond, a, b *Tensor) *Tensor {
	shape := whereShape(cond, a, b)
	n := 1
	if len(shape) > 0 {
		n = shape[len(shape)-1]
	}
	out := newResultNoZero(numel(shape))
	count := len(out) / max(n, 1) // innermost rows
	rc, ic := broadcastRows(cond, shape)
	rx, ix := broadcastRows(a, shape)
	ry, iy := broadcastRows(b, shape)
	kernels.ParallelFor(count, kernels.RowGrain(n), func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			cs, xs, ys := cond.data[rc[r]:], a.data[rx[r]:], b.data[ry[r]:]
			row := out[r*n : (r+1)*n]
			for j := range row {
				if cs[j*ic] != 0 {
					row[j] = xs[j*ix]
				} else {
					row[j] = ys[j*iy]
				}
			}
		}
	})
	res := fromData(out, shape)
	if recording(a, b) {
		record("Where", res, []*Tensor{a, b}, func(g *Tensor, grads []*Tensor) {
			gd := g.Contiguous().Data()
			// The gradient of one side: g where cond picks that side, 0 elsewhere.
			side := func(t *Tensor, picked bool) *Tensor {
				if !t.requiresGrad {
					return nil
				}
				gs := newResultNoZero(len(gd))
				kernels.ParallelFor(count, kernels.RowGrain(n), func(r0, r1 int) {
					for r := r0; r < r1; r++ {
						cs, src, row := cond.data[rc[r]:], gd[r*n:(r+1)*n], gs[r*n:(r+1)*n]
						for j := range row {
							if (cs[j*ic] != 0) == picked {
								row[j] = src[j]
							} else {
								row[j] = 0
							}
						}
					}
				})
				return fromData(gs, shape).SumToSize(t.shape...)
			}
			grads[0], grads[1] = side(a, true), side(b, false)
		})
	}
	return res
}

// MaskedFill returns t with value wherever mask is non-zero (mask broadcasts to
// t's shape, which does not change). The filled positions get no gradient.
func (t *Tensor) MaskedFill(mask *Tensor, value float32) *Tensor {
	if s := broadcastShapes("MaskedFill", mask.shape, t.shape); !SameShape(s, t.shape) {
		panic(fmt.Sprintf("autograd.MaskedFill: mask of shape %v does not broadcast to the tensor's shape %v", mask.shape, t.shape))
	}
	return Where(mask, Scalar(value), t)
}

// whereShape broadcasts the three shapes of Where, naming all three on failure.
func whereShape(cond, a, b *Tensor) (shape []int) {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("autograd.Where: cond %v, a %v and b %v do not broadcast together", cond.shape, a.shape, b.shape))
		}
	}()
	return broadcastShapes("Where", broadcastShapes("Where", cond.shape, a.shape), b.shape)
}
