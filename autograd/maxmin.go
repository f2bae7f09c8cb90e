package autograd

import (
	"fmt"
	"math"
)

// Max and min: over all elements or some dims (Amax/Amin, gradient shared evenly
// among ties, as torch.amax), and along one dim with the winning indices
// (MaxDim/MinDim, gradient to the returned index, as torch.max(dim)).

// extremeRaw computes the max (sign=1) or min (sign=-1) of t over dims, in the
// keepdim shape, without recording. NaN wins, as in torch.
func extremeRaw(t *Tensor, dims []int, sign float32) (kshape []int, out []float32) {
	kshape = copyInts(t.shape)
	for _, d := range dims {
		kshape[d] = 1
	}
	out = make([]float32, numel(kshape))
	for i := range out {
		out[i] = float32(math.Inf(-int(sign)))
	}
	ostrides := broadcastStrides(kshape, rowMajorStrides(kshape), t.shape)
	n, s := t.lastDim()
	so := 1
	if len(ostrides) > 0 {
		so = ostrides[len(ostrides)-1]
	}
	in := rowOffsets(t.shape, t.strides, t.offset)
	outRows := rowOffsets(t.shape, ostrides, 0)
	for r := range in {
		a, b := in[r], outRows[r]
		for j := 0; j < n; j++ {
			v := t.data[a+j*s]
			o := &out[b+j*so]
			if v*sign > *o*sign || v != v {
				if *o == *o { // keep the first NaN
					*o = v
				}
			}
		}
	}
	return kshape, out
}

// extreme is the recorded reduction behind Amax and Amin.
func (t *Tensor) extreme(op string, sign float32, keepdim bool, dims []int) *Tensor {
	if t.Numel() == 0 {
		panic(fmt.Sprintf("autograd.%s: reduction over an empty tensor of shape %v", op, t.shape))
	}
	nd := normDims(op, dims, len(t.shape))
	kshape, data := extremeRaw(t, nd, sign)
	shape := kshape
	if !keepdim {
		shape = dropDims(kshape, nd)
	}
	out := fromData(data, shape)
	if recording(t) {
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			// Share the gradient evenly among the elements equal to the extreme.
			best := fromData(data, kshape)
			mask := t.Detach().Eq(best)
			count := mask.SumKeepDim(nd...)
			grads[0] = mask.Mul(g.Reshape(kshape...).Div(count))
		})
	}
	return out
}

// Amax is the largest element over the given dims (all if none).
func (t *Tensor) Amax(keepdim bool, dims ...int) *Tensor { return t.extreme("Amax", 1, keepdim, dims) }

// Amin is the smallest element over the given dims (all if none).
func (t *Tensor) Amin(keepdim bool, dims ...int) *Tensor {
	return t.extreme("Amin", -1, keepdim, dims)
}

// Max is the largest element of the whole tensor, as a scalar tensor.
func (t *Tensor) Max() *Tensor { return t.Amax(false) }

// Min is the smallest element of the whole tensor, as a scalar tensor.
func (t *Tensor) Min() *Tensor { return t.Amin(false) }

// argExtreme finds, along dim, the index of the max (sign=1) or min (sign=-1) of
// every slice; ties go to the first index. It returns the values and indices in
// row-major order of the remaining dims.
func argExtreme(op string, t *Tensor, dim int, sign float32) (d int, vals []float32, idx []int) {
	d = normDim(op, dim, len(t.shape))
	if t.shape[d] == 0 {
		panic(fmt.Sprintf("autograd.%s: dim %d of shape %v is empty", op, dim, t.shape))
	}
	x := t.Data()
	outer, n, inner := splitAt(t.shape, d)
	vals = make([]float32, outer*inner)
	idx = make([]int, outer*inner)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			base := o*n*inner + i
			best, bi := x[base], 0
			for k := 1; k < n && best == best; k++ {
				v := x[base+k*inner]
				if v*sign > best*sign || v != v {
					best, bi = v, k
				}
			}
			vals[o*inner+i] = best
			idx[o*inner+i] = bi
		}
	}
	return d, vals, idx
}

// splitAt views a shape as [outer, shape[dim], inner], the layout every
// along-one-dim op (softmax, argmax, concat, ...) loops over.
func splitAt(shape []int, dim int) (outer, n, inner int) {
	return numel(shape[:dim]), shape[dim], numel(shape[dim+1:])
}

// dimExtreme is the recorded op behind MaxDim and MinDim.
func (t *Tensor) dimExtreme(op string, sign float32, dim int, keepdim bool) (*Tensor, []int) {
	d, vals, idx := argExtreme(op, t, dim, sign)
	kshape := copyInts(t.shape)
	kshape[d] = 1
	shape := kshape
	if !keepdim {
		shape = dropDims(kshape, []int{d})
	}
	out := fromData(vals, shape)
	if recording(t) {
		inShape := t.shape
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			gin := Zeros(inShape...)
			gd := g.Data()
			outer, n, inner := splitAt(inShape, d)
			for o := 0; o < outer; o++ {
				for i := 0; i < inner; i++ {
					gin.data[o*n*inner+idx[o*inner+i]*inner+i] += gd[o*inner+i]
				}
			}
			grads[0] = gin
		})
	}
	return out, idx
}

// MaxDim returns the maximum along dim and its index for every slice (ties go to
// the first index), like torch.max(x, dim). The indices are in row-major order of
// the result's shape. The gradient flows to the chosen elements only.
func (t *Tensor) MaxDim(dim int, keepdim bool) (*Tensor, []int) {
	return t.dimExtreme("MaxDim", 1, dim, keepdim)
}

// MinDim is MaxDim for the minimum.
func (t *Tensor) MinDim(dim int, keepdim bool) (*Tensor, []int) {
	return t.dimExtreme("MinDim", -1, dim, keepdim)
}

// ArgMax returns the index of the maximum along dim for every slice, in row-major
// order of the other dims (one index per row for a [N, C] matrix and dim -1).
func (t *Tensor) ArgMax(dim int) []int {
	_, _, idx := argExtreme("ArgMax", t, dim, 1)
	return idx
}

// ArgMin returns the index of the minimum along dim for every slice.
func (t *Tensor) ArgMin(dim int) []int {
	_, _, idx := argExtreme("ArgMin", t, dim, -1)
	return idx
}
