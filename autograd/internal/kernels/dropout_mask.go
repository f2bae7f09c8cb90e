package kernels

import (
	"fmt"
	"math"
	"math/bits"
)

// DropoutLanes is the state of the eight xoshiro256** generators (lanes)
// that DropoutMask draws from, laid out as structure of arrays: word w of
// lane j is at [w][j], so one 512-bit register, or two 256-bit ones, holds
// one state word of every lane. The caller seeds the lanes; DropoutMask
// advances them in place.
type DropoutLanes [4][8]uint64

// DropoutLaneCount is the number of lanes in DropoutLanes.
const DropoutLaneCount = 8

// DropoutMask draws the mask of inverted dropout and applies it. Element i
// takes the next output r of lane i mod 8 (elements 0..7 the first output
// of lanes 0..7, elements 8..15 their second, …), where an output is that
// of the xoshiro256** step Xoshiro256 (RNG.Uint64's in package autograd).
// The element survives when its top 24 bits, r>>40, are at least
// threshold: then mask[i] = scale and out[i] = x[i]·scale (one float32
// product); otherwise mask[i] and out[i] are +0, set bitwise, so also when
// x[i] is infinite or NaN. With threshold = ⌈p·2²⁴⌉ an element survives
// with probability 1 − p (up to 2⁻²⁴), and with scale = 1/(1−p) the
// expected value is unchanged. Every lane advances ⌈n/8⌉ steps, n =
// len(x): the unused outputs of a last, partial round are dropped.
//
// Every level (AVX-512, AVX2, Go) gives the same bits and leaves the same
// lane states. out may be x. It panics if the lengths differ or threshold
// is not below 2²⁴ (which would drop every element: p = 1).
func DropoutMask(lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out []float32) {
	if len(mask) != len(x) || len(out) != len(x) {
		panic(fmt.Sprintf("kernels.DropoutMask: lengths differ: x %d, mask %d, out %d", len(x), len(mask), len(out)))
	}
	if threshold >= 1<<24 {
		panic(fmt.Sprintf("kernels.DropoutMask: threshold %d is not below 2²⁴", threshold))
	}
	i := 0
	if useAsmVector() {
		i = dropoutMaskAsm(lanes, threshold, scale, x, mask, out)
	}
	dropoutMaskGo(lanes, threshold, scale, x[i:], mask[i:], out[i:])
}

// dropoutMaskGo is the portable DropoutMask, the reference of the assembly
// levels, on slices of equal length. It takes one lane at a time, its state
// in local variables (registers), through its elements j, j+8, j+16, … of
// a block of dropoutGoBlock elements, which stays in the L1 cache for the
// eight passes; a lane with no element in the last, partial round then
// steps once more, so every lane steps ⌈n/8⌉ times.
func dropoutMaskGo(lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out []float32) {
	mask, out = mask[:len(x)], out[:len(x)]
	keepBits := math.Float32bits(scale)
	th := uint64(threshold)
	for lo := 0; lo < len(x); lo += dropoutGoBlock {
		hi := min(lo+dropoutGoBlock, len(x))
		for j := range DropoutLaneCount {
			s0, s1, s2, s3 := lanes[0][j], lanes[1][j], lanes[2][j], lanes[3][j]
			for i := lo + j; i < hi; i += DropoutLaneCount {
				// Xoshiro256's step, written out: the compiler keeps the
				// state in registers here, which it did not through the
				// call's five results (5–15 % slower at the Go level).
				r := bits.RotateLeft64(s1*5, 7) * 9
				t := s1 << 17
				s2 ^= s0
				s3 ^= s1
				s1 ^= s2
				s0 ^= s3
				s2 ^= t
				s3 = bits.RotateLeft64(s3, 45)
				// keep is all ones when k = r>>40 ≥ threshold (k − threshold
				// has no borrow into bit 63), all zeros otherwise.
				keep := uint32(((r>>40)-th)>>63) - 1
				mask[i] = math.Float32frombits(keepBits & keep)
				out[i] = math.Float32frombits(math.Float32bits(x[i]*scale) & keep)
			}
			lanes[0][j], lanes[1][j], lanes[2][j], lanes[3][j] = s0, s1, s2, s3
		}
	}
	if tail := len(x) % DropoutLaneCount; tail > 0 {
		for j := tail; j < DropoutLaneCount; j++ { // step once more, dropping the output
			_, lanes[0][j], lanes[1][j], lanes[2][j], lanes[3][j] = Xoshiro256(lanes[0][j], lanes[1][j], lanes[2][j], lanes[3][j])
		}
	}
}

// dropoutGoBlock is the block of dropoutMaskGo, in elements, a multiple of
// DropoutLaneCount.
const dropoutGoBlock = 1024

// Xoshiro256 is one step of the xoshiro256** generator (Blackman and
// Vigna): the output r of the state s0…s3 and the state after it. The
// autograd RNG and the lanes of DropoutMask both step with it; it is small
// enough to be inlined into their loops.
func Xoshiro256(s0, s1, s2, s3 uint64) (r, n0, n1, n2, n3 uint64) {
	r = bits.RotateLeft64(s1*5, 7) * 9
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	return r, s0, s1, s2, bits.RotateLeft64(s3, 45)
}
