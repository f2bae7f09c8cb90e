package kernels

import "fmt"

// The tanh approximation of GELU, HF's "gelu_new" (GPT-2's activation):
//
//	GELUTanh(x) = ½x(1 + tanh u),  u = √(2/π)·(x + 0.044715x³).
//
// Since ½(1 + tanh u) = σ(2u) = 1/(1 + e^(−2u)), it is computed as
//
//	y = x / (1 + e^a),  a = −2u = −2√(2/π)·x·(1 + 0.044715x²),
//
// one exponential (softmax's expf32) and one division per element, with no
// cancellation near u = 0 (1 + tanh u is never formed). The derivative is
//
//	dy/dx = s + x·s(1 − s)·2√(2/π)(1 + 3·0.044715x²),  s = σ(2u) = 1/(1 + e^a).
//
// Two guards keep the tails exact and finite: x is clamped to [−20, 20]
// inside u (beyond, s is 0 or 1 in float32, and x³ would overflow for huge
// x), and where a > 88, e^a would overflow, so s is taken as 0 (y = +0;
// the true value is below 1e−36). Relative error about 1e−6 against the
// float64 formula, most of it from rounding a before the exponential.
const (
	geluTanhClamp = 20
	geluTanhK     = 0.044715
	geluTanhK3    = 3 * geluTanhK      // 0.134145
	geluTanh2C    = 1.5957691216057308 // 2·√(2/π)
	geluTanhM2C   = -geluTanh2C        // −2·√(2/π)
	geluTanhHi    = float32(expHi)     // above: s = 0
)

// GELUTanh sets y[i] = GELUTanh(x[i]) (see above). y may be x. It panics if
// y is shorter than x.
func GELUTanh(x, y []float32) {
	if len(y) < len(x) {
		panic(fmt.Sprintf("kernels.GELUTanh: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	if !ParallelPays(len(x), vectorGrain) {
		geluTanhRange(x, y)
		return
	}
	ParallelForAligned(len(x), 16, vectorGrain, func(lo, hi int) { geluTanhRange(x[lo:hi], y[lo:hi]) })
}

// geluTanhRange is GELUTanh on one piece.
func geluTanhRange(x, y []float32) {
	i := 0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		geluTanhAsm(n, x, y)
		i = n
	}
	for ; i < len(x); i++ {
		y[i] = geluTanh32(x[i])
	}
}

// GELUTanhBackward sets gx[i] = gy[i]·GELUTanh′(x[i]) from the input x and
// the incoming gradient gy. gx may alias gy. It panics if the lengths
// differ.
func GELUTanhBackward(x, gy, gx []float32) {
	if len(gy) != len(x) || len(gx) != len(x) {
		panic(fmt.Sprintf("kernels.GELUTanhBackward: lengths differ: x %d, gy %d, gx %d", len(x), len(gy), len(gx)))
	}
	if !ParallelPays(len(x), vectorGrain) {
		geluTanhBackwardRange(x, gy, gx)
		return
	}
	ParallelForAligned(len(x), 16, vectorGrain, func(lo, hi int) {
		geluTanhBackwardRange(x[lo:hi], gy[lo:hi], gx[lo:hi])
	})
}

// geluTanhBackwardRange is GELUTanhBackward on one piece.
func geluTanhBackwardRange(x, gy, gx []float32) {
	i := 0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		geluTanhBackwardAsm(n, x, gy, gx)
		i = n
	}
	for ; i < len(x); i++ {
		gx[i] = gy[i] * geluTanhGrad32(x[i])
	}
}

// geluTanhExp returns the clamped x, a and 1 + e^a for x, in the order the
// assembly computes them.
func geluTanhExp(x float32) (xc, a, onePlusE float32) {
	xc = min(max(x, -geluTanhClamp), geluTanhClamp)
	inner := 1 + xc*xc*geluTanhK
	a = xc * geluTanhM2C * inner
	return xc, a, 1 + expf32(a)
}

// geluTanh32 is GELUTanh of one float32 in Go (the tails of the assembly).
func geluTanh32(x float32) float32 {
	_, a, d := geluTanhExp(x)
	if a > geluTanhHi {
		return 0
	}
	return x / d
}

// geluTanhGrad32 is GELUTanh′(x) in Go.
func geluTanhGrad32(x float32) float32 {
	xc, a, d := geluTanhExp(x)
	s := 1 / d
	if a > geluTanhHi {
		s = 0
	}
	q := s - s*s
	w := xc * geluTanh2C * (1 + xc*xc*geluTanhK3)
	return s + w*q
}
