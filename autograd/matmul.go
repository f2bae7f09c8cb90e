package autograd

import (
	"fmt"

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

// matMul is MatMul with the product scaled by alpha, a power of two.
func (t *Tensor) matMul(u *Tensor, alpha float32) *Tensor {
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
	if u.Dim() == 2 && t.Dim() > 2 && t.IsContiguous() {
		outShape := append(copyInts(t.shape[:t.Dim()-1]), n)
		return t.Reshape(-1, k).matMul(u, alpha).Reshape(outShape...)
	}
	batch := broadcastShapes("MatMul", t.shape[:t.Dim()-2], u.shape[:u.Dim()-2])
	outShape := append(append(copyInts(batch), m), n)
	var out *Tensor
	if k > 0 {
		out = fromData(newResultNoZero(numel(outShape)), outShape) // beta = 0: every element written
	} else {
		out = Zeros(outShape...)
	}
	bmm(t, u, batch, m, n, k, alpha, out.data)
	op := "MatMul"
	if alpha != 1 {
		op = "MatMulDivScalar"
	}
	record(op, out, []*Tensor{t, u}, func(g *Tensor) []*Tensor {
		var gt, gu *Tensor
		if t.requiresGrad {
			gt = g.matMul(u.Detach().Transpose(-1, -2), alpha).SumToSize(t.shape...)
		}
		if u.requiresGrad {
			gu = t.Detach().Transpose(-1, -2).matMul(g, alpha).SumToSize(u.shape...)
		}
		return []*Tensor{gt, gu}
	})
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

// batchOffsets lists the storage offset of matrix number i of a batch, for the
// batch dims of x broadcast to batch.
func batchOffsets(x *Tensor, batch []int) []int {
	nd := x.Dim()
	bs := broadcastStrides(x.shape[:nd-2], x.strides[:nd-2], batch)
	return rowOffsets(append(copyInts(batch), 1), append(bs, 0), x.offset)
}

// bmm multiplies every matrix pair of the (broadcast) batch into out, which is
// contiguous [batch..., m, n], each product scaled by alpha.
func bmm(a, b *Tensor, batch []int, m, n, k int, alpha float32, out []float32) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		return // out is already zero
	}
	A, B := asGemmOperand(a), asGemmOperand(b)
	offA, offB := batchOffsets(A.t, batch), batchOffsets(B.t, batch)
	// One product per matrix of the batch, run in parallel when there are
	// enough (attention: one per sequence and head).
	kernels.SgemmOffsets(A.trans, B.trans, m, n, k, alpha, A.t.data, A.ld, offA, B.t.data, B.ld, offB, 0, out, n, m*n)
}
