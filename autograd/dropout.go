package autograd

import (
	"fmt"
	"math"
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
	if p < 1 {
		dropoutMask(rng, p, xd, mask, out)
	} else { // p = 1 drops everything and draws no random numbers
		clear(mask)
		clear(out)
	}
	res := fromData(out, x.shape)
	record("Dropout", res, []*Tensor{x}, func(g *Tensor) []*Tensor {
		gd := g.Data()
		gin := newResultNoZero(len(gd))
		for i, m := range mask[:len(gin)] {
			gin[i] = gd[i] * m
		}
		recycle(mask)
		mask = nil // a second run of this closure must fail, not read a reused buffer
		return []*Tensor{fromData(gin, x.shape)}
	})
	if res.node == nil {
		recycle(mask)
	}
	return res
}

// dropoutMask draws the mask of Dropout with 0 ≤ p < 1: element i survives
// when the i-th rng.Float32() of the stream is ≥ p, getting mask[i] = 1/(1−p)
// and out[i] = x[i]/(1−p); otherwise both are 0. It is the plain loop
//
//	if rng.Float32() >= p { mask[i], out[i] = scale, x[i]*scale } else { mask[i], out[i] = 0, 0 }
//
// with the generator (xoshiro256**, as RNG.Uint64) kept in local variables
// and the test done on integers without a branch: Float32 is k/2²⁴ with k the
// top 24 bits of a draw, and k/2²⁴ ≥ p exactly when k ≥ ⌈p·2²⁴⌉. Masks that
// fall at random cost a mispredicted branch each in the plain loop; this one
// makes the same decisions from the same stream, and leaves rng where the
// plain loop would.
func dropoutMask(rng *RNG, p float32, x, mask, out []float32) {
	scale := 1 / (1 - p)
	threshold := uint64(math.Ceil(float64(p) * (1 << 24)))
	keepBits := math.Float32bits(scale)
	s0, s1, s2, s3 := rng.s[0], rng.s[1], rng.s[2], rng.s[3]
	x, out = x[:len(mask)], out[:len(mask)]
	for i := range mask {
		r := rotl(s1*5, 7) * 9
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = rotl(s3, 45)
		// keep is all ones when k = r>>40 ≥ threshold (k − threshold has no
		// borrow into bit 63), all zeros otherwise.
		keep := uint32(((r>>40)-threshold)>>63) - 1
		mask[i] = math.Float32frombits(keepBits & keep)
		out[i] = math.Float32frombits(math.Float32bits(x[i]*scale) & keep)
	}
	rng.s = [4]uint64{s0, s1, s2, s3}
}
