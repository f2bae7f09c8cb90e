package autograd

import (
	"fmt"
)

// Dropout zeroes each element with probability p and scales the survivors by
// 1/(1−p) ("inverted" dropout), so the expected value is unchanged and evaluation
// needs no rescaling. With train=false or p=0 it returns x unchanged. The mask
// comes from rng, so a seeded run is reproducible; rng may be nil only when the
// op is a no-op.
func Dropout(x *Tensor, p float32, train bool, rng *RNG) *Tensor {
	if p < 0 || p > 1 {
		panic(fmt.Sprintf("autograd.Dropout: probability must be in [0, 1], got %v", p))
	}
	if !train || p == 0 {
		return x
	}
	if rng == nil {
		panic("autograd.Dropout: training-mode dropout needs an RNG (got nil)")
	}
	xd := x.Data()
	mask := newBufferNoZero(len(xd)) // 0 or 1/(1−p) per element, private to the backward pass
	out := newResultNoZero(len(xd))
	var scale float32 // p = 1 drops everything
	if p < 1 {
		scale = 1 / (1 - p)
	}
	for i := range mask {
		if p < 1 && rng.Float32() >= p {
			mask[i], out[i] = scale, xd[i]*scale
		} else {
			mask[i], out[i] = 0, 0
		}
	}
	res := fromData(out, copyInts(x.shape))
	record("Dropout", res, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gd := g.Data()
		gin := newResultNoZero(len(gd))
		for i, m := range mask {
			gin[i] = gd[i] * m
		}
		recycle(mask)
		return []*Tensor{fromData(gin, copyInts(x.shape))}
	})
	if res.node == nil {
		recycle(mask)
	}
	return res
}
