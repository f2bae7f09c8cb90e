package autograd

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// RNG is a seeded pseudo-random source: xoshiro256** seeded through splitmix64.
// The integer stream and the uniform floats are bit-identical on every machine and
// Go version (no dependency on math/rand's global state or its algorithm changes).
// Normal values come from the Box–Muller transform in float64 rounded to float32;
// they agree across platforms unless a last-bit difference between two
// platforms' float64 Log/Sincos happens to straddle a float32 rounding boundary
// (a chance of order 2⁻²⁹ per value).
// An RNG is not safe for concurrent use; give each goroutine its own.
type RNG struct {
	s [4]uint64
	// spare holds the second value of the last Box–Muller pair.
	spare    float64
	hasSpare bool
}

// NewRNG returns a generator whose whole stream is determined by seed.
func NewRNG(seed uint64) *RNG {
	r := &RNG{}
	r.Seed(seed)
	return r
}

// Seed restarts the stream from seed.
func (r *RNG) Seed(seed uint64) {
	x := seed
	for i := range r.s {
		// splitmix64 spreads one seed over the four state words.
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		r.s[i] = z ^ (z >> 31)
	}
	r.hasSpare = false
}

// Uint64 returns the next 64 random bits (xoshiro256**).
func (r *RNG) Uint64() uint64 {
	var out uint64
	out, r.s[0], r.s[1], r.s[2], r.s[3] = kernels.Xoshiro256(r.s[0], r.s[1], r.s[2], r.s[3])
	return out
}

// Float32 returns a uniform value in [0, 1) with 24 random bits.
func (r *RNG) Float32() float32 { return float32(r.Uint64()>>40) * (1.0 / (1 << 24)) }

// Float64 returns a uniform value in [0, 1) with 53 random bits.
func (r *RNG) Float64() float64 { return float64(r.Uint64()>>11) * (1.0 / (1 << 53)) }

// NormFloat64 returns a standard normal value (mean 0, std 1), Box–Muller.
func (r *RNG) NormFloat64() float64 {
	if r.hasSpare {
		r.hasSpare = false
		return r.spare
	}
	// u1 in (0, 1] so the log is finite.
	u1 := 1 - r.Float64()
	u2 := r.Float64()
	rad := math.Sqrt(-2 * math.Log(u1))
	sin, cos := math.Sincos(2 * math.Pi * u2)
	r.spare = rad * sin
	r.hasSpare = true
	return rad * cos
}

// NormFloat32 returns a standard normal value as float32.
func (r *RNG) NormFloat32() float32 { return float32(r.NormFloat64()) }

// Intn returns a uniform integer in [0, n) without modulo bias. It panics if n <= 0.
func (r *RNG) Intn(n int) int {
	if n <= 0 {
		panic(fmt.Sprintf("autograd.RNG.Intn: n must be positive, got %d", n))
	}
	bound := uint64(n)
	// Reject the top partial block of the 64-bit range so every residue is equally likely.
	limit := math.MaxUint64 - (math.MaxUint64%bound+1)%bound
	for {
		v := r.Uint64()
		if v <= limit {
			return int(v % bound)
		}
	}
}

// Perm returns a uniformly random permutation of 0..n-1 (Fisher–Yates).
func (r *RNG) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(p)
	return p
}

// Shuffle permutes xs uniformly at random in place.
func (r *RNG) Shuffle(xs []int) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.Intn(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// RandN returns a tensor of standard normal values.
func RandN(rng *RNG, shape ...int) *Tensor { return Normal(rng, 0, 1, shape...) }

// Rand returns a tensor of uniform values in [0, 1).
func Rand(rng *RNG, shape ...int) *Tensor { return Uniform(rng, 0, 1, shape...) }

// Uniform returns a tensor of values drawn uniformly from [lo, hi).
func Uniform(rng *RNG, lo, hi float32, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.data {
		// The explicit conversion rounds the product, so no machine fuses it into an FMA.
		t.data[i] = lo + float32((hi-lo)*rng.Float32())
	}
	return t
}

// Normal returns a tensor of values drawn from N(mean, std²).
func Normal(rng *RNG, mean, std float32, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.data {
		t.data[i] = float32(float64(mean) + float64(float64(std)*rng.NormFloat64()))
	}
	return t
}

// rngStateSize is the length of MarshalBinary's output: four state words, the
// spare normal value and its flag.
const rngStateSize = 4*8 + 8 + 1

// MarshalBinary returns the generator's position (encoding.BinaryMarshaler),
// to save beside a checkpoint: UnmarshalBinary of it continues the stream
// exactly where it was, so a resumed run draws the same dropout masks.
func (r *RNG) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, rngStateSize)
	for _, w := range r.s {
		out = binary.LittleEndian.AppendUint64(out, w)
	}
	out = binary.LittleEndian.AppendUint64(out, math.Float64bits(r.spare))
	if r.hasSpare {
		return append(out, 1), nil
	}
	return append(out, 0), nil
}

// UnmarshalBinary restores a position saved by MarshalBinary.
func (r *RNG) UnmarshalBinary(state []byte) error {
	if len(state) != rngStateSize || state[rngStateSize-1] > 1 {
		return fmt.Errorf("autograd.RNG.UnmarshalBinary: %d bytes, want %d from MarshalBinary", len(state), rngStateSize)
	}
	for i := range r.s {
		r.s[i] = binary.LittleEndian.Uint64(state[8*i:])
	}
	r.spare = math.Float64frombits(binary.LittleEndian.Uint64(state[32:]))
	r.hasSpare = state[40] == 1
	return nil
}
