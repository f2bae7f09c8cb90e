package autograd

import (
	"fmt"
)

// Joining and splitting along a dim: Cat, Stack, Split, Chunk.

// Cat concatenates tensors along dim; all other dims must match. Each input's
// gradient is its slice of the output gradient.
func Cat(tensors []*Tensor, dim int) *Tensor {
	if len(tensors) == 0 {
		panic("autograd.Cat: no tensors to concatenate")
	}
	first := tensors[0]
	d := normDim("Cat", dim, first.Dim())
	shape := copyInts(first.shape)
	shape[d] = 0
	for i, t := range tensors {
		if t.Dim() != first.Dim() {
			panic(fmt.Sprintf("autograd.Cat: tensor %d has shape %v, tensor 0 has shape %v (different number of dims)", i, t.shape, first.shape))
		}
		for k := range t.shape {
			if k != d && t.shape[k] != first.shape[k] {
				panic(fmt.Sprintf("autograd.Cat: tensor %d has shape %v, tensor 0 has shape %v (dim %d differs; only dim %d may)", i, t.shape, first.shape, k, d))
			}
		}
		shape[d] += t.shape[d]
	}
	out := Zeros(shape...)
	starts := make([]int, len(tensors))
	pos := 0
	for i, t := range tensors {
		starts[i] = pos
		out.Slice(d, pos, pos+t.shape[d]).assign(t)
		pos += t.shape[d]
	}
	if recording(tensors...) {
		record("Cat", out, tensors, func(g *Tensor, grads []*Tensor) {
			for i, t := range tensors {
				if t.requiresGrad {
					grads[i] = g.Slice(d, starts[i], starts[i]+t.shape[d]).Contiguous()
				}
			}
		})
	}
	return out
}

// Stack joins same-shaped tensors along a new dim inserted at position dim.
func Stack(tensors []*Tensor, dim int) *Tensor {
	if len(tensors) == 0 {
		panic("autograd.Stack: no tensors to stack")
	}
	d := normDim("Stack", dim, tensors[0].Dim()+1)
	parts := make([]*Tensor, len(tensors))
	for i, t := range tensors {
		if !SameShape(t.shape, tensors[0].shape) {
			panic(fmt.Sprintf("autograd.Stack: tensor %d has shape %v, tensor 0 has shape %v (all must match)", i, t.shape, tensors[0].shape))
		}
		parts[i] = t.Unsqueeze(d)
	}
	return Cat(parts, d)
}

// Split cuts t along dim into pieces of size (the last may be smaller), as views.
func (t *Tensor) Split(size, dim int) []*Tensor {
	d := normDim("Split", dim, t.Dim())
	if size <= 0 {
		panic(fmt.Sprintf("autograd.Split: size must be positive, got %d", size))
	}
	var parts []*Tensor
	for s := 0; s < t.shape[d]; s += size {
		parts = append(parts, t.Slice(d, s, s+size))
	}
	return parts
}

// SplitSizes cuts t along dim into pieces of the given sizes, which must add up
// to the dim's size.
func (t *Tensor) SplitSizes(sizes []int, dim int) []*Tensor {
	d := normDim("SplitSizes", dim, t.Dim())
	total := 0
	for _, s := range sizes {
		total += s
	}
	if total != t.shape[d] {
		panic(fmt.Sprintf("autograd.SplitSizes: sizes %v add up to %d, but dim %d of shape %v has size %d", sizes, total, dim, t.shape, t.shape[d]))
	}
	parts := make([]*Tensor, len(sizes))
	pos := 0
	for i, s := range sizes {
		parts[i] = t.Slice(d, pos, pos+s)
		pos += s
	}
	return parts
}

// Chunk cuts t along dim into n pieces of equal size ceil(size/n) (the last may be
// smaller, and there may be fewer than n), as torch.chunk.
func (t *Tensor) Chunk(n, dim int) []*Tensor {
	if n <= 0 {
		panic(fmt.Sprintf("autograd.Chunk: number of chunks must be positive, got %d", n))
	}
	d := normDim("Chunk", dim, t.Dim())
	size := (t.shape[d] + n - 1) / n
	if size == 0 {
		return []*Tensor{t}
	}
	return t.Split(size, d)
}
