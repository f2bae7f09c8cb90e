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
	mask := make([]float32, len(xd))
	out := make([]float32, len(xd))
	if p < 1 {
		scale := 1 / (1 - p)
		for i := range mask {
			if rng.Float32() >= p {
				mask[i] = scale
				out[i] = xd[i] * scale
			}
		}
	}
	res := fromData(out, copyInts(x.shape))
	record("Dropout", res, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gd := g.Data()
		gin := make([]float32, len(gd))
		for i, m := range mask {
			gin[i] = gd[i] * m
		}
		return []*Tensor{fromData(gin, copyInts(x.shape))}
	})
	return res
}
