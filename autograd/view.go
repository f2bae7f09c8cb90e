package autograd

import (
	"fmt"
	"slices"
)

// Views: ops that change how storage is read (shape, strides, offset) without
// copying it. Each one records how to carry a gradient back to its input's shape.

// view returns a tensor that shares t's storage with new geometry.
func (t *Tensor) view(shape, strides []int, offset int) *Tensor {
	v := &Tensor{data: t.data, offset: offset}
	v.setDims(len(shape))
	copy(v.shape, shape)
	copy(v.strides, strides)
	return v
}

// appendInferredShape appends to out the requested shape with its one -1
// (if any) resolved so that it holds as many elements as from. out is a
// buffer on the caller's stack; the messages show copies of shape, which is
// often a caller's variadic arguments, so that it stays off the heap too.
func appendInferredShape(out []int, op string, from []int, shape []int) []int {
	start := len(out)
	out = append(out, shape...)
	n := numel(from)
	known, infer := 1, -1
	for i, s := range out[start:] {
		switch {
		case s == -1 && infer >= 0:
			panic(fmt.Sprintf("autograd.%s: only one dim can be -1 in %v", op, slices.Clone(shape)))
		case s == -1:
			infer = i
		case s < 0:
			panic(fmt.Sprintf("autograd.%s: invalid size %d in shape %v", op, s, slices.Clone(shape)))
		default:
			known *= s
		}
	}
	if infer >= 0 {
		if known == 0 || n%known != 0 {
			panic(fmt.Sprintf("autograd.%s: cannot reshape tensor of shape %v (%d elements) into %v", op, from, n, slices.Clone(shape)))
		}
		out[start+infer] = n / known
	}
	if numel(out[start:]) != n {
		panic(fmt.Sprintf("autograd.%s: cannot reshape tensor of shape %v (%d elements) into %v (%d elements)", op, from, n, slices.Clone(shape), numel(out[start:])))
	}
	return out
}

// Reshape returns the same elements in a new shape (one dim may be -1, inferred).
// It is a view when t is contiguous and a copy otherwise, like torch.reshape.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	var buf [inlineDims]int
	s := appendInferredShape(buf[:0], "Reshape", t.shape, shape)
	if !t.IsContiguous() {
		t = t.Contiguous()
	}
	return t.reshapeView("Reshape", s)
}

// View is Reshape that refuses to copy: it panics on a non-contiguous tensor, as
// torch.view does, so a student sees when a transpose broke contiguity.
func (t *Tensor) View(shape ...int) *Tensor {
	var buf [inlineDims]int
	s := appendInferredShape(buf[:0], "View", t.shape, shape)
	if !t.IsContiguous() {
		panic(fmt.Sprintf("autograd.View: tensor of shape %v with strides %v is not contiguous; use Reshape (which copies) or Contiguous first", t.shape, t.strides))
	}
	return t.reshapeView("View", s)
}

// Flatten merges all dims into one.
func (t *Tensor) Flatten() *Tensor { return t.Reshape(-1) }

// reshapeView views a contiguous tensor with a new shape.
func (t *Tensor) reshapeView(op string, shape []int) *Tensor {
	out := fromData(t.data, shape)
	out.offset = t.offset
	if recording(t) {
		inShape := t.shape
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			grads[0] = g.Reshape(inShape...)
		})
	}
	return out
}

// Permute reorders the dims: output dim i is input dim dims[i].
func (t *Tensor) Permute(dims ...int) *Tensor {
	if len(dims) != len(t.shape) {
		panic(fmt.Sprintf("autograd.Permute: got %d dims %v for a %d-d tensor of shape %v", len(dims), slices.Clone(dims), len(t.shape), t.shape))
	}
	var pbuf [inlineDims]int
	p := appendNormDims(pbuf[:0], "Permute", dims, len(t.shape))
	// view copies shape and strides, so up to inlineDims dims they can
	// live on the stack.
	var buf [2 * inlineDims]int
	shape, strides := buf[:0], buf[inlineDims:inlineDims]
	if len(p) > inlineDims {
		shape, strides = make([]int, 0, len(p)), make([]int, 0, len(p))
	}
	shape, strides = shape[:len(p)], strides[:len(p)]
	for i, d := range p {
		shape[i] = t.shape[d]
		strides[i] = t.strides[d]
	}
	out := t.view(shape, strides, t.offset)
	if recording(t) {
		inverse := make([]int, len(p))
		for i, d := range p {
			inverse[d] = i
		}
		record("Permute", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			grads[0] = g.Permute(inverse...)
		})
	}
	return out
}

