package autograd

import (
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Activation functions: the nonlinearities between layers. GELU follows HF's
// "gelu" (exact, with erf); GELUTanh is HF's "gelu_new"/"gelu_pytorch_tanh".

// Tanh returns the hyperbolic tangent; d tanh/dx = 1 - tanh².
func (t *Tensor) Tanh() *Tensor {
	return t.unary("Tanh", func(x float32) float32 { return float32(math.Tanh(float64(x))) },
		func(x, y float32) float32 { return 1 - y*y })
}

// sigmoid is the logistic function 1/(1+e^-x), computed without overflow for
// large |x|.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Sigmoid returns σ(t) = 1/(1+e^-t); dσ/dx = σ(1-σ).
func (t *Tensor) Sigmoid() *Tensor {
	return t.unary("Sigmoid", func(x float32) float32 { return float32(sigmoid(float64(x))) },
		func(x, y float32) float32 { return y * (1 - y) })
}

// ReLU returns max(t, 0); its gradient at 0 is 0, as in torch.
func (t *Tensor) ReLU() *Tensor {
	return t.unary("ReLU", func(x float32) float32 {
		if x > 0 {
			return x
		}
		return 0
	}, func(x, y float32) float32 {
		if x > 0 {
			return 1
		}
		return 0
	})
}

// LeakyReLU returns x for x > 0 and slope·x otherwise.
func (t *Tensor) LeakyReLU(slope float32) *Tensor {
	return t.unary("LeakyReLU", func(x float32) float32 {
		if x > 0 {
			return x
		}
		return slope * x
	}, func(x, y float32) float32 {
		if x > 0 {
			return 1
		}
		return slope
	})
}

// GELU is the exact Gaussian error linear unit x·Φ(x) = ½x(1 + erf(x/√2)), HF's
// "gelu" (BERT's activation). dGELU/dx = Φ(x) + x·φ(x); the forward pass keeps
// Φ(x) so that the backward pass needs only one exp per element, not another erf.
// Both passes run in kernels.GELU/GELUBackward (float32 erfc, AVX2 on amd64).
func (t *Tensor) GELU() *Tensor {
	x := t.Data()
	y := newResultNoZero(len(x))
	if !recording(t) {
		// No graph will be recorded: nobody needs Φ, so it is not stored.
		kernels.GELU(x, y, nil)
		return fromData(y, t.shape)
	}
	cdf := newBufferNoZero(len(x)) // Φ(x), private to the backward pass
	kernels.GELU(x, y, cdf)
	out := fromData(y, t.shape)
	record("GELU", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
		gin := newResultNoZero(len(x))
		kernels.GELUBackward(x, cdf, g.Data(), gin)
		recycle(cdf)
		grads[0] = fromData(gin, t.shape)
	})
	return out
}

// GELUTanh is the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))), HF's
// "gelu_new" (GPT-2's activation). Both passes run in kernels.GELUTanh and
// GELUTanhBackward (x·σ(2u) with a float32 exponential, AVX2 and AVX-512 on
// amd64), within a few float32 ulps of the float64 formula; the backward
// pass recomputes σ from x, so nothing is stored beside the graph's input.
func (t *Tensor) GELUTanh() *Tensor {
	x := t.Data()
	y := newResultNoZero(len(x))
	kernels.GELUTanh(x, y)
	out := fromData(y, t.shape)
	if recording(t) {
		record("GELUTanh", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gin := newResultNoZero(len(x))
			kernels.GELUTanhBackward(x, g.Data(), gin)
			grads[0] = fromData(gin, t.shape)
		})
	}
	return out
}

// SiLU (swish) is x·σ(x); its derivative is σ(x)(1 + x(1-σ(x))).
func (t *Tensor) SiLU() *Tensor {
	return t.unary("SiLU", func(x float32) float32 {
		v := float64(x)
		return float32(v * sigmoid(v))
	}, func(x, y float32) float32 {
		v := float64(x)
		s := sigmoid(v)
		return float32(s * (1 + v*(1-s)))
	})
}

// Softplus is ln(1 + e^x), a smooth ReLU, computed stably; its derivative is σ(x).
func (t *Tensor) Softplus() *Tensor {
	return t.unary("Softplus", func(x float32) float32 {
		v := float64(x)
		return float32(math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))))
	}, func(x, y float32) float32 { return float32(sigmoid(float64(x))) })
}
