package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// geluTanhRef is the tanh GELU in float64: HF's ½x(1 + tanh u), written
// as x·σ(2u), which is the same function without the cancellation of 1 +
// tanh u in the negative tail (where float64's tanh is −1 from u < −19).
func geluTanhRef(x float64) float64 {
	u := math.Sqrt(2/math.Pi) * (x + 0.044715*x*x*x)
	return x / (1 + math.Exp(-2*u))
}

// geluTanhGradRef is its derivative in float64: s + x·2s(1 − s)·du/dx with
// s = σ(2u), which is ½(1 + tanh u) + ½x(1 − tanh²u)·du/dx.
func geluTanhGradRef(x float64) float64 {
	c := math.Sqrt(2 / math.Pi)
	s := 1 / (1 + math.Exp(-2*c*(x+0.044715*x*x*x)))
	return s + x*2*s*(1-s)*c*(1+3*0.044715*x*x)
}

// geluTanhInputs are geluInputs plus the far tails, where the clamp and the
// overflow guard act, and the special values.
func geluTanhInputs(rng *rand.Rand) []float32 {
	xs := geluInputs(rng)
	return append(xs, 9.5, -9.5, 10.5, -10.5, 19.9, -19.9, 20.1, -20.1, 1e4, -1e4, 1e30, -1e30,
		math.MaxFloat32, -math.MaxFloat32, 1e-30, -1e-30, 1.4e-45, float32(math.Copysign(0, -1)),
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()))
}

// checkGELUTanh compares y = GELUTanh(x) with the float64 formula: within
// 2e-6 + 1.2e-7·|2u| relative (e^(−2u) inherits the rounding of its
// argument, 2 ulps of it, which grows into the negative tail; float32's ½x(1 + tanh u),
// as PyTorch computes it, is exactly 0 there from x < −5.1), or 1e-37
// absolute (where the value underflows float32); ±Inf gives +Inf and 0,
// NaN gives NaN.
func checkGELUTanh(t *testing.T, x, y float32) {
	t.Helper()
	xv := float64(x)
	switch {
	case math.IsNaN(xv):
		if y == y {
			t.Fatalf("GELUTanh(NaN) = %g, want NaN", y)
		}
		return
	case math.IsInf(xv, 1):
		if !math.IsInf(float64(y), 1) {
			t.Fatalf("GELUTanh(+Inf) = %g, want +Inf", y)
		}
		return
	case math.IsInf(xv, -1):
		if y != 0 {
			t.Fatalf("GELUTanh(-Inf) = %g, want 0", y)
		}
		return
	}
	want := geluTanhRef(xv)
	if math.Abs(xv) > 1e10 { // x³ overflows float64's formula too: the limits
		want = math.Max(xv, 0)
	}
	twoU := 2 * math.Sqrt(2/math.Pi) * math.Abs(xv+0.044715*xv*xv*xv)
	if d := math.Abs(float64(y) - want); d > (2e-6+2e-7*twoU)*math.Abs(want) && d > 1e-37 {
		t.Fatalf("GELUTanh(%g) = %g, want %g (relative error %.2g)", x, y, want, d/math.Abs(want))
	}
}

// checkGELUTanhGrad compares gx = gy·GELUTanh′(x) with the float64
// derivative: within 4e-6 relative to |gy|·(1 + |dy/dx|), the derivative
// overshooting 1 by up to 13 % near x = 2.
func checkGELUTanhGrad(t *testing.T, x, gy, gx float32) {
	t.Helper()
	xv := float64(x)
	if math.IsNaN(xv) {
		if gx == gx {
			t.Fatalf("GELUTanh′(NaN)·%g = %g, want NaN", gy, gx)
		}
		return
	}
	var d float64
	switch {
	case math.Abs(xv) > 1e10:
		d = 0
		if xv > 0 {
			d = 1
		}
	default:
		d = geluTanhGradRef(xv)
	}
	want := float64(gy) * d
	if e := math.Abs(float64(gx) - want); e > 4e-6*math.Abs(float64(gy))*(1+math.Abs(d)) && e > 1e-37 {
		t.Fatalf("GELUTanh′(%g)·%g = %g, want %g", x, gy, gx, want)
	}
}

func TestGELUTanh(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		xs := geluTanhInputs(rand.New(rand.NewSource(12)))
		y := make([]float32, len(xs))
		GELUTanh(xs, y)
		for i, x := range xs {
			checkGELUTanh(t, x, y[i])
		}
		z := append([]float32(nil), xs...)
		GELUTanh(z, z)
		for i := range z {
			if math.Float32bits(z[i]) != math.Float32bits(y[i]) {
				t.Fatalf("in-place GELUTanh(%g) = %g, out of place %g", xs[i], z[i], y[i])
			}
		}
		for _, n := range vectorLengths { // the vector body and every tail length
			x := make([]float32, n+1)
			for i := range x {
				x[i] = float32(i%23) - 11.3
			}
			got := make([]float32, n+1)
			got[n] = sentinel
			GELUTanh(x[:n], got)
			for i := range n {
				checkGELUTanh(t, x[i], got[i])
			}
			if got[n] != sentinel {
				t.Fatalf("n=%d: GELUTanh wrote past the end", n)
			}
		}
	})
}

