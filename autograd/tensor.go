package autograd

import (
	"fmt"
	"math"
)

// Tensor is an n-dimensional array of float32 values, stored row-major, together
// with the bookkeeping reverse-mode autodiff needs.
//
// Several tensors may share one storage slice: views (Transpose, Permute, Expand,
// Slice, Reshape of a contiguous tensor) differ only in shape, strides and
// offset. Element (i0, i1, ...) lives at data[offset + Σ ik·strides[k]].
//
// A tensor produced by an op on tensors that require gradients remembers that op
// (its node); Backward follows those nodes back to the leaves.
type Tensor struct {
	data    []float32 // storage, possibly shared with other views
	offset  int       // index in data of element (0, 0, ...)
	shape   []int     // size of each dim; empty for a scalar
	strides []int     // storage step of each dim; 0 for a broadcast (expanded) dim
	// shape never changes once the tensor is made, so backward functions
	// capture it without a copy; strides are set only while an op makes it.

	requiresGrad bool    // whether gradients flow to (or through) this tensor
	retainGrad   bool    // keep Grad on a non-leaf after Backward
	grad         *Tensor // accumulated gradient, same shape, contiguous
	node         *node   // the op that produced this tensor (&opNode); nil for a leaf
	opNode       node    // where record keeps the node, so it is no allocation of its own

	// dims holds shape and strides (inlineDims each) for tensors made by
	// fromData and Detach with at most inlineDims dims, so that a new tensor
	// is one allocation instead of three.
	dims [2 * inlineDims]int
}

// inlineDims is the number of dims whose shape and strides fit in a
// Tensor's own dims array (BERT's tensors have at most four).
const inlineDims = 4

// setDims gives t shape and strides slices of n dims, in its dims array when
// they fit (capacity capped, so an append never writes into the array).
func (t *Tensor) setDims(n int) {
	if n <= inlineDims {
		t.shape, t.strides = t.dims[:n:n], t.dims[inlineDims:inlineDims+n:inlineDims+n]
		return
	}
	b := make([]int, 2*n)
	t.shape, t.strides = b[:n:n], b[n:]
}

// fromData wraps a contiguous slice as a tensor without copying it. The slice must
// hold exactly numel(shape) values; internal callers guarantee it. shape is
// copied, so the caller may pass another tensor's.
func fromData(data []float32, shape []int) *Tensor {
	t := &Tensor{data: data}
	t.setDims(len(shape))
	copy(t.shape, shape)
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		t.strides[i] = s
		s *= shape[i]
	}
	return t
}

// Shape returns a copy of the tensor's dimensions (empty for a scalar).
func (t *Tensor) Shape() []int { return copyInts(t.shape) }

// Dim returns the number of dimensions (0 for a scalar).
func (t *Tensor) Dim() int { return len(t.shape) }

// Numel returns the number of elements.
func (t *Tensor) Numel() int { return numel(t.shape) }

// Size returns the size of one dim; negative dims count from the end.
func (t *Tensor) Size(dim int) int { return t.shape[normDim("Size", dim, len(t.shape))] }

// Strides returns a copy of the storage strides, for students exploring views.
func (t *Tensor) Strides() []int { return copyInts(t.strides) }

// IsContiguous reports whether the elements sit in storage in row-major order
// with no gaps, so Data can return the storage itself.
func (t *Tensor) IsContiguous() bool {
	expect := 1
	for i := len(t.shape) - 1; i >= 0; i-- {
		if t.shape[i] == 1 {
			continue
		}
		if t.strides[i] != expect {
			return false
		}
		expect *= t.shape[i]
	}
	return true
}

// Data returns the elements in row-major order. For a contiguous tensor this is
// the backing storage itself, so writes through it change the tensor (that is how
// optimizers update parameters); for any other view it is a fresh copy.
func (t *Tensor) Data() []float32 {
	n := t.Numel()
	if t.data == nil && n > 0 {
		panic(fmt.Sprintf("autograd: a tensor of shape %v was read after BackwardAndRecycle recycled its storage; read results before that call, or use Backward", t.shape))
	}
	if t.IsContiguous() {
		return t.data[t.offset : t.offset+n : t.offset+n]
	}
	out := make([]float32, n)
	t.copyInto(out)
	return out
}

