package autograd

import (
	"fmt"
)

// AddInPlace adds alpha·u (broadcast to t's shape) to t's own storage and returns
// t. It is the update step of gradient descent written without an optimizer,
// w ← w − lr·∇w:
//
//	w.AddInPlace(w.Grad(), -lr)
//
// Like torch's `with torch.no_grad(): w.add_(g, alpha=-lr)`, it is not recorded
// in any graph. It is allowed only on leaves: changing a value that an earlier op
// saved for its backward pass would silently corrupt that gradient. It writes
// through to every view sharing t's storage, so it refuses expanded tensors whose
// elements alias each other.
func (t *Tensor) AddInPlace(u *Tensor, alpha float32) *Tensor {
	if t.node != nil {
		panic(fmt.Sprintf("autograd.AddInPlace: tensor of shape %v is the output of %s; in-place updates are allowed only on leaves (Detach first)", t.shape, t.node.op))
	}
	if s := broadcastShapes("AddInPlace", u.shape, t.shape); !SameShape(s, t.shape) {
		panic(fmt.Sprintf("autograd.AddInPlace: update of shape %v does not broadcast to the tensor's shape %v", u.shape, t.shape))
	}
	for i, s := range t.strides {
		if s == 0 && t.shape[i] > 1 {
			panic(fmt.Sprintf("autograd.AddInPlace: tensor of shape %v is expanded (stride 0 in dim %d); its elements share storage", t.shape, i))
		}
	}
	src := u.Detach().Expand(t.shape...)
	n, s := t.lastDim()
	_, us := src.lastDim()
	dst := rowOffsets(t.shape, t.strides, t.offset)
	from := rowOffsets(src.shape, src.strides, src.offset)
	for r := range dst {
		a, b := dst[r], from[r]
		for j := 0; j < n; j++ {
			t.data[a+j*s] += alpha * src.data[b+j*us]
		}
	}
	return t
}
