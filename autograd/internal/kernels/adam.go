package kernels

import (
	"fmt"
	"math"
)

// AdamStep holds the scalars of one Adam or AdamW update of one tensor, as
// torch.optim computes them (in float64, rounded once to float32) from the
// learning rate lr, the betas β1, β2, eps, the weight decay λ and the step
// count t. It exists so that the per-element loop, which is most of an
// optimizer step's time for a large embedding matrix, can run in assembly.
type AdamStep struct {
	Decay         float32 // w ← Decay·w first: 1 − lr·λ for AdamW, 1 for Adam
	L2            float32 // d = g + L2·w: λ for Adam (an L2 penalty), 0 for AdamW
	Beta1, Beta2  float32 // decay of the moment averages
	OneMinusBeta1 float32 // 1 − β1, rounded from float64
	OneMinusBeta2 float32 // 1 − β2, rounded from float64
	BC2Sqrt       float32 // √(1 − β2^t), the second moment's bias correction
	Eps           float32 // added to the denominator
	StepSize      float32 // lr / (1 − β1^t), the first moment's bias correction folded in
}

// AdamUpdate applies one step to the parameters w in place, given their
// gradient g and the running moments m and v (updated in place), element by
// element exactly in torch's order:
//
//	w ← Decay·w;  d = g + L2·w
//	m ← β1·m + (1−β1)·d;  v ← β2·v + (1−β2)·d²
//	w ← w − StepSize·m / (√v / BC2Sqrt + Eps)
//
// The assembly path fuses some multiply-adds, so results can differ from the
// Go loop in the last bit. It panics if the four slices differ in length.
func AdamUpdate(s AdamStep, w, g, m, v []float32) {
	if len(g) != len(w) || len(m) != len(w) || len(v) != len(w) {
		panic(fmt.Sprintf("kernels.AdamUpdate: lengths differ: w %d, g %d, m %d, v %d", len(w), len(g), len(m), len(v)))
	}
	if !ParallelPays(len(w), vectorGrain) {
		adamRange(&s, w, g, m, v)
		return
	}
	sc := s // only this branch's copy is captured, and so moved to the heap
	ParallelForAligned(len(w), 16, vectorGrain, func(lo, hi int) {
		adamRange(&sc, w[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi])
	})
}

// adamRange is AdamUpdate on one piece.
func adamRange(s *AdamStep, w, g, m, v []float32) {
	i := 0
	if n := len(w) &^ 7; n > 0 && useAsmVector() {
		adamAsm(n, s, w, g, m, v)
		i = n
	}
	adamGo(s, w[i:], g[i:], m[i:], v[i:])
}

// adamGo is the portable AdamUpdate loop, on slices of equal length.
func adamGo(s *AdamStep, w, g, m, v []float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		d := g[i]
		w[i] *= s.Decay
		if s.L2 != 0 {
			d += s.L2 * w[i]
		}
		m[i] = m[i]*s.Beta1 + s.OneMinusBeta1*d
		v[i] = v[i]*s.Beta2 + s.OneMinusBeta2*d*d
		denom := sqrt32(v[i])/s.BC2Sqrt + s.Eps
		w[i] += -s.StepSize * m[i] / denom
	}
}

// sqrt32 is the correctly rounded float32 square root (float64 sqrt of a
// float32 rounds to the same value, and the compiler emits SQRTSD).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
