package autograd

import (
	"fmt"
)

// Gathering by integer indices: IndexSelect picks whole slices, Gather picks one
// element per position. Their gradients scatter-add back to the picked places.

// IndexSelect returns the slices of t at the given indices along dim, in that
// order (indices may repeat), as torch.index_select.
func (t *Tensor) IndexSelect(dim int, indices []int) *Tensor {
	d := normDim("IndexSelect", dim, t.Dim())
	size := t.shape[d]
	for i, ix := range indices {
		if ix < 0 || ix >= size {
			panic(fmt.Sprintf("autograd.IndexSelect: index %d at position %d out of range for dim %d of size %d (shape %v)", ix, i, dim, size, t.shape))
		}
	}
	idx := append([]int(nil), indices...)
	x := t.Data()
	outer, _, inner := splitAt(t.shape, d)
	shape := copyInts(t.shape)
	shape[d] = len(idx)
	out := Zeros(shape...)
	for o := 0; o < outer; o++ {
		for k, ix := range idx {
			copy(out.data[(o*len(idx)+k)*inner:(o*len(idx)+k+1)*inner], x[(o*size+ix)*inner:(o*size+ix+1)*inner])
		}
	}
	if recording(t) {
		inShape := t.shape
		record("IndexSelect", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := Zeros(inShape...)
			for o := 0; o < outer; o++ {
				for k, ix := range idx {
					dst := gin.data[(o*size+ix)*inner : (o*size+ix+1)*inner]
					for j, v := range gd[(o*len(idx)+k)*inner : (o*len(idx)+k+1)*inner] {
						dst[j] += v
					}
				}
			}
			grads[0] = gin
		})
	}
	return out
}

// Gather picks, for every position of an index tensor of shape indexShape (same
// number of dims as t), the element of t at that position with its dim-th
// coordinate replaced by the index there: out[i][j] = t[i][index[i][j]] for
// dim 1, as torch.gather. indexShape may be smaller than t's shape in every dim
// except dim. The result has shape indexShape.
func (t *Tensor) Gather(dim int, index []int, indexShape []int) *Tensor {
	d := normDim("Gather", dim, t.Dim())
	if len(indexShape) != t.Dim() {
		panic(fmt.Sprintf("autograd.Gather: index shape %v must have as many dims as the input shape %v", indexShape, t.shape))
	}
	if numel(indexShape) != len(index) {
		panic(fmt.Sprintf("autograd.Gather: %d indices do not fill index shape %v", len(index), indexShape))
	}
	for k := range indexShape {
		if k != d && indexShape[k] > t.shape[k] {
			panic(fmt.Sprintf("autograd.Gather: index shape %v exceeds input shape %v in dim %d", indexShape, t.shape, k))
		}
	}
	for i, ix := range index {
		if ix < 0 || ix >= t.shape[d] {
			panic(fmt.Sprintf("autograd.Gather: index %d at position %d out of range for dim %d of size %d (shape %v)", ix, i, dim, t.shape[d], t.shape))
		}
	}
	idx := append([]int(nil), index...)
	ishape := copyInts(indexShape)
	// Storage offset (in t's own strides) of every gathered element.
	offs := make([]int, len(idx))
	istr := rowMajorStrides(ishape)
	for p := range idx {
		off := t.offset
		rem := p
		for k := range ishape {
			c := rem / istr[k]
			rem -= c * istr[k]
			if k == d {
				c = idx[p]
			}
			off += c * t.strides[k]
		}
		offs[p] = off
	}
	out := Zeros(ishape...)
	for p, off := range offs {
		out.data[p] = t.data[off]
	}
	// Positions in a contiguous gradient of t's shape.
	cstr := rowMajorStrides(t.shape)
	gpos := make([]int, len(idx))
	for p := range idx {
		pos, rem := 0, p
		for k := range ishape {
			c := rem / istr[k]
			rem -= c * istr[k]
			if k == d {
				c = idx[p]
			}
			pos += c * cstr[k]
		}
		gpos[p] = pos
	}
	if recording(t) {
		inShape := t.shape
		record("Gather", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := Zeros(inShape...)
			for p, pos := range gpos {
				gin.data[pos] += gd[p]
			}
			grads[0] = gin
		})
	}
	return out
}
