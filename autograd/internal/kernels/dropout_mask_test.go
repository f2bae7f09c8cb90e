package kernels

import (
	"math"
	"math/bits"
	"math/rand"
	"testing"
)

// dropoutLengths cover the empty vector, partial first rounds, whole rounds,
// rounds plus a tail and a course-size activation.
var dropoutLengths = []int{0, 1, 7, 8, 9, 15, 16, 17, 1000, 196608}

// dropoutThresholds are ⌈p·2²⁴⌉ for p = 1e-7, 0.1, 0.5, 0.9 and 1 − 2⁻²⁴,
// and the extremes 0 (keep all) and 1.
var dropoutThresholds = []uint32{2, 1677722, 1 << 23, 15099495, 1<<24 - 1, 0, 1}

// seededLanes returns lanes filled from seed.
func seededLanes(seed int64) *DropoutLanes {
	rng := rand.New(rand.NewSource(seed))
	var l DropoutLanes
	for w := range l {
		for j := range l[w] {
			l[w][j] = rng.Uint64()
		}
	}
	return &l
}

// dropoutInputs returns n normal values with infinities and NaNs sprinkled
// in, which must come out +0 where dropped.
func dropoutInputs(n int) []float32 {
	rng := rand.New(rand.NewSource(int64(n)))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		switch i % 5 {
		case 1:
			x[i] = float32(math.Inf(1))
		case 3:
			x[i] = float32(math.Inf(-1))
		}
		if i%11 == 4 {
			x[i] = float32(math.NaN())
		}
	}
	return x
}

// plainDropout is DropoutMask's definition written lane by lane, apart from
// dropoutMaskGo's round-by-round loop: lane j is one xoshiro256** generator
// that decides elements j, j+8, j+16, … and then steps to ⌈n/8⌉ steps.
func plainDropout(lanes *DropoutLanes, threshold uint32, scale float32, x []float32) (mask, out []float32) {
	mask, out = make([]float32, len(x)), make([]float32, len(x))
	rounds := (len(x) + 7) / 8
	for j := range 8 {
		s := [4]uint64{lanes[0][j], lanes[1][j], lanes[2][j], lanes[3][j]}
		for round := range rounds {
			r := bits.RotateLeft64(s[1]*5, 7) * 9
			t := s[1] << 17
			s[2] ^= s[0]
			s[3] ^= s[1]
			s[1] ^= s[2]
			s[0] ^= s[3]
			s[2] ^= t
			s[3] = bits.RotateLeft64(s[3], 45)
			if i := 8*round + j; i < len(x) && uint32(r>>40) >= threshold {
				mask[i], out[i] = scale, x[i]*scale
			}
		}
		for w := range s {
			lanes[w][j] = s[w]
		}
	}
	return mask, out
}

// TestDropoutMask checks DropoutMask at every level against the lane-by-lane
// definition bit for bit: the mask, the output (+0 for a dropped element,
// also an infinite or NaN one), the lanes it leaves, nothing written past
// the end, and out = x in place.
func TestDropoutMask(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		for _, threshold := range dropoutThresholds {
			scale := float32(1 / (1 - float64(threshold)/(1<<24)))
			for _, n := range dropoutLengths {
				x := dropoutInputs(n)
				want := seededLanes(int64(n) + int64(threshold))
				got := *want
				wantMask, wantOut := plainDropout(want, threshold, scale, x)
				mask, out := make([]float32, n+1), make([]float32, n+1)
				mask[n], out[n] = sentinel, sentinel
				DropoutMask(&got, threshold, scale, x, mask[:n], out[:n])
				if mask[n] != sentinel || out[n] != sentinel {
					t.Fatalf("threshold=%d n=%d: wrote past the end", threshold, n)
				}
				if i, ok := sameBits(mask[:n], wantMask); !ok {
					t.Fatalf("threshold=%d n=%d: mask[%d] = %g, want %g", threshold, n, i, mask[i], wantMask[i])
				}
				if i, ok := sameBits(out[:n], wantOut); !ok {
					t.Fatalf("threshold=%d n=%d: out[%d] = %g, want %g (x = %g)", threshold, n, i, out[i], wantOut[i], x[i])
				}
				if got != *want {
					t.Fatalf("threshold=%d n=%d: lanes left at %x, want %x", threshold, n, got, *want)
				}
				inPlace := append([]float32(nil), x...)
				again := seededLanes(int64(n) + int64(threshold))
				DropoutMask(again, threshold, scale, inPlace, mask[:n], inPlace)
				if i, ok := sameBits(inPlace, wantOut); !ok {
					t.Fatalf("threshold=%d n=%d in place: out[%d] = %g, want %g", threshold, n, i, inPlace[i], wantOut[i])
				}
			}
		}
	})
}

// TestDropoutMaskContinues checks that two calls continue one stream when
// the first ends on a whole round: the lanes left by the first are where
// the second starts, at every level.
func TestDropoutMaskContinues(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		const n, threshold, scale = 1003, 1 << 22, 4.0 / 3
		x := dropoutInputs(n)
		whole, split := seededLanes(5), seededLanes(5)
		m1, o1 := make([]float32, n), make([]float32, n)
		m2, o2 := make([]float32, n), make([]float32, n)
		DropoutMask(whole, threshold, scale, x, m1, o1)
		DropoutMask(split, threshold, scale, x[:96], m2[:96], o2[:96])
		DropoutMask(split, threshold, scale, x[96:], m2[96:], o2[96:])
		if i, ok := sameBits(m1, m2); !ok {
			t.Fatalf("mask[%d] = %g in one call, %g in two", i, m1[i], m2[i])
		}
		if i, ok := sameBits(o1, o2); !ok {
			t.Fatalf("out[%d] = %g in one call, %g in two", i, o1[i], o2[i])
		}
		if *whole != *split {
			t.Fatal("the lanes differ")
		}
	})
}

// TestDropoutMaskPanics checks the argument checks.
func TestDropoutMaskPanics(t *testing.T) {
	x := make([]float32, 4)
	for name, f := range map[string]func(){
		"short mask": func() { DropoutMask(seededLanes(1), 5, 2, x, x[:3], x) },
		"short out":  func() { DropoutMask(seededLanes(1), 5, 2, x, x, x[:3]) },
		"threshold":  func() { DropoutMask(seededLanes(1), 1<<24, 2, x, x, x) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// BenchmarkDropoutMask times the mask of one course-size activation (32 ×
// 48 × 128 values, p = 0.1) at the level in use.
//
//	go test ./autograd/internal/kernels -run '^$' -bench DropoutMask -count 3
func BenchmarkDropoutMask(b *testing.B) {
	const n = 32 * 48 * 128
	x, mask, out := dropoutInputs(n), make([]float32, n), make([]float32, n)
	lanes := seededLanes(1)
	b.SetBytes(3 * 4 * n)
	for range b.N {
		DropoutMask(lanes, 1677722, 1/0.9, x, mask, out)
	}
}
