package autograd

import (
	"fmt"
)

// Where picks elementwise from a where cond is non-zero and from b elsewhere,
// broadcasting all three (torch.where). cond is data, not differentiated; the
// gradient goes to a where cond holds and to b elsewhere.
func Where(cond, a, b *Tensor) *Tensor {
	shape := whereShape(cond, a, b)
	c := cond.Detach().Expand(shape...)
	x := a.Detach().Expand(shape...)
	y := b.Detach().Expand(shape...)
	cd, xd, yd := c.Data(), x.Data(), y.Data()
	out := make([]float32, len(cd))
	for i := range out {
		if cd[i] != 0 {
			out[i] = xd[i]
		} else {
			out[i] = yd[i]
		}
	}
	res := fromData(out, shape)
	record("Where", res, []*Tensor{a, b}, func(g *Tensor) []*Tensor {
		gd := g.Data()
		ga := make([]float32, len(gd))
		gb := make([]float32, len(gd))
		for i, v := range gd {
			if cd[i] != 0 {
				ga[i] = v
			} else {
				gb[i] = v
			}
		}
		return []*Tensor{fromData(ga, shape).SumToSize(a.shape...), fromData(gb, shape).SumToSize(b.shape...)}
	})
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