func TestGELUTanhBackward(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(13))
		xs := geluTanhInputs(rng)
		gy, gx := randSlice(rng, len(xs)), make([]float32, len(xs))
		GELUTanhBackward(xs, gy, gx)
		for i, x := range xs {
			if !math.IsInf(float64(x), 0) {
				checkGELUTanhGrad(t, x, gy[i], gx[i])
			}
		}
		g := append([]float32(nil), gy...)
		GELUTanhBackward(xs, g, g) // gx aliasing gy
		for i := range g {
			if math.Float32bits(g[i]) != math.Float32bits(gx[i]) {
				t.Fatalf("in-place backward at x=%g: %g, out of place %g", xs[i], g[i], gx[i])
			}
		}
	})
}

// TestGELUTanhAVX512MatchesAVX2 checks that the two assembly bodies give the
// same bits, on lengths with and without a last half vector.
func TestGELUTanhAVX512MatchesAVX2(t *testing.T) {
	if simd.Detect() < simd.AVX512 {
		t.Skip("no AVX-512 on this machine")
	}
	defer setLevel(level)()
	rng := rand.New(rand.NewSource(14))
	for _, n := range []int{8, 16, 24, 40, 1000, 1003, 4104} {
		x := levelInputs(rng, n, 20)
		gy := randSlice(rng, n)
		run := func(l simd.Level) (y, gx []float32) {
			setLevel(l)
			y, gx = make([]float32, n), make([]float32, n)
			GELUTanh(x, y)
			GELUTanhBackward(x, gy, gx)
			return y, gx
		}
		y2, g2 := run(simd.AVX2)
		y5, g5 := run(simd.AVX512)
		for i := range n {
			if math.Float32bits(y2[i]) != math.Float32bits(y5[i]) || math.Float32bits(g2[i]) != math.Float32bits(g5[i]) {
				t.Fatalf("n=%d, x[%d]=%g: avx2 %g, %g; avx512 %g, %g", n, i, x[i], y2[i], g2[i], y5[i], g5[i])
			}
		}
	}
}

// FuzzGELUTanh checks both passes on a few values at a level, placed at
// every position of a vector whose length the fuzzer chooses, so that the
// values land in the main loop, a half vector and the Go tail.
func FuzzGELUTanh(f *testing.F) {
	const goLvl, avx2, avx512 = uint8(simd.Go), uint8(simd.AVX2), uint8(simd.AVX512)
	f.Add(float32(0.5), float32(-3), float32(1), uint8(9), avx2)
	f.Add(float32(-9.9), float32(10), float32(-0.25), uint8(24), avx512) // a half vector at the end
	f.Add(float32(-20.5), float32(88), float32(2), uint8(31), avx512)    // the clamp, a 7-element Go tail
	f.Add(float32(1e-30), float32(-1e4), float32(-1), uint8(7), goLvl)
	f.Add(float32(-5.2), float32(2.1), float32(1e3), uint8(17), avx2)
	f.Fuzz(func(t *testing.T, a, b, gy float32, n, lvl uint8) {
		if simd.Level(lvl) > simd.Detect() || lvl > avx512 || gy != gy || math.IsInf(float64(gy), 0) || math.Abs(float64(gy)) > 1e30 {
			t.Skip()
		}
		defer setLevel(level)()
		setLevel(simd.Level(lvl))
		size := int(n%64) + 1
		x := make([]float32, size)
		for i := range x {
			x[i] = a
			if i%2 == 1 {
				x[i] = b
			}
		}
		y, g, gx := make([]float32, size), make([]float32, size), make([]float32, size)
		for i := range g {
			g[i] = gy
		}
		GELUTanh(x, y)
		GELUTanhBackward(x, g, gx)
		for i := range x {
			checkGELUTanh(t, x[i], y[i])
			if !math.IsInf(float64(x[i]), 0) {
				checkGELUTanhGrad(t, x[i], gy, gx[i])
			}
		}
	})
}

// BenchmarkGELUTanh times both passes at every level on a GPT-2 feed-forward
// activation (16·128 tokens × 1024), beside the float64 math.Tanh loop that
// autograd ran before (forward/math.Tanh: the float64 formula per element).
func BenchmarkGELUTanh(b *testing.B) {
	const n = 16 * 128 * 1024
	rng := rand.New(rand.NewSource(1))
	x, y, g := randSlice(rng, n), make([]float32, n), randSlice(rng, n)
	for _, lv := range simd.Supported() {
		run := func(b *testing.B, f func()) {
			defer setLevel(lv)()
			for range b.N {
				f()
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*n), "ns/elem")
		}
		b.Run("forward/"+lv.String(), func(b *testing.B) { run(b, func() { GELUTanh(x, y) }) })
		b.Run("backward/"+lv.String(), func(b *testing.B) { run(b, func() { GELUTanhBackward(x, g, y) }) })
	}
	b.Run("forward/math.Tanh", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = float32(geluTanhRef(float64(v)))
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*n), "ns/elem")
	})
}
