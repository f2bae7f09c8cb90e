package autograd

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Reductions: Sum, Mean, Var, Std, Norm over one or more dims, with or without
// keeping the reduced dims (as size 1). With no dims listed they reduce over all.
// Sums accumulate in float64, so long reductions do not drift.

// sumRaw adds up t over the given (normalised) dims. It returns the sums in the
// keepdim shape (reduced dims set to 1), without recording a graph node.
func sumRaw(t *Tensor, dims []int) (kshape []int, out []float32) {
	kshape = copyInts(t.shape)
	for _, d := range dims {
		kshape[d] = 1
	}
	acc := make([]float64, numel(kshape))
	// Read the output buffer with stride 0 along reduced dims: every input element
	// lands on the sum it belongs to.
	ostrides := broadcastStrides(kshape, rowMajorStrides(kshape), t.shape)
	n, s := t.lastDim()
	so := 1
	if len(ostrides) > 0 {
		so = ostrides[len(ostrides)-1]
	}
	in := rowOffsets(t.shape, t.strides, t.offset)
	outRows := rowOffsets(t.shape, ostrides, 0)
	if so == 0 { // the last dim is summed: one sum per row
		for r := range in {
			a, b := in[r], outRows[r]
			var sum float64
			for j := 0; j < n; j++ {
				sum += float64(t.data[a+j*s])
			}
			acc[b] += sum
		}
	} else {
		// The last dim is kept (a bias gradient: Σ over rows): every
		// column j sums its rows in order, so columns split over
		// goroutines give the serial sums bit for bit.
		cols := func(j0, j1 int) {
			for r := range in {
				a, b := in[r], outRows[r]
				if s == 1 && so == 1 {
					kernels.AccumulateWide(acc[b+j0:b+j1], t.data[a+j0:a+j1])
					continue
				}
				for j := j0; j < j1; j++ {
					acc[b+j*so] += float64(t.data[a+j*s])
				}
			}
		}
		if grain := kernels.RowGrain(len(in)); kernels.ParallelPays(n, grain) {
			kernels.ParallelFor(n, grain, cols)
		} else {
			cols(0, n)
		}
	}
	out = make([]float32, len(acc))
	for i, v := range acc {
		out[i] = float32(v)
	}
	return kshape, out
}

// dropDims removes the given dims from a keepdim shape.
func dropDims(kshape []int, dims []int) []int {
	drop := make([]bool, len(kshape))
	for _, d := range dims {
		drop[d] = true
	}
	out := []int{}
	for i, s := range kshape {
		if !drop[i] {
			out = append(out, s)
		}
	}
	return out
}

// sum is the recorded reduction behind Sum and SumKeepDim.
func (t *Tensor) sum(op string, keepdim bool, dims []int) *Tensor {
	nd := normDims(op, dims, len(t.shape))
	kshape, data := sumRaw(t, nd)
	shape := kshape
	if !keepdim {
		shape = dropDims(kshape, nd)
	}
	out := fromData(data, shape)
	if recording(t) {
		inShape := t.shape
		record(op, out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			// Every input element contributed with weight 1: broadcast g back.
			grads[0] = g.Reshape(kshape...).Expand(inShape...)
		})
	}
	return out
}

// Sum adds the elements over the given dims (all dims if none), removing them.
func (t *Tensor) Sum(dims ...int) *Tensor { return t.sum("Sum", false, dims) }

// SumKeepDim is Sum keeping the reduced dims with size 1, ready to broadcast back.
func (t *Tensor) SumKeepDim(dims ...int) *Tensor { return t.sum("Sum", true, dims) }

// reducedCount is the number of elements that fall into one output of a
// reduction over dims.
func reducedCount(shape []int, dims []int) int {
	n := 1
	for _, d := range normDims("reduce", dims, len(shape)) {
		n *= shape[d]
	}
	return n
}

// Mean averages over the given dims (all if none), removing them.
func (t *Tensor) Mean(dims ...int) *Tensor {
	return t.Sum(dims...).MulScalar(1 / float32(reducedCount(t.shape, dims)))
}