// Float64s returns a fresh copy of the elements as float64, handy for plotting.
func (t *Tensor) Float64s() []float64 {
	d := t.Data()
	out := make([]float64, len(d))
	for i, v := range d {
		out[i] = float64(v)
	}
	return out
}

// Ints returns the elements rounded to the nearest integer, in row-major order:
// class targets for CrossEntropy computed with tensor ops, for instance.
func (t *Tensor) Ints() []int {
	d := t.Data()
	out := make([]int, len(d))
	for i, v := range d {
		out[i] = int(math.Round(float64(v)))
	}
	return out
}

// Item returns the value of a one-element tensor.
func (t *Tensor) Item() float32 {
	if t.Numel() != 1 {
		panic(fmt.Sprintf("autograd.Item: tensor of shape %v has %d elements; Item needs exactly one", t.shape, t.Numel()))
	}
	return t.data[t.offset]
}

// At returns one element by its index, one int per dim; negative indices count
// from the end of their dim.
func (t *Tensor) At(idx ...int) float32 {
	return t.data[t.storageIndex("At", idx)]
}

// Set writes one element by its index. It bypasses autograd: use it only on
// tensors that are not part of a graph (for example while building inputs).
func (t *Tensor) Set(v float32, idx ...int) {
	t.data[t.storageIndex("Set", idx)] = v
}

// storageIndex validates an index and maps it to a position in storage.
func (t *Tensor) storageIndex(op string, idx []int) int {
	if len(idx) != len(t.shape) {
		panic(fmt.Sprintf("autograd.%s: got %d indices %v for a tensor of shape %v", op, len(idx), idx, t.shape))
	}
	off := t.offset
	for k, i := range idx {
		j := i
		if j < 0 {
			j += t.shape[k]
		}
		if j < 0 || j >= t.shape[k] {
			panic(fmt.Sprintf("autograd.%s: index %d out of range for dim %d of size %d (shape %v)", op, i, k, t.shape[k], t.shape))
		}
		off += j * t.strides[k]
	}
	return off
}

// copyInto writes the tensor's elements in row-major order into dst (len Numel).
func (t *Tensor) copyInto(dst []float32) {
	if t.IsContiguous() {
		copy(dst, t.data[t.offset:t.offset+len(dst)])
		return
	}
	n, s := t.lastDim()
	k := 0
	for _, r := range rowOffsets(t.shape, t.strides, t.offset) {
		if s == 1 { // rows stored in order (a permutation of the outer dims): block copies
			copy(dst[k:k+n], t.data[r:r+n])
			k += n
			continue
		}
		for j := 0; j < n; j++ {
			dst[k] = t.data[r+j*s]
			k++
		}
	}
}

// lastDim returns the length and stride of the innermost dim (1, 1 for a scalar).
func (t *Tensor) lastDim() (n, stride int) {
	if len(t.shape) == 0 {
		return 1, 1
	}
	return t.shape[len(t.shape)-1], t.strides[len(t.strides)-1]
}

// rowOffsets lists the storage offset of the first element of every row (a row is
// the innermost dim) of a strided view, in row-major order. Strided loops use it
// to walk any view, expanded or permuted, with a simple inner loop.
func rowOffsets(shape, strides []int, offset int) []int {
	nd := len(shape)
	if numel(shape) == 0 {
		return nil
	}
	if nd <= 1 {
		return []int{offset}
	}
	out := make([]int, numel(shape[:nd-1]))
	fillOffsets(out, shape[:nd-1], strides[:nd-1], offset)
	return out
}

