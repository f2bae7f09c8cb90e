package autograd

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Dropout zeroes each element with probability p and scales the survivors by
// 1/(1−p) ("inverted" dropout), so the expected value is unchanged and evaluation
// needs no rescaling. With train=false or p=0 it returns x unchanged. The mask
// comes from rng, so a seeded run is reproducible; rng may be nil only when the
// op is a no-op.
//
// The stream, the same on every machine, CPU level and GOMAXPROCS: with
// 0 < p < 1, Dropout takes exactly eight draws s₀…s₇ = rng.Uint64() (whatever
// the size of x, also for an empty one) and runs eight generators g_j =
// NewRNG(s_j); element i of x (row-major) survives when the next
// g_{i mod 8}.Float32() is ≥ p, so elements 0…7 use the first value of
// g₀…g₇, elements 8…15 their second, and so on. p = 1 draws nothing.
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
	if p < 1 {
		dropoutMask(rng, p, xd, mask, out)
	} else { // p = 1 drops everything and draws no random numbers
		clear(mask)
		clear(out)
	}
	res := fromData(out, x.shape)
	if recording(x) {
		record("Dropout", res, []*Tensor{x}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := newResultNoZero(len(gd))
			kernels.Smul(gd, mask[:len(gd)], gin)
			recycle(mask)
			grads[0] = fromData(gin, x.shape)
		})
	} else {
		recycle(mask) // no backward pass will read it
	}
	return res
}

// dropoutMask draws the mask of Dropout with 0 < p < 1 and applies it: it
// seeds the eight lanes of kernels.DropoutMask from eight draws of rng, lane
// j as NewRNG(rng.Uint64()) would be (the j-th draw), and has the kernel
// decide element i from the next output of lane i mod 8: it survives when
// the output's top 24 bits k (those of Float32, which is k/2²⁴) are at least
// ⌈p·2²⁴⌉, that is when k/2²⁴ ≥ p, getting mask[i] = 1/(1−p) and out[i] =
// x[i]·(1/(1−p)); otherwise both are 0. Eight independent generators
// vectorize where one serial xoshiro chain cannot.
func dropoutMask(rng *RNG, p float32, x, mask, out []float32) {
	var lanes kernels.DropoutLanes
	var lane RNG
	for j := range kernels.DropoutLaneCount {
		lane.Seed(rng.Uint64())
		for w, word := range lane.s {
			lanes[w][j] = word
		}
	}
	threshold := uint32(math.Ceil(float64(p) * (1 << 24)))
	kernels.DropoutMask(&lanes, threshold, 1/(1-p), x[:len(mask)], mask, out[:len(mask)])
}
