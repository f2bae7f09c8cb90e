package autograd

import (
	"fmt"
	"slices"
	"sync"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// MatMul is the matrix product, following torch.matmul:
//   - 2-D × 2-D: [m,k]·[k,n] → [m,n];
//   - n-d: the last two dims are matrices and the leading (batch) dims broadcast,
//     e.g. attention's [B,H,T,d]·[B,H,d,T] → [B,H,T,T], or [B,T,d]·[d,e];
//   - a 1-D operand is a row vector on the left or a column vector on the right,
//     and its dim is removed from the result.
//
// The products run through kernels.Sgemm. Transposed views (x.Transpose(-1,-2))
// are passed to the kernel as transposed operands instead of being copied, which
// is also how the backward pass computes dA = dC·Bᵀ and dB = Aᵀ·dC.
func (t *Tensor) MatMul(u *Tensor) *Tensor { return t.matMul(u, 1) }

// MatMulDivScalar returns t.MatMul(u).DivScalar(s), bit for bit, in one
// product when 1/s is exact (s a power of two, as attention's √64 = 8): the
// GEMM then scales its sums by 1/s on their way to the result (its alpha),
// which saves a pass over the result and its memory, the size of the
// attention scores. Scaling by a power of two commutes with every rounding
// of the sums, so the result and the gradients are those of the two ops
// (unless a partial sum is subnormal). Other s run the two ops.
func (t *Tensor) MatMulDivScalar(u *Tensor, s float32) *Tensor {
	r, ok := exactReciprocal(s)
	if !ok {
		return t.MatMul(u).DivScalar(s)
	}
	return t.matMul(u, r)
}

// MatMulHeads returns t.MatMul(u) for attention's batched products,
// t [batch, heads, m, k] · u [batch, heads, k, n], with the result stored as
// [batch, m, heads, n] and returned as its [batch, heads, m, n] view: merging
// the heads afterwards (Permute(0, 2, 1, 3), then Reshape to [batch, m,
// heads·n], nn.MergeHeads) is then a view instead of a copy. Values and
// gradients are MatMul's, bit for bit: every product is the same, only where
// it is written differs.
func (t *Tensor) MatMulHeads(u *Tensor) *Tensor {
	if t.Dim() != 4 || u.Dim() != 4 {
		panic(fmt.Sprintf("autograd.MatMulHeads: operands of shapes %v and %v; want [batch, heads, m, k] and [batch, heads, k, n]", t.shape, u.shape))
	}
	h, m, n := max(t.shape[1], u.shape[1]), t.shape[2], u.shape[3]
	return t.matMulLaid(u, 1, []int{m * h * n, n, h * n, 1})
}

// matMul is MatMul with the product scaled by alpha, a power of two.
func (t *Tensor) matMul(u *Tensor, alpha float32) *Tensor { return t.matMulLaid(u, alpha, nil) }

// matMulLaid is matMul with the result stored with the given strides
// (describing a dense layout of the result's shape with a unit last stride)
// instead of contiguously, when both operands have at least 2 dims; nil
// strides, or strides that do not fit the result's rank, give a contiguous
// result.
func (t *Tensor) matMulLaid(u *Tensor, alpha float32, strides []int) *Tensor {
	if t.Dim() == 0 || u.Dim() == 0 {
		panic(fmt.Sprintf("autograd.MatMul: both operands need at least 1 dim, got shapes %v and %v", t.shape, u.shape))
	}
	kt := t.shape[t.Dim()-1]
	ku := u.shape[0]
	if u.Dim() > 1 {
		ku = u.shape[u.Dim()-2]
	}
	if kt != ku {
		panic(fmt.Sprintf("autograd.MatMul: shapes %v and %v cannot be multiplied (inner dims %d and %d differ)", t.shape, u.shape, kt, ku))
	}
	if t.Dim() == 1 || u.Dim() == 1 {
		// Promote vectors to matrices, multiply, then drop the added dims.
		a, b := t, u
		if t.Dim() == 1 {
			a = t.Unsqueeze(0)
		}
		if u.Dim() == 1 {
			b = u.Unsqueeze(1)
		}
		out := a.matMul(b, alpha)
		if u.Dim() == 1 {
			out = out.Squeeze(-1)
		}
		if t.Dim() == 1 {
			// The promoted row dim is now last if u was a vector too, else second-last.
			if u.Dim() == 1 {
				out = out.Squeeze(-1)
			} else {
				out = out.Squeeze(-2)
			}
		}
		return out
	}
	m, k := t.shape[t.Dim()-2], t.shape[t.Dim()-1]
	n := u.shape[u.Dim()-1]
	// [..., m, k]·[k, n]: fold the batch into the rows, one big product.
	if u.Dim() == 2 && t.Dim() > 2 && t.IsContiguous() && strides == nil {
		var shapeBuf [inlineDims]int
		outShape := append(append(shapeBuf[:0], t.shape[:t.Dim()-1]...), n)
		return t.Reshape(-1, k).matMul(u, alpha).Reshape(outShape...)
	}
	var shapeBuf [inlineDims]int
	outShape := append(appendBroadcastShape(shapeBuf[:0], "MatMul", t.shape[:t.Dim()-2], u.shape[:u.Dim()-2]), m, n)
	batch := outShape[:len(outShape)-2]
	var out *Tensor
	if k > 0 {
		out = fromData(newResultNoZero(numel(outShape)), outShape) // beta = 0: every element written
	} else {
		out = Zeros(outShape...)
	}
	if len(strides) == len(outShape) {
		copy(out.strides, strides)
	}
	bmm(t, u, batch, m, n, k, alpha, out)
	op := "MatMul"
	if alpha != 1 {
		op = "MatMulDivScalar"
	}
	if recording(t, u) {
		outShape := out.shape // not shapeBuf, which then stays on the stack
		record(op, out, []*Tensor{t, u}, func(g *Tensor, grads []*Tensor) {
			// Each gradient is laid out like its input when it can be (an
			// attention head's query or value, a permuted view of a projection):
			// the backward passes of the views that made the input (Permute,
			// Reshape) then give a contiguous gradient instead of copying it.
			var gt, gu *Tensor
			if t.requiresGrad {
				gt = g.matMulLaid(u.Detach().Transpose(-1, -2), alpha, gradStrides(t, outShape)).SumToSize(t.shape...)
			}
			if u.requiresGrad {
				gu = t.Detach().Transpose(-1, -2).matMulLaid(g, alpha, gradStrides(u, outShape)).SumToSize(u.shape...)
			}
			grads[0], grads[1] = gt, gu
		})
	}
	return out
}

// gradStrides returns the strides of x, an operand of a batched product with
// result shape outShape, when its gradient can be stored in x's own layout:
// x has the product's full batch (no broadcast dims, which SumToSize would
// reduce), a unit last stride, and strides that describe a dense layout (a
// permutation of its dims stored contiguously, as Permute of a contiguous
// tensor gives). Otherwise it returns nil, for a contiguous gradient.
func gradStrides(x *Tensor, outShape []int) []int {
	nd := x.Dim()
	if nd < 3 || nd != len(outShape) || !SameShape(x.shape[:nd-2], outShape[:nd-2]) || x.strides[nd-1] != 1 || x.IsContiguous() {
		return nil
	}
	// Order the dims by decreasing stride; a dense layout has, in that
	// order, the strides of a contiguous tensor. Dims of size 1 never move
	// an address, so their strides do not matter.
	dims := make([]int, 0, nd)
	for d := range nd {
		if x.shape[d] > 1 {
			dims = append(dims, d)
		}
	}
	slices.SortStableFunc(dims, func(a, b int) int { return x.strides[b] - x.strides[a] })
	want := 1
	for i := len(dims) - 1; i >= 0; i-- {
		if x.strides[dims[i]] != want {
			return nil
		}
		want *= x.shape[dims[i]]
	}
	out := copyInts(x.strides)
	for d := range nd { // any stride will do for a dim of size 1; give it a valid one
		if x.shape[d] == 1 {
			out[d] = 0
		}
	}
	return out
}

// gemmOperand describes how a matrix view can be handed to Sgemm: either row-major
// (trans false) or as the transpose of a row-major matrix (trans true), with ld
// its leading dimension. Views that are neither are copied first.
type gemmOperand struct {
	t     *Tensor
	trans bool
	ld    int
}

// asGemmOperand inspects the last two dims of x (rows × cols).
func asGemmOperand(x *Tensor) gemmOperand {
	nd := x.Dim()
	rows, cols := x.shape[nd-2], x.shape[nd-1]
	rs, cs := x.strides[nd-2], x.strides[nd-1]
	if cs == 1 || cols == 1 {
		if rows == 1 || rs >= cols {
			return gemmOperand{t: x, trans: false, ld: max(rs, cols, 1)}
		}
	}
	if rs == 1 || rows == 1 {
		if cols == 1 || cs >= rows {
			return gemmOperand{t: x, trans: true, ld: max(cs, rows, 1)}
		}
	}
	// Neither layout (an expanded or doubly strided view): copy it row-major.
	return gemmOperand{t: x.Detach().Contiguous(), trans: false, ld: max(cols, 1)}
}

// batchOffsets writes into out (numel(batch) long) the storage offset of
// matrix number i of a batch, for the batch dims of x broadcast to batch.
func batchOffsets(out []int, x *Tensor, batch []int) {
	var small [8]int
	strides := scratchInts(&small, len(batch))
	nb := x.Dim() - 2
	lead := len(batch) - nb
	for i := range nb { // a broadcast dim keeps stride 0
		if x.shape[i] != 1 || batch[lead+i] == 1 {
			strides[lead+i] = x.strides[i]
		}
	}
	fillOffsets(out, batch, strides, x.offset)
}

// offsetBuffers holds bmm's offset lists between calls.
var offsetBuffers = sync.Pool{New: func() any { return new([]int) }}

// bmm multiplies every matrix pair of the (broadcast) batch into out, a
// [batch..., m, n] tensor with a unit last stride laid out densely (usually
// contiguous), each product scaled by alpha.
func bmm(a, b *Tensor, batch []int, m, n, k int, alpha float32, out *Tensor) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		return // out is already zero
	}
	A, B := asGemmOperand(a), asGemmOperand(b)
	nb := numel(batch)
	buf := offsetBuffers.Get().(*[]int)
	defer offsetBuffers.Put(buf)
	if cap(*buf) < 3*nb {
		*buf = make([]int, 3*nb)
	}
	offA, offB, offC := (*buf)[:nb], (*buf)[nb:2*nb], (*buf)[2*nb:3*nb]
	batchOffsets(offA, A.t, batch)
	batchOffsets(offB, B.t, batch)
	batchOffsets(offC, out, batch)
	ldc := max(out.strides[out.Dim()-2], n)
	// One product per matrix of the batch, run in parallel when there are
	// enough (attention: one per sequence and head).
	kernels.SgemmOffsets(A.trans, B.trans, m, n, k, alpha, A.t.data, A.ld, offA, B.t.data, B.ld, offB, 0, out.data, ldc, offC)
}
