package plots

import (
	"fmt"
	"math"
)

// EMA returns the exponential moving average of ys that TensorBoard draws over
// noisy loss curves: with weight w in [0, 1), the running average is
// a_t = w·a_{t-1} + (1-w)·y_t starting from a_{-1} = 0, and the output is
// debiased, s_t = a_t / (1 - w^(t+1)), so the first points are not dragged
// towards zero. w = 0 returns a copy of ys; larger w smooths more (0.6–0.9 is
// usual for loss curves). Non-finite values are skipped (they leave the
// average unchanged and their output is NaN). It panics if w is outside [0, 1).
func EMA(ys []float64, w float64) []float64 {
	if w < 0 || w >= 1 || math.IsNaN(w) {
		panic(fmt.Sprintf("plots.EMA: smoothing weight %g outside [0, 1)", w))
	}
	out := make([]float64, len(ys))
	avg, norm := 0.0, 1.0
	for i, y := range ys {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			out[i] = math.NaN()
			continue
		}
		avg = w*avg + (1-w)*y
		norm *= w
		out[i] = avg / (1 - norm)
	}
	return out
}
