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
	c, x, y := cond.Detach(), a.Detach(), b.Detach()
	out := newResultNoZero(numel(shape))
	eachWhereRow(shape, c, x, y, func(r int, dst []float32, xs []float32, ix int, ys []float32, iy int, cs []float32, ic int) {
		for j := range dst {
			if cs[j*ic] != 0 {
				dst[j] = xs[j*ix]
			} else {
				dst[j] = ys[j*iy]
			}
		}
	}, out)
	res := fromData(out, shape)
	if recording(a, b) {
		record("Where", res, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
			gd := g.Contiguous().Data()
			// The gradient of one side: g where cond picks that side, 0 elsewhere.
			side := func(t *Tensor, picked bool) *Tensor {
				if !t.requiresGrad {
					return nil
				}
				gs := newResultNoZero(len(gd))
				eachWhereRow(shape, c, nil, nil, func(r int, dst []float32, _ []float32, _ int, _ []float32, _ int, cs []float32, ic int) {
					src := gd[r*len(dst) : (r+1)*len(dst)]
					for j := range dst {
						if (cs[j*ic] != 0) == picked {
							dst[j] = src[j]
						} else {
							dst[j] = 0
						}
					}
				}, gs)
				return fromData(gs, shape).SumToSize(t.shape...)
			}
			return []*Tensor{side(a, true), side(b, false)}
		})
	}
	return res
}

// whereRow computes row r of a Where-shaped result into dst, reading x, y
// and cond from their row starts with the given element strides.
type whereRow func(r int, dst []float32, x []float32, ix int, y []float32, iy int, cond []float32, ic int)

// eachWhereRow calls row for every innermost row of the broadcast shape,
// with dst that row of out and x, y, cond (x and y may be nil) broadcast to
// shape; large shapes are split by rows over goroutines.
func eachWhereRow(shape []int, cond, x, y *Tensor, row whereRow, out []float32) {
	if len(out) == 0 {
		return
	}
	n := 1
	if len(shape) > 0 {
		n = shape[len(shape)-1]
	}
	type walk struct {
		data  []float32
		rows  []int
		inner int
	}
	along := func(t *Tensor) walk {
		if t == nil {
			return walk{}
		}
		s := broadcastStrides(t.shape, t.strides, shape)
		w := walk{data: t.data, rows: rowOffsets(shape, s, t.offset), inner: 1}
		if len(s) > 0 {
			w.inner = s[len(s)-1]
		}
		return w
	}
	wc, wx, wy := along(cond), along(x), along(y)
	at := func(w walk, r int) []float32 {
		if w.data == nil {
			return nil
		}
		return w.data[w.rows[r]:]
	}
	rows := func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			row(r, out[r*n:(r+1)*n], at(wx, r), wx.inner, at(wy, r), wy.inner, at(wc, r), wc.inner)
		}
	}
	count := len(out) / max(n, 1)
	if kernels.ParallelPays(count, kernels.RowGrain(n)) {
		kernels.ParallelFor(count, kernels.RowGrain(n), rows)
	} else {
		rows(0, count)
	}
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
