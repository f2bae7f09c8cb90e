package autograd

import "fmt"

// CustomBackward is the hand-written backward of a Custom op: given grad, the
// gradient of the loss with respect to the op's output (out's shape), and the
// op's inputs and output, it returns one gradient per input, each of that
// input's shape, or nil for an input that needs none.
type CustomBackward func(grad *Tensor, inputs []*Tensor, out *Tensor) []*Tensor

// Custom applies an operation whose backward pass the caller writes by hand,
// like a torch.autograd.Function: forward computes the output from the inputs
// (with recording off, so its own ops leave no graph), and backward is
// recorded as the op's node under name, so Backward and GradCheck run it like
// any built-in op's. It is how a new op is added and tested: write both
// passes, then let GradCheck compare backward with central differences.
//
// The gradients backward returns are copied, so it may return its inputs,
// grad itself, or views of them. A gradient of the wrong shape, or the wrong
// number of gradients, panics with name and the shapes.
func Custom(name string, inputs []*Tensor, forward func(inputs []*Tensor) *Tensor, backward CustomBackward) *Tensor {
	var out *Tensor
	NoGrad(func() { out = forward(inputs) })
	if out == nil {
		panic(fmt.Sprintf("autograd.Custom(%q): forward returned nil", name))
	}
	out = out.Detach() // a new tensor, so the node below never lands on an input
	if recording(inputs...) {
		record(name, out, inputs, func(g *Tensor, grads []*Tensor) {
			returned := backward(g, inputs, out)
			if len(returned) != len(inputs) {
				panic(fmt.Sprintf("autograd.Custom(%q): backward returned %d gradients for %d inputs", name, len(returned), len(inputs)))
			}
			for i, gi := range returned {
				if gi == nil {
					continue
				}
				if !SameShape(gi.shape, inputs[i].shape) {
					panic(fmt.Sprintf("autograd.Custom(%q): backward returned a gradient of shape %v for input %d of shape %v", name, gi.shape, i, inputs[i].shape))
				}
				grads[i] = gi.Clone()
			}
		})
	}
	if out.node != nil {
		out.node.foreignStorage = true
	}
	return out
}
