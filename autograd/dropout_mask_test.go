package autograd

import (
	"math"
	"testing"
)

// plainDropout is Dropout's documented stream written out plainly: eight
// draws s_j of rng seed eight generators NewRNG(s_j), and element i survives
// when the next Float32 of generator i mod 8 is ≥ p.
func plainDropout(rng *RNG, p float32, x []float32) (mask, out []float32) {
	var lanes [8]*RNG
	for j := range lanes {
		lanes[j] = NewRNG(rng.Uint64())
	}
	scale := 1 / (1 - p)
	mask, out = make([]float32, len(x)), make([]float32, len(x))
	for i := range x {
		if lanes[i%8].Float32() >= p {
			mask[i], out[i] = scale, x[i]*scale
		}
	}
	return mask, out
}

// TestDropoutMaskMatchesPlainLoop checks dropoutMask against the plain
// definition of the stream: the same decisions, the same output values (0
// for a dropped element, even when x is infinite), and the caller's
// generator left exactly eight draws further, whatever the length. Run
// with TURINGLAB_CPU_LEVEL=avx2 and =go to check the other levels.
func TestDropoutMaskMatchesPlainLoop(t *testing.T) {
	for _, p := range []float32{1e-7, 0.1, 0.25, 0.5, 0.9, 0.999, 1 - 1.0/(1<<24)} {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 1000, 196608} {
			x := RandN(NewRNG(2), n).Data()
			if n > 3 {
				x[1], x[2] = float32(math.Inf(1)), float32(math.Inf(-1))
			}
			fast, plain := NewRNG(9), NewRNG(9)
			mask, out := make([]float32, n), make([]float32, n)
			dropoutMask(fast, p, x, mask, out)
			wantMask, wantOut := plainDropout(plain, p, x)
			for i := range x {
				if math.Float32bits(mask[i]) != math.Float32bits(wantMask[i]) || math.Float32bits(out[i]) != math.Float32bits(wantOut[i]) {
					t.Fatalf("p=%v n=%d element %d: mask %v out %v, want %v %v", p, n, i, mask[i], out[i], wantMask[i], wantOut[i])
				}
			}
			if fast.Uint64() != plain.Uint64() {
				t.Fatalf("p=%v n=%d: the generator is left in a different state", p, n)
			}
		}
	}
}

// TestDropoutDrawsEight checks how far Dropout moves the caller's
// generator: exactly eight draws with 0 < p < 1 whatever the size (also
// empty), none with p = 1, p = 0 or in evaluation mode.
func TestDropoutDrawsEight(t *testing.T) {
	for _, c := range []struct {
		n     int
		p     float32
		train bool
		draws int
	}{
		{0, 0.1, true, 8}, {5, 0.1, true, 8}, {1000, 0.5, true, 8}, {100, 1, true, 0},
		{100, 0, true, 0}, {100, 0.5, false, 0},
	} {
		rng, want := NewRNG(4), NewRNG(4)
		Dropout(RandN(NewRNG(1), c.n), c.p, c.train, rng)
		for range c.draws {
			want.Uint64()
		}
		if rng.Uint64() != want.Uint64() {
			t.Errorf("n=%d p=%v train=%v: the generator did not move %d draws", c.n, c.p, c.train, c.draws)
		}
	}
}

// TestDropoutKeptFraction checks that about 1 − p of a million elements
// survive: within five standard deviations of the binomial.
func TestDropoutKeptFraction(t *testing.T) {
	const n = 1000000
	x := Ones(n)
	for _, p := range []float32{0.01, 0.1, 0.5, 0.9} {
		kept := 0
		for _, v := range Dropout(x, p, true, NewRNG(11)).Data() {
			if v != 0 {
				kept++
			}
		}
		q := 1 - float64(p)
		if sd := math.Sqrt(n * q * (1 - q)); math.Abs(float64(kept)-n*q) > 5*sd {
			t.Errorf("p=%v: kept %d of %d, want %.0f ± %.0f", p, kept, n, n*q, 5*sd)
		}
	}
}

// TestDropoutBackwardIsGradTimesMask checks the backward pass on an
// uneven gradient: the input's gradient is, bit for bit, the incoming
// gradient times the mask (the output of dropout on ones).
func TestDropoutBackwardIsGradTimesMask(t *testing.T) {
	const n = 1003
	x := Ones(n).SetRequiresGrad(true)
	w := RandN(NewRNG(5), n)
	y := Dropout(x, 0.3, true, NewRNG(6))
	mask := append([]float32(nil), y.Data()...)
	y.Mul(w).Sum().Backward()
	for i, g := range x.Grad().Data() {
		if want := w.Data()[i] * mask[i]; math.Float32bits(g) != math.Float32bits(want) {
			t.Fatalf("grad[%d] = %v, want %v·%v = %v", i, g, w.Data()[i], mask[i], want)
		}
	}
}

// BenchmarkDropoutMask times the mask of one course-size activation (32 ×
// 48 × 128 values, p = 0.1): dropoutMask, eight generators in the kernel of
// the level in use, beside the plain loop of one serial generator that the
// stream replaced.
//
//	go test ./autograd -run '^$' -bench DropoutMask -count 3
func BenchmarkDropoutMask(b *testing.B) {
	const n, p = 32 * 48 * 128, float32(0.1)
	x := RandN(NewRNG(2), n).Data()
	mask, out := make([]float32, n), make([]float32, n)
	rng := NewRNG(1)
	b.Run("lanes", func(b *testing.B) {
		for range b.N {
			dropoutMask(rng, p, x, mask, out)
		}
	})
	b.Run("plain-loop", func(b *testing.B) {
		scale := 1 / (1 - p)
		for range b.N {
			for i := range mask {
				if rng.Float32() >= p {
					mask[i], out[i] = scale, x[i]*scale
				} else {
					mask[i], out[i] = 0, 0
				}
			}
		}
	})
}
