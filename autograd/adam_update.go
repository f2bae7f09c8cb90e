package autograd

import (
	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// AdamUpdateScalars holds the per-tensor scalars of one Adam or AdamW step,
// as torch.optim computes them in float64 and rounds once to float32: Decay,
// L2, Beta1, Beta2, OneMinusBeta1, OneMinusBeta2, BC2Sqrt, Eps and StepSize
// (see AdamWUpdate for their meaning, and kernels.AdamStep for the fields).
// It is the kernel's own struct under a name package optim can reach: the
// kernel lives under autograd/internal, invisible outside autograd.
type AdamUpdateScalars = kernels.AdamStep

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
	kernels.AdamUpdate(s, w, g, m, v)
}
