package nn

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// Conv1D is HF's transformers.pytorch_utils.Conv1D, the affine layer GPT-2
// uses everywhere: despite the name it is a Linear layer with the weight
// stored the other way round, [in, out] (y = x·W + b), which is how OpenAI's
// original GPT-2 checkpoints store it and therefore how every GPT-2
// model.safetensors does. Its parameters are named "weight" and "bias".
// Loading such a weight into an nn.Linear (which wants [out, in]) would
// silently compute x·Wᵀ; keeping the layout in its own type avoids that.
type Conv1D struct {
	Weight *autograd.Tensor // [InFeatures, OutFeatures] (HF's [nx, nf])
	Bias   *autograd.Tensor // [OutFeatures]

	InFeatures, OutFeatures int
}

// NewConv1D makes an in→out Conv1D with HF's initialisation: weight
// N(0, std²) (HF's constructor uses std 0.02), bias zero.
func NewConv1D(in, out int, std float32, rng *autograd.RNG) *Conv1D {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn.NewConv1D: in_features %d and out_features %d must be positive", in, out))
	}
	if rng == nil {
		panic("nn.NewConv1D: initialisation needs an RNG (autograd.NewRNG(seed))")
	}
	w := autograd.Normal(rng, 0, std, in, out).SetRequiresGrad(true)
	return Conv1DFrom(w, autograd.Zeros(out).SetRequiresGrad(true))
}

// Conv1DFrom wraps existing tensors (weight [in, out], bias [out]) as a
// Conv1D layer, checking their shapes. The tensors are used as they are.
func Conv1DFrom(weight, bias *autograd.Tensor) *Conv1D {
	if weight == nil || weight.Dim() != 2 {
		panic("nn.Conv1DFrom: weight must be a 2-D [in, out] tensor")
	}
	s := weight.Shape()
	if bias == nil || bias.Dim() != 1 || bias.Size(0) != s[1] {
		panic(fmt.Sprintf("nn.Conv1DFrom: need a bias of shape [%d] for weight of shape %v", s[1], s))
	}
	return &Conv1D{Weight: weight, Bias: bias, InFeatures: s[0], OutFeatures: s[1]}
}

// Forward computes x·W + b for x of shape [..., in].
func (c *Conv1D) Forward(x *autograd.Tensor) *autograd.Tensor {
	if x.Dim() == 0 || x.Size(-1) != c.InFeatures {
		panic(fmt.Sprintf("nn.Conv1D: input of shape %v, expected last dim %d (in features)", x.Shape(), c.InFeatures))
	}
	return x.Contiguous().MatMul(c.Weight).Add(c.Bias)
}

// NamedParameters returns weight and bias.
func (c *Conv1D) NamedParameters(prefix string) []NamedParameter {
	return []NamedParameter{{Join(prefix, "weight"), c.Weight}, {Join(prefix, "bias"), c.Bias}}
}

// SetTraining does nothing: Conv1D behaves the same in both modes.
func (c *Conv1D) SetTraining(bool) {}

// ExtraRepr is HF's: "nf=96, nx=32" (out features, then in features).
func (c *Conv1D) ExtraRepr() string {
	return fmt.Sprintf("nf=%d, nx=%d", c.OutFeatures, c.InFeatures)
}

// String prints the layer as torch prints HF's Conv1D.
func (c *Conv1D) String() string { return Repr(c) }
