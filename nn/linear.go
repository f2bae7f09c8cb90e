package nn

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// Linear is the affine layer y = x·Wᵀ + b, with W stored [out, in] as in
// torch.nn.Linear and HF checkpoints. Its parameters are named "weight" and "bias".
type Linear struct {
	Weight *autograd.Tensor // [OutFeatures, InFeatures]
	Bias   *autograd.Tensor // [OutFeatures], nil without bias

	InFeatures, OutFeatures int
}

// NewLinear makes a Linear layer with PyTorch's default initialisation:
// kaiming_uniform_(a=√5) for the weight, which is U(−1/√in, 1/√in), and the bias
// from the same U(−1/√in, 1/√in). The weight is drawn first, then the bias, from rng.
func NewLinear(in, out int, bias bool, rng *autograd.RNG) *Linear {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn.NewLinear: in_features %d and out_features %d must be positive", in, out))
	}
	if rng == nil {
		panic("nn.NewLinear: initialisation needs an RNG (autograd.NewRNG(seed))")
	}
	// gain = √(2/(1+a²)) = √(1/3) for a = √5; bound = √3·gain/√fan_in = 1/√fan_in.
	bound := float32(1 / math.Sqrt(float64(in)))
	l := &Linear{InFeatures: in, OutFeatures: out}
	l.Weight = autograd.Uniform(rng, -bound, bound, out, in).SetRequiresGrad(true)
	if bias {
		l.Bias = autograd.Uniform(rng, -bound, bound, out).SetRequiresGrad(true)
	}
	return l
}

// LinearFrom wraps existing tensors (weight [out, in], bias [out] or nil) as a
// Linear layer, checking their shapes. The tensors are used as they are.
func LinearFrom(weight, bias *autograd.Tensor) *Linear {
	if weight == nil || weight.Dim() != 2 {
		panic("nn.LinearFrom: weight must be a 2-D [out, in] tensor")
	}
	s := weight.Shape()
	if bias != nil && (bias.Dim() != 1 || bias.Size(0) != s[0]) {
		panic(fmt.Sprintf("nn.LinearFrom: bias of shape %v does not match weight of shape %v (want [%d])", bias.Shape(), s, s[0]))
	}
	return &Linear{Weight: weight, Bias: bias, InFeatures: s[1], OutFeatures: s[0]}
}

// Forward computes x·Wᵀ + b for x of shape [..., in].
func (l *Linear) Forward(x *autograd.Tensor) *autograd.Tensor {
	if x.Dim() == 0 || x.Size(-1) != l.InFeatures {
		panic(fmt.Sprintf("nn.Linear: input of shape %v, expected last dim %d (in_features)", x.Shape(), l.InFeatures))
	}
	return autograd.Linear(x, l.Weight, l.Bias)
}

// NamedParameters returns weight and bias (if any).
func (l *Linear) NamedParameters(prefix string) []NamedParameter {
	ps := []NamedParameter{{Join(prefix, "weight"), l.Weight}}
	if l.Bias != nil {
		ps = append(ps, NamedParameter{Join(prefix, "bias"), l.Bias})
	}
	return ps
}

// SetTraining does nothing: a Linear layer behaves the same in both modes.
func (l *Linear) SetTraining(bool) {}

// ExtraRepr is torch's: "in_features=4, out_features=2, bias=True".
func (l *Linear) ExtraRepr() string {
	return fmt.Sprintf("in_features=%d, out_features=%d, bias=%s", l.InFeatures, l.OutFeatures, pyBool(l.Bias != nil))
}

// String prints the layer as torch does.
func (l *Linear) String() string { return Repr(l) }

// pyBool spells a bool as Python does, for torch-like reprs.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
