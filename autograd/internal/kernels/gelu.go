package kernels

import (
	"fmt"
	"math"
)

// GELU sets y[i] = x[i]·Φ(x[i]), the exact Gaussian error linear unit of
// BERT (HF's "gelu"), and, when cdf is not nil, cdf[i] = Φ(x[i]), which the
// backward pass (GELUBackward) reuses. y and cdf may be x. Φ is computed in
// float32 from erfc (see phi32), within 3e-7 of the float64 value, so it
// agrees with PyTorch's float32 GELU to rounding noise. It panics
// if y or a non-nil cdf is shorter than x.
func GELU(x, y, cdf []float32) {
	if len(y) < len(x) || (cdf != nil && len(cdf) < len(x)) {
		panic(fmt.Sprintf("kernels.GELU: len(x) = %d but len(y) = %d, len(cdf) = %d", len(x), len(y), len(cdf)))
	}
	if !ParallelPays(len(x), vectorGrain) {
		geluRange(x, y, cdf)
		return
	}
	ParallelForAligned(len(x), 16, vectorGrain, func(lo, hi int) {
		var c []float32
		if cdf != nil {
			c = cdf[lo:hi]
		}
		geluRange(x[lo:hi], y[lo:hi], c)
	})
}

// geluRange is GELU on one piece.
func geluRange(x, y, cdf []float32) {
	i := 0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		geluAsm(n, x, y, cdf)
		i = n
	}
	for ; i < len(x); i++ {
		v := x[i]
		p := phi32(v)
		if cdf != nil {
			cdf[i] = p
		}
		y[i] = v * p
	}
}

// GELUBackward sets gx[i] = gy[i]·(Φ(x[i]) + x[i]·φ(x[i])), the gradient of
// GELU, from the input x, the cdf that GELU stored and the incoming gradient
// gy; φ is the standard normal density. gx may alias gy. It panics if the
// lengths differ.
func GELUBackward(x, cdf, gy, gx []float32) {
	if len(cdf) != len(x) || len(gy) != len(x) || len(gx) != len(x) {
		panic(fmt.Sprintf("kernels.GELUBackward: lengths differ: x %d, cdf %d, gy %d, gx %d", len(x), len(cdf), len(gy), len(gx)))
	}
	if !ParallelPays(len(x), vectorGrain) {
		geluBackwardRange(x, cdf, gy, gx)
		return
	}
	ParallelForAligned(len(x), 16, vectorGrain, func(lo, hi int) {
		geluBackwardRange(x[lo:hi], cdf[lo:hi], gy[lo:hi], gx[lo:hi])
	})
}

// geluBackwardRange is GELUBackward on one piece.
func geluBackwardRange(x, cdf, gy, gx []float32) {
	i := 0
	if n := len(x) &^ 7; n > 0 && useAsmVector() {
		geluBackwardAsm(n, x, cdf, gy, gx)
		i = n
	}
	for ; i < len(x); i++ {
		v := x[i]
		gx[i] = gy[i] * (cdf[i] + v*invSqrt2Pi*expf32(-0.5*v*v))
	}
}

// invSqrt2Pi is 1/√(2π), the normal density's constant.
const invSqrt2Pi = 0.3989422804014327

// phi32 is the standard normal CDF Φ(x) = ½·erfc(-x/√2) in float32. erfc(z),
// z ≥ 0, is Numerical Recipes' erfcc Chebyshev fit (fractional error below
// 1.2e-7 for every z): t = 1/(1 + z/2), erfc(z) = t·exp(-z² + Q(t)); the
// other sign uses erfc(-z) = 2 - erfc(z). The absolute error is below 3e-7
// everywhere; in the negative tail the relative error is set by the float32
// rounding of z² (about 4e-6 at x = -8), where ½(1 + erf) in float32, as
// PyTorch computes it, has lost every digit.
func phi32(x float32) float32 {
	z := x * (math.Sqrt2 / 2) // |x|/√2
	if z < 0 {
		z = -z
	}
	t := 1 / (1 + 0.5*z)
	q := float32(0.17087277)
	q = q*t - 0.82215223
	q = q*t + 1.48851587
	q = q*t - 1.13520398
	q = q*t + 0.27886807
	q = q*t - 0.18628806
	q = q*t + 0.09678418
	q = q*t + 0.37409196
	q = q*t + 1.00002368
	q = q*t - 1.26551223
	tail := 0.5 * t * expf32(q-z*z) // Φ(-|x|)
	if x < 0 {
		return tail
	}
	return 1 - tail
}