// Transpose swaps two dims.
func (t *Tensor) Transpose(d0, d1 int) *Tensor {
	a := normDim("Transpose", d0, len(t.shape))
	b := normDim("Transpose", d1, len(t.shape))
	var buf [inlineDims]int
	p := buf[:0]
	for i := range t.shape {
		p = append(p, i)
	}
	p[a], p[b] = p[b], p[a]
	return t.Permute(p...)
}

// T transposes a 2-D tensor (matrix transpose).
func (t *Tensor) T() *Tensor {
	if len(t.shape) != 2 {
		panic(fmt.Sprintf("autograd.T: needs a 2-D tensor, got shape %v (use Transpose for n-d)", t.shape))
	}
	return t.Transpose(0, 1)
}

// Squeeze removes size-1 dims: the listed ones, or all of them if none is listed.
// Like torch, listing a dim whose size is not 1 leaves it in place.
func (t *Tensor) Squeeze(dims ...int) *Tensor {
	drop := make([]bool, len(t.shape))
	if len(dims) == 0 {
		for i, s := range t.shape {
			drop[i] = s == 1
		}
	} else {
		for _, d := range normDims("Squeeze", dims, len(t.shape)) {
			drop[d] = t.shape[d] == 1
		}
	}
	var shape, strides []int
	for i := range t.shape {
		if !drop[i] {
			shape = append(shape, t.shape[i])
			strides = append(strides, t.strides[i])
		}
	}
	return t.restride("Squeeze", shape, strides)
}

// Unsqueeze inserts a size-1 dim at position dim (which may be -1 for the end).
func (t *Tensor) Unsqueeze(dim int) *Tensor {
	d := normDim("Unsqueeze", dim, len(t.shape)+1)
	shape := make([]int, 0, len(t.shape)+1)
	strides := make([]int, 0, len(t.shape)+1)
	shape = append(shape, t.shape[:d]...)
	strides = append(strides, t.strides[:d]...)
	shape = append(shape, 1)
	strides = append(strides, 0)
	shape = append(shape, t.shape[d:]...)
	strides = append(strides, t.strides[d:]...)
	return t.restride("Unsqueeze", shape, strides)
}

// restride views t with a shape that holds the same elements in the same order
// (only size-1 dims added or removed); the gradient is reshaped back.
func (t *Tensor) restride(op string, shape, strides []int) *Tensor {
	if shape == nil {
		shape, strides = []int{}, []int{}
	}
	out := t.view(shape, strides, t.offset)
	if recording(t) {
		inShape := t.shape
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			grads[0] = g.Reshape(inShape...)
		})
	}
	return out
}

// Expand broadcasts size-1 dims (and new leading dims) to the given shape without
// copying: the expanded dims get stride 0. -1 keeps a dim's size. The gradient of
// an expanded dim is the sum over it.
func (t *Tensor) Expand(shape ...int) *Tensor {
	if len(shape) < len(t.shape) {
		panic(fmt.Sprintf("autograd.Expand: cannot expand shape %v to %v (fewer dims)", t.shape, shape))
	}
	target := copyInts(shape)
	off := len(shape) - len(t.shape)
	for i := range target {
		j := i - off
		if target[i] == -1 {
			if j < 0 {
				panic(fmt.Sprintf("autograd.Expand: -1 is not allowed for the new leading dim %d in %v", i, shape))
			}
			target[i] = t.shape[j]
		}
		if j >= 0 && t.shape[j] != 1 && t.shape[j] != target[i] {
			panic(fmt.Sprintf("autograd.Expand: cannot expand shape %v to %v (dim %d has size %d, not 1)", t.shape, shape, i, t.shape[j]))
		}
	}
	checkShape("Expand", target)
	strides := broadcastStrides(t.shape, t.strides, target)
	out := t.view(target, strides, t.offset)
	if recording(t) {
		inShape := t.shape
		record("Expand", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			grads[0] = g.SumToSize(inShape...)
		})
	}
	return out
}

