package nn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// LayerNorm normalises the last dimension (of size Dim) to zero mean and unit
// variance, then scales by "weight" and shifts by "bias" (the affine part,
// initialised to ones and zeros as in torch). HF's BERT uses eps = 1e-12.
type LayerNorm struct {
	Weight *autograd.Tensor // [Dim], nil without affine
	Bias   *autograd.Tensor // [Dim], nil without affine

	Dim int
	Eps float32
}

// NewLayerNorm makes an affine LayerNorm over a last dimension of size dim.
func NewLayerNorm(dim int, eps float32) *LayerNorm {
	l := NewLayerNormNoAffine(dim, eps)
	l.Weight = autograd.Ones(dim).SetRequiresGrad(true)
	l.Bias = autograd.Zeros(dim).SetRequiresGrad(true)
	return l
}

// NewLayerNormNoAffine makes a LayerNorm without weight and bias
// (torch's elementwise_affine=False).
func NewLayerNormNoAffine(dim int, eps float32) *LayerNorm {
	if dim <= 0 || eps < 0 {
		panic(fmt.Sprintf("nn.NewLayerNorm: need dim > 0 and eps >= 0, got dim %d eps %g", dim, eps))
	}
	return &LayerNorm{Dim: dim, Eps: eps}
}

// Forward normalises x of shape [..., Dim].
func (l *LayerNorm) Forward(x *autograd.Tensor) *autograd.Tensor {
	if x.Dim() == 0 || x.Size(-1) != l.Dim {
		panic(fmt.Sprintf("nn.LayerNorm: input of shape %v, expected last dim %d", x.Shape(), l.Dim))
	}
	return autograd.LayerNorm(x, l.Weight, l.Bias, l.Eps)
}

// NamedParameters returns weight and bias (none without affine).
func (l *LayerNorm) NamedParameters(prefix string) []NamedParameter {
	if l.Weight == nil {
		return nil
	}
	return []NamedParameter{{Join(prefix, "weight"), l.Weight}, {Join(prefix, "bias"), l.Bias}}
}

// SetTraining does nothing: LayerNorm behaves the same in both modes.
func (l *LayerNorm) SetTraining(bool) {}

// ExtraRepr is torch's: "(32,), eps=1e-12, elementwise_affine=True".
func (l *LayerNorm) ExtraRepr() string {
	return fmt.Sprintf("(%d,), eps=%s, elementwise_affine=%s", l.Dim, pyFloat(float64(l.Eps)), pyBool(l.Weight != nil))
}

// String prints the layer as torch does.
func (l *LayerNorm) String() string { return Repr(l) }

// pyFloat formats a float32 hyperparameter as Python prints a float: the
// shortest form ("1e-12", "1e-05", "0.1"), with ".0" on whole numbers.
func pyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 32)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}
