package autograd

import (
	"math"
)

// Elementwise math on one tensor. Each op computes its values, then records a
// backward that multiplies the incoming gradient by the local derivative,
// written in terms of the input x and/or the output y.

// unary computes y = f(x) for every element and records dy/dx = df(x, y).
func (t *Tensor) unary(op string, f func(x float32) float32, df func(x, y float32) float32) *Tensor {
	out := mapRaw(t, f)
	if recording(t) {
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			x := t.Data()
			y := out.data
			gd := g.Data()
			gin := newResultNoZero(len(gd))
			for i := range gin {
				gin[i] = gd[i] * df(x[i], y[i])
			}
			grads[0] = fromData(gin, t.shape)
		})
	}
	return out
}

// Neg returns -t.
func (t *Tensor) Neg() *Tensor {
	return t.unary("Neg", func(x float32) float32 { return -x }, func(x, y float32) float32 { return -1 })
}

// Exp returns e^t.
func (t *Tensor) Exp() *Tensor {
	return t.unary("Exp", func(x float32) float32 { return float32(math.Exp(float64(x))) },
		func(x, y float32) float32 { return y })
}

// Log returns the natural logarithm of t (-Inf at 0, NaN below).
func (t *Tensor) Log() *Tensor {
	return t.unary("Log", func(x float32) float32 { return float32(math.Log(float64(x))) },
		func(x, y float32) float32 { return 1 / x })
}

// Sqrt returns the square root of t.
func (t *Tensor) Sqrt() *Tensor {
	return t.unary("Sqrt", func(x float32) float32 { return float32(math.Sqrt(float64(x))) },
		func(x, y float32) float32 { return 0.5 / y })
}

// Rsqrt returns 1/√t.
func (t *Tensor) Rsqrt() *Tensor {
	return t.unary("Rsqrt", func(x float32) float32 { return float32(1 / math.Sqrt(float64(x))) },
		func(x, y float32) float32 { return -0.5 * y / x })
}

// Square returns t².
func (t *Tensor) Square() *Tensor {
	return t.unary("Square", func(x float32) float32 { return x * x }, func(x, y float32) float32 { return 2 * x })
}

// Reciprocal returns 1/t.
func (t *Tensor) Reciprocal() *Tensor {
	return t.unary("Reciprocal", func(x float32) float32 { return 1 / x }, func(x, y float32) float32 { return -y * y })
}

// Abs returns |t|; its gradient at 0 is 0, as in torch.
func (t *Tensor) Abs() *Tensor {
	return t.unary("Abs", func(x float32) float32 { return float32(math.Abs(float64(x))) },
		func(x, y float32) float32 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return 0
		})
}

// Sin returns sin(t).
func (t *Tensor) Sin() *Tensor {
	return t.unary("Sin", func(x float32) float32 { return float32(math.Sin(float64(x))) },
		func(x, y float32) float32 { return float32(math.Cos(float64(x))) })
}

// Cos returns cos(t).
func (t *Tensor) Cos() *Tensor {
	return t.unary("Cos", func(x float32) float32 { return float32(math.Cos(float64(x))) },
		func(x, y float32) float32 { return -float32(math.Sin(float64(x))) })
}

// Clamp limits every element to [lo, hi]; use float32(math.Inf(±1)) for a
// one-sided clamp. The gradient passes where lo ≤ x ≤ hi and is 0 outside.
func (t *Tensor) Clamp(lo, hi float32) *Tensor {
	return t.unary("Clamp", func(x float32) float32 {
		if x < lo {
			return lo
		}
		if x > hi {
			return hi
		}
		return x
	}, func(x, y float32) float32 {
		if x < lo || x > hi {
			return 0
		}
		return 1
	})
}

// ClampMin limits every element to at least lo.
func (t *Tensor) ClampMin(lo float32) *Tensor { return t.Clamp(lo, float32(math.Inf(1))) }

// ClampMax limits every element to at most hi.
func (t *Tensor) ClampMax(hi float32) *Tensor { return t.Clamp(float32(math.Inf(-1)), hi) }