// ExpandAs expands t to other's shape.
func (t *Tensor) ExpandAs(other *Tensor) *Tensor { return t.Expand(other.shape...) }

// Slice returns elements start..end-1 along dim, as a view. Negative start/end
// count from the end of the dim and out-of-range bounds are clamped, as in
// Python slicing x[start:end].
func (t *Tensor) Slice(dim, start, end int) *Tensor {
	return t.SliceStep(dim, start, end, 1)
}

// SliceStep is Slice with a positive step, x[start:end:step].
func (t *Tensor) SliceStep(dim, start, end, step int) *Tensor {
	d := normDim("Slice", dim, len(t.shape))
	if step <= 0 {
		panic(fmt.Sprintf("autograd.Slice: step must be positive, got %d", step))
	}
	size := t.shape[d]
	clamp := func(i int) int {
		if i < 0 {
			i += size
		}
		if i < 0 {
			return 0
		}
		if i > size {
			return size
		}
		return i
	}
	s, e := clamp(start), clamp(end)
	if e < s {
		e = s
	}
	n := (e - s + step - 1) / step
	shape := copyInts(t.shape)
	strides := copyInts(t.strides)
	shape[d] = n
	strides[d] = t.strides[d] * step
	out := t.view(shape, strides, t.offset+s*t.strides[d])
	if recording(t) {
		inShape := t.shape
		record("Slice", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gin := Zeros(inShape...)
			gin.SliceStep(d, s, e, step).assign(g)
			grads[0] = gin
		})
	}
	return out
}

// Narrow returns length elements of dim starting at start, as a view.
func (t *Tensor) Narrow(dim, start, length int) *Tensor {
	d := normDim("Narrow", dim, len(t.shape))
	if start < 0 || length < 0 || start+length > t.shape[d] {
		panic(fmt.Sprintf("autograd.Narrow: range [%d, %d) out of bounds for dim %d of size %d (shape %v)", start, start+length, dim, t.shape[d], t.shape))
	}
	return t.Slice(d, start, start+length)
}

// Select picks index i of dim and removes that dim, as a view (x[:, 0] in torch
// is x.Select(1, 0)). Negative i counts from the end.
func (t *Tensor) Select(dim, i int) *Tensor {
	d := normDim("Select", dim, len(t.shape))
	j := i
	if j < 0 {
		j += t.shape[d]
	}
	if j < 0 || j >= t.shape[d] {
		panic(fmt.Sprintf("autograd.Select: index %d out of range for dim %d of size %d (shape %v)", i, dim, t.shape[d], t.shape))
	}
	return t.Slice(d, j, j+1).Squeeze(d)
}

// assign copies src (broadcast to t's shape) into the storage t views. It is an
// in-place write outside autograd, used by backward functions on fresh buffers.
func (t *Tensor) assign(src *Tensor) {
	if !SameShape(src.shape, t.shape) {
		broadcastShapes("assign", src.shape, t.shape)
		src = src.Detach().Expand(t.shape...)
	}
	n, s := t.lastDim()
	sn, ss := src.lastDim()
	_ = sn
	dst := rowOffsets(t.shape, t.strides, t.offset)
	from := rowOffsets(src.shape, src.strides, src.offset)
	for r := range dst {
		a, b := dst[r], from[r]
		for j := 0; j < n; j++ {
			t.data[a+j*s] = src.data[b+j*ss]
		}
	}
}
