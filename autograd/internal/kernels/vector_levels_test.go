package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// levelInputs returns n inputs spread over [-scale, scale], with special
// values sprinkled in: zeros of both signs, values past the exponential's
// range, -Inf.
func levelInputs(rng *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = (2*rng.Float32() - 1) * scale
	}
	special := []float32{0, float32(math.Copysign(0, -1)), -100, -1e4, 90, float32(math.Inf(-1)), 1e-8, -8, 8}
	for i, v := range special {
		if j := i * 7; j < n {
			x[j] = v
		}
	}
	return x
}

// sameBits reports the first index where a and b differ in their bits.
func sameBits(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i, false
		}
	}
	return 0, true
}

// TestAVX512MatchesAVX2 checks that the AVX-512 vector kernels give the
// AVX2 kernels' results bit for bit (they run the same instructions per
// lane), over lengths with and without a last half vector and a Go tail:
// exp(x − shift) of softmax and cross-entropy, max, scaling, Saxpy, the
// Adam step with and without an L2 term, GELU with and without a stored
// Φ, in place, and GELU's backward pass. The one sum that differs, the
// row sum of exponentials (16 lanes against 8), is checked against float64
// within n float32 ulps of the sum.
func TestAVX512MatchesAVX2(t *testing.T) {
	if simd.Detect() < simd.AVX512 {
		t.Skip("no AVX-512 on this machine")
	}
	defer setLevel(level)()
	rng := rand.New(rand.NewSource(3))
	for _, n := range []int{8, 16, 24, 40, 64, 72, 1000, 1003, 4104} {
		x := levelInputs(rng, n, 20)
		y0, g, m0, v0 := levelInputs(rng, n, 1), levelInputs(rng, n, 1), levelInputs(rng, n, 1), levelInputs(rng, n, 1)
		for i := range v0 {
			if math.IsInf(float64(y0[i]), 0) || math.Abs(float64(y0[i])) > 1 {
				y0[i] = 0.5
			}
			if math.IsInf(float64(g[i]), 0) || math.Abs(float64(g[i])) > 1 {
				g[i] = 0.25
			}
			m0[i] = min(max(m0[i], -1), 1)
			v0[i] = min(v0[i]*v0[i], 1)
		}
		type result struct {
			outs [][]float32
			sum  float32
			max  float32
		}
		run := func() result {
			var r result
			e := make([]float32, n)
			r.sum = expShiftSum(x, 3, e)
			r.max = vecMax(x)
			s := append([]float32(nil), y0...)
			vecScale(0.37, s)
			ax := append([]float32(nil), y0...)
			Saxpy(-1.7, g, ax)
			r.outs = append(r.outs, e, s, ax)
			for _, l2 := range []float32{0, 0.01} {
				w, m, v := append([]float32(nil), y0...), append([]float32(nil), m0...), append([]float32(nil), v0...)
				AdamUpdate(AdamStep{Decay: 0.999, L2: l2, Beta1: 0.9, Beta2: 0.999, OneMinusBeta1: 0.1, OneMinusBeta2: 0.001,
					BC2Sqrt: 0.2, Eps: 1e-8, StepSize: 1e-3}, w, g, m, v)
				r.outs = append(r.outs, w, m, v)
			}
			gy, cdf, gx := make([]float32, n), make([]float32, n), make([]float32, n)
			GELU(x, gy, cdf)
			GELUBackward(x, cdf, g, gx)
			inPlace := append([]float32(nil), x...)
			GELU(inPlace, inPlace, nil)
			r.outs = append(r.outs, gy, cdf, gx, inPlace)
			return r
		}
		level = simd.AVX2
		want := run()
		level = simd.AVX512
		got := run()
		names := []string{"exp", "scale", "saxpy", "adam w", "adam m", "adam v", "adam+L2 w", "adam+L2 m", "adam+L2 v",
			"gelu y", "gelu cdf", "gelu backward", "gelu in place"}
		for o, name := range names {
			if i, ok := sameBits(got.outs[o], want.outs[o]); !ok {
				t.Errorf("n=%d %s: element %d (x = %g) is %v at avx512, %v at avx2", n, name, i, x[i], got.outs[o][i], want.outs[o][i])
			}
		}
		if math.Float32bits(got.max) != math.Float32bits(want.max) {
			t.Errorf("n=%d max: %v at avx512, %v at avx2", n, got.max, want.max)
		}
		var ref float64
		for _, v := range want.outs[0] {
			ref += float64(v)
		}
		if d := math.Abs(float64(got.sum) - ref); d > float64(n)*ref/(1<<24) {
			t.Errorf("n=%d sum of exponentials: %v at avx512, float64 %v: off by %.3g", n, got.sum, ref, d)
		}
	}
}
