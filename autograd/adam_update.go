package autograd

import (
	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// AdamUpdateScalars holds the per-tensor scalars of one Adam or AdamW step,
// as torch.optim computes them in float64 and rounds once to float32 (see
// AdamWUpdate for their meaning). It is a plain copy of the kernel's own
// struct, so that package optim can reach the fused kernel, which lives under
// autograd/internal and is therefore invisible outside autograd.
type AdamUpdateScalars struct {
	Decay         float32 // w ← Decay·w first: 1 − lr·λ for AdamW, 1 for Adam
	L2            float32 // d = g + L2·w: λ for Adam (an L2 penalty), 0 for AdamW
	Beta1, Beta2  float32 // decay of the moment averages
	OneMinusBeta1 float32 // 1 − β1, rounded from float64
	OneMinusBeta2 float32 // 1 − β2, rounded from float64
	BC2Sqrt       float32 // √(1 − β2^t), the second moment's bias correction
	Eps           float32 // added to the denominator
	StepSize      float32 // lr / (1 − β1^t), the first moment's bias correction folded in
}

// AdamWUpdate is the fused Adam/AdamW update of one parameter tensor, the
// per-element loop of optim.Adam.Step run by an AVX2 kernel (a Go loop off
// amd64). w (the parameter's data), its gradient g and the moments m and v,
// all of one length, are updated in place, element by element in torch's
// order:
//
//	w ← Decay·w;  d = g + L2·w
//	m ← β1·m + (1−β1)·d;  v ← β2·v + (1−β2)·d²
//	w ← w − StepSize·m / (√v / BC2Sqrt + Eps)
//
// It panics if the four slices differ in length. It exists because the
// optimizer step of a model with a 30522-word embedding spends most of its
// time in this loop.
func AdamWUpdate(s AdamUpdateScalars, w, g, m, v []float32) {
	kernels.AdamUpdate(kernels.AdamStep(s), w, g, m, v)
}