// MeanKeepDim is Mean keeping the reduced dims with size 1.
func (t *Tensor) MeanKeepDim(dims ...int) *Tensor {
	return t.SumKeepDim(dims...).MulScalar(1 / float32(reducedCount(t.shape, dims)))
}

// Var is the variance over the given dims (all if none): the mean squared
// deviation from the mean, divided by N-1 when unbiased (torch's default,
// Bessel's correction) or by N when not (what LayerNorm uses).
func (t *Tensor) Var(unbiased, keepdim bool, dims ...int) *Tensor {
	n := reducedCount(t.shape, dims)
	denom := float32(n)
	if unbiased {
		denom = float32(n - 1)
	}
	d := t.Sub(t.MeanKeepDim(dims...))
	sq := d.Mul(d)
	var s *Tensor
	if keepdim {
		s = sq.SumKeepDim(dims...)
	} else {
		s = sq.Sum(dims...)
	}
	return s.DivScalar(denom)
}

// Std is the square root of Var.
func (t *Tensor) Std(unbiased, keepdim bool, dims ...int) *Tensor {
	return t.Var(unbiased, keepdim, dims...).Sqrt()
}

// Norm is the p-norm (Σ|x|^p)^(1/p) over the given dims (all if none): p=2 is the
// Euclidean length, p=1 the sum of absolute values, math.Inf(1) the largest
// absolute value. The 2-norm's gradient at zero is 0, as in torch.
func (t *Tensor) Norm(p float64, keepdim bool, dims ...int) *Tensor {
	reduce := func(x *Tensor) *Tensor {
		if keepdim {
			return x.SumKeepDim(dims...)
		}
		return x.Sum(dims...)
	}
	switch {
	case p == 1:
		return reduce(t.Abs())
	case p == 2:
		return t.norm2(keepdim, dims)
	case math.IsInf(p, 1):
		return t.Abs().Amax(keepdim, dims...)
	case p > 0:
		return reduce(t.Abs().PowScalar(float32(p))).PowScalar(float32(1 / p))
	}
	panic(fmt.Sprintf("autograd.Norm: p must be positive, got %v", p))
}

// norm2 is the Euclidean norm with a fused backward: d‖x‖/dx = x/‖x‖, taken as 0
// where the norm is 0 (instead of 0/0).
func (t *Tensor) norm2(keepdim bool, dims []int) *Tensor {
	nd := normDims("Norm", dims, len(t.shape))
	var out *Tensor
	NoGrad(func() {
		k, d := sumRaw(t.Mul(t), nd)
		for i, v := range d {
			d[i] = float32(math.Sqrt(float64(v)))
		}
		out = fromData(d, k)
		if !keepdim {
			out = fromData(d, dropDims(k, nd))
		}
	})
	kshape := copyInts(t.shape)
	for _, d := range nd {
		kshape[d] = 1
	}
	if recording(t) {
		record("Norm", out, []*Tensor{t}, func(g *Tensor, grads []*Tensor) {
			norm := out.Detach().Reshape(kshape...)
			safe := Where(norm.EqScalar(0), OnesLike(norm), norm)
			scale := g.Reshape(kshape...).Div(safe)
			grads[0] = t.Detach().Mul(scale)
		})
	}
	return out
}

// SumToSize sums a broadcast result back to shape: it adds over the leading dims
// that broadcasting created and over dims where shape has size 1. It is how the
// gradient of a broadcast op returns to its input's shape.
func (t *Tensor) SumToSize(shape ...int) *Tensor {
	if SameShape(t.shape, shape) {
		return t
	}
	lead := len(t.shape) - len(shape)
	if lead < 0 {
		panic(fmt.Sprintf("autograd.SumToSize: cannot sum shape %v to the larger rank %v", t.shape, shape))
	}
	var dims []int
	for i := range t.shape {
		j := i - lead
		switch {
		case j < 0:
			dims = append(dims, i)
		case shape[j] == 1 && t.shape[i] != 1:
			dims = append(dims, i)
		case shape[j] != t.shape[i]:
			panic(fmt.Sprintf("autograd.SumToSize: shape %v is not a broadcast of %v", t.shape, shape))
		}
	}
	if len(dims) == 0 {
		return t.Reshape(shape...)
	}
	return t.SumKeepDim(dims...).Reshape(shape...)
}
