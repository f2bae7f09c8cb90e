package autograd

import (
	"fmt"
)

// reduceLoss applies a loss reduction to per-element losses: "mean" (also the
// empty string), "sum", or "none" (the per-element losses themselves).
func reduceLoss(op string, losses *Tensor, reduction string) *Tensor {
	switch reduction {
	case "", "mean":
		return losses.Mean()
	case "sum":
		return losses.Sum()
	case "none":
		return losses
	}
	panic(fmt.Sprintf("autograd.%s: unknown reduction %q (want \"mean\", \"sum\" or \"none\")", op, reduction))
}

// checkSameShape panics unless the prediction and target shapes agree.
func checkSameShape(op string, pred, target *Tensor) {
	if !SameShape(pred.shape, target.shape) {
		panic(fmt.Sprintf("autograd.%s: input of shape %v and target of shape %v differ", op, pred.shape, target.shape))
	}
}
