package autograd

import (
	"sync/atomic"
)

// node is one recorded operation in the autodiff graph: the tensors it read and a
// function that turns the gradient of its output into gradients of its inputs
// (the chain rule, one op at a time). Backward frees a node after using it, so a
// finished graph does not keep activations alive.
//
// A node lives inside the tensor it produced (Tensor.opNode), so recording an
// op allocates only its backward closure.
type node struct {
	op       string       // the op's name, shown as grad_fn=<opBackward>
	inputs   []*Tensor    // the op's tensor inputs, in order
	backward backwardFunc // d(out)/d(inputs) applied to grad
	freed    bool         // set once Backward has run through this node

	// inputsBuf holds inputs, and gradsBuf their gradients during Backward,
	// for ops of at most three inputs (nearly all), so that neither list is
	// allocated.
	inputsBuf, gradsBuf [3]*Tensor

	// foreignStorage marks a Custom op's result, whose storage BackwardAndRecycle
	// must not recycle: its forward function may have returned memory it keeps.
	foreignStorage bool
}

// gradDisabled counts nested NoGrad calls; gradients are recorded only at zero.
var gradDisabled atomic.Int32

// IsGradEnabled reports whether ops currently record the graph (false inside NoGrad).
func IsGradEnabled() bool { return gradDisabled.Load() == 0 }

// NoGrad runs f without recording a graph: results of ops inside f do not require
// gradients, which saves memory and time during evaluation. Calls nest. The switch
// is process-wide, as a notebook runs one cell at a time.
func NoGrad(f func()) {
	gradDisabled.Add(1)
	defer gradDisabled.Add(-1)
	f()
}

// recording reports whether an op on inputs records a graph node: gradients
// are enabled and at least one input requires them. Ops test it before they
// build their backward function and input list, so that under NoGrad (and on
// inputs that need no gradient) they allocate neither.
func recording(inputs ...*Tensor) bool {
	if !IsGradEnabled() {
		return false
	}
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			return true
		}
	}
	return false
}

// backwardFunc is an op's chain rule. It receives grad, the gradient of the
// op's output (the output's shape, possibly a strided view: read it through
// Data or tensor ops), and sets grads[j] to the gradient of input j, of that
// input's shape, leaving nil the entries of inputs that need none. grads has
// one entry per input and arrives all nil. It runs at most once (Backward
// frees the node after it and refuses a graph already freed), so it may
// recycle the buffers its op saved for it.
type backwardFunc func(grad *Tensor, grads []*Tensor)

// record attaches a graph node to out when gradients are enabled and at least one
// input requires them. Every op calls record after computing its forward
// value, inside a test of recording on the same inputs.
func record(op string, out *Tensor, inputs []*Tensor, backward backwardFunc) {
	if !recording(inputs...) {
		return
	}
	out.requiresGrad = true
	n := &out.opNode
	n.op, n.backward = op, backward
	if len(inputs) <= len(n.inputsBuf) {
		n.inputs = append(n.inputsBuf[:0:len(n.inputsBuf)], inputs...)
	} else {
		n.inputs = append([]*Tensor(nil), inputs...)
	}
	out.node = n
}

// inputGrads returns the node's list for the gradients of its inputs, all
// nil: gradsBuf for up to three inputs.
func (n *node) inputGrads() []*Tensor {
	if len(n.inputs) <= len(n.gradsBuf) {
		return n.gradsBuf[:len(n.inputs):len(n.inputs)]
	}
	return make([]*Tensor, len(n.inputs))
}

// free drops what the node holds once Backward has run through it: the
// closure (and the activations it captured) and the links to its inputs. It
// keeps its name for printing.
func (n *node) free() {
	n.backward = nil
	clear(n.inputsBuf[:])
	clear(n.gradsBuf[:])
	n.inputs = nil
	n.freed = true
}
