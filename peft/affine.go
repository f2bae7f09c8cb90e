package peft

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// affine is the weight view of a layer that LoRA and IA3 adapt. PEFT wraps
// two kinds, whatever the model: torch.nn.Linear, weight [out, in], and
// transformers' Conv1D (GPT-2), weight [in, out]. The second is what PEFT
// calls fan_in_fan_out: the adapter math is the same, only a merged update
// is transposed into the weight's layout.
type affine struct {
	weight, bias *autograd.Tensor // bias may be nil
	in, out      int
	fanInFanOut  bool // weight is [in, out] (Conv1D)
}

// affineOf returns the weight view of l, or false when l is neither an
// *nn.Linear nor an *nn.Conv1D.
func affineOf(l nn.Module) (affine, bool) {
	switch t := l.(type) {
	case *nn.Linear:
		return affine{weight: t.Weight, bias: t.Bias, in: t.InFeatures, out: t.OutFeatures}, true
	case *nn.Conv1D:
		return affine{weight: t.Weight, bias: t.Bias, in: t.InFeatures, out: t.OutFeatures, fanInFanOut: true}, true
	}
	return affine{}, false
}

// weights is the base layer's weight view.
func (l *LoraLinear) weights() affine { w, _ := affineOf(l.inner()); return w }

// weights is the base layer's weight view.
func (l *IA3Linear) weights() affine { w, _ := affineOf(l.inner()); return w }

// extraRepr describes the wrapped layer as torch's repr does.
func extraRepr(l nn.Layer) string {
	if r, ok := l.(interface{ ExtraRepr() string }); ok {
		return r.ExtraRepr()
	}
	return ""
}

// fanInFanOutRule applies PEFT's rule (dispatch_default / _create_new_module)
// for a target whose layout is conv (Conv1D) or not: the config's
// fan_in_fan_out is set to the layout's, with a warning when it said
// otherwise. method names the config in the warning.
func (m *Model) fanInFanOutRule(flag *bool, conv bool, path, method string) {
	if *flag == conv {
		return
	}
	if conv {
		m.warn("%s.fan_in_fan_out is false but the target module %s is a Conv1D; setting fan_in_fan_out to true", method, path)
	} else {
		m.warn("%s.fan_in_fan_out is true but the target module %s is an nn.Linear; setting fan_in_fan_out to false", method, path)
	}
	*flag = conv
}