// fillOffsets writes into out, in row-major order, the storage offset of
// every index of the dims shape with strides, starting at offset: one
// entry per index, len(out) = numel(shape). It allocates nothing for up to
// eight dims.
func fillOffsets(out []int, shape, strides []int, offset int) {
	var small [8]int
	idx := scratchInts(&small, len(shape))
	off := offset
	for r := range out {
		out[r] = off
		// Advance the multi-index like an odometer.
		for k := len(shape) - 1; k >= 0; k-- {
			idx[k]++
			off += strides[k]
			if idx[k] < shape[k] {
				break
			}
			off -= strides[k] * shape[k]
			idx[k] = 0
		}
	}
}

// scratchInts returns n zeroed ints: small's first n when n fits (so a
// caller's stack array serves the common shapes), a new slice otherwise.
func scratchInts(small *[8]int, n int) []int {
	if n <= len(small) {
		return small[:n]
	}
	return make([]int, n)
}

// Contiguous returns a tensor with the same values laid out row-major without
// gaps: t itself when it already is, a copy otherwise (gradients flow through).
func (t *Tensor) Contiguous() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.Clone()
}

// Clone returns a copy with its own storage. Gradients flow back to t.
func (t *Tensor) Clone() *Tensor {
	data := newResultNoZero(t.Numel())
	t.copyInto(data)
	out := fromData(data, t.shape)
	if recording(t) {
		record("Clone", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) { grads[0] = g })
	}
	return out
}

// Detach returns a tensor sharing t's storage but cut off from the graph: it does
// not require gradients and no gradient flows through it.
func (t *Tensor) Detach() *Tensor {
	d := &Tensor{data: t.data, offset: t.offset}
	d.setDims(len(t.shape))
	copy(d.shape, t.shape)
	copy(d.strides, t.strides)
	return d
}

// Grad returns the gradient accumulated by Backward calls (nil before the first
// one). Only leaves, and non-leaves with RetainGrad, get one.
func (t *Tensor) Grad() *Tensor { return t.grad }

// SetGrad replaces the accumulated gradient (nil clears it). The gradient must
// have the tensor's shape.
func (t *Tensor) SetGrad(g *Tensor) {
	if g != nil && !SameShape(g.shape, t.shape) {
		panic(fmt.Sprintf("autograd.SetGrad: gradient of shape %v for a tensor of shape %v", g.shape, t.shape))
	}
	if g != nil && !g.IsContiguous() {
		g = g.Detach().Contiguous()
	}
	t.grad = g
}

// ZeroGrad sets the accumulated gradient to zero in place (keeping its buffer, so
// a training loop does not reallocate it every step).
func (t *Tensor) ZeroGrad() {
	if t.grad == nil {
		return
	}
	d := t.grad.Data()
	for i := range d {
		d[i] = 0
	}
}

// RequiresGrad reports whether gradients are tracked for this tensor.
func (t *Tensor) RequiresGrad() bool { return t.requiresGrad }

// IsLeaf reports whether the tensor was created by the user rather than by an op
// that recorded a graph node. Leaves keep their gradient after Backward.
func (t *Tensor) IsLeaf() bool { return t.node == nil }

// SetRequiresGrad turns gradient tracking on or off for a leaf and returns the
// tensor, so `w := autograd.RandN(rng, 3, 4).SetRequiresGrad(true)` reads well.
// Like torch, only leaves can change the flag.
func (t *Tensor) SetRequiresGrad(b bool) *Tensor {
	if t.node != nil {
		panic(fmt.Sprintf("autograd.SetRequiresGrad: tensor of shape %v is the output of %s, not a leaf; only leaves can change requires-grad (use Detach to get a leaf)", t.shape, t.node.op))
	}
	t.requiresGrad = b
	return t
}

// RetainGrad asks Backward to keep this non-leaf tensor's gradient in Grad, as
// torch's retain_grad does (saliency maps need the gradient of an embedding output).
func (t *Tensor) RetainGrad() *Tensor {
	if !t.requiresGrad {
		panic(fmt.Sprintf("autograd.RetainGrad: tensor of shape %v does not require grad", t.shape))
	}
	t.retainGrad = true
	return t
}

// GradFn names the op that produced the tensor ("" for a leaf), like torch's grad_fn.
func (t *Tensor) GradFn() string {
	if t.node == nil {
		return ""
	}
	return t.node.op + "Backward"
}
