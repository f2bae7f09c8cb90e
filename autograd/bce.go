package autograd

import (
	"math"
)

// BCEWithLogits is binary cross-entropy on raw scores x with targets y in [0, 1]:
// −[y·log σ(x) + (1−y)·log(1−σ(x))], computed stably as
// max(x,0) − x·y + log(1 + e^−|x|), as torch's binary_cross_entropy_with_logits.
// The gradient is σ(x) − y for x and −x for y. reduction is "mean" (or ""),
// "sum" or "none".
func BCEWithLogits(logits, targets *Tensor, reduction string) *Tensor {
	checkSameShape("BCEWithLogits", logits, targets)
	x, y := logits.Data(), targets.Data()
	loss := make([]float32, len(x))
	for i := range x {
		v, t := float64(x[i]), float64(y[i])
		loss[i] = float32(math.Max(v, 0) - v*t + math.Log1p(math.Exp(-math.Abs(v))))
	}
	out := fromData(loss, logits.shape)
	if recording(logits, targets) {
		record("BCEWithLogits", out, []*Tensor{logits, targets}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gx := make([]float32, len(gd))
			gy := make([]float32, len(gd))
			for i := range gd {
				gx[i] = gd[i] * (float32(sigmoid(float64(x[i]))) - y[i])
				gy[i] = -gd[i] * x[i]
			}
			grads[0], grads[1] = fromData(gx, logits.shape), fromData(gy, logits.shape)
		})
	}
	return reduceLoss("BCEWithLogits", out, reduction)
}
