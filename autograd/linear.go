package autograd

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Linear computes x·Wᵀ + b, the affine layer of every network, with W stored
// [out, in] as in torch.nn.Linear and HF checkpoints. x is [..., in], b is [out]
// or nil, the result [..., out]. Forward and backward are three GEMMs on the
// flattened rows of x, with no transposed copies:
//
//	y  = x·Wᵀ       (Sgemm with transB)
//	dx = dy·W
//	dW = dyᵀ·x      (Sgemm with transA), db = Σ_rows dy
//
// The bias is added to each row, and db summed, with kernels.Saxpy.
func Linear(x, w, b *Tensor) *Tensor {
	if w.Dim() != 2 {
		panic(fmt.Sprintf("autograd.Linear: weight must be 2-D [out, in], got shape %v", w.shape))
	}
	outF, inF := w.shape[0], w.shape[1]
	if x.Dim() == 0 || x.shape[x.Dim()-1] != inF {
		panic(fmt.Sprintf("autograd.Linear: input of shape %v does not end in in_features %d (weight shape %v)", x.shape, inF, w.shape))
	}
	if b != nil && (b.Dim() != 1 || b.shape[0] != outF) {
		panic(fmt.Sprintf("autograd.Linear: bias of shape %v, expected [%d] for weight shape %v", b.shape, outF, w.shape))
	}
	rows := x.Numel() / max(inF, 1)
	if inF == 0 {
		rows = numel(x.shape[:x.Dim()-1])
	}
	xd := x.Data()
	wd := w.Data()
	var y []float32
	if rows > 0 && outF > 0 && inF > 0 {
		y = newResultNoZero(rows * outF) // beta = 0: Sgemm writes every element
		kernels.Sgemm(false, true, rows, outF, inF, 1, xd, inF, wd, inF, 0, y, outF)
	} else {
		y = newResult(rows * outF)
	}
	if b != nil {
		bd := b.Data()
		if kernels.ParallelPays(rows, kernels.RowGrain(outF)) {
			kernels.ParallelFor(rows, kernels.RowGrain(outF), func(r0, r1 int) { addBiasRows(r0, r1, bd, y) })
		} else {
			addBiasRows(0, rows, bd, y)
		}
	}
	var shapeBuf [inlineDims]int
	out := fromData(y, append(append(shapeBuf[:0], x.shape[:x.Dim()-1]...), outF))
	if recording(x, w, b) {
		record("Linear", out, []*Tensor{x, w, b}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			var gx, gw, gb *Tensor
			if x.requiresGrad {
				if rows > 0 && outF > 0 && inF > 0 {
					gx = fromData(newResultNoZero(rows*inF), x.shape)
					kernels.Sgemm(false, false, rows, inF, outF, 1, gd, outF, wd, inF, 0, gx.data, inF)
				} else {
					gx = Zeros(x.shape...)
				}
			}
			if w.requiresGrad {
				// A leaf weight accumulates with beta = 1 straight into its Grad.
				beta := float32(1)
				dst := leafGrad(w)
				if dst == nil {
					dst, beta = Zeros(outF, inF), 0
					gw = dst
				}
				if rows > 0 && outF > 0 && inF > 0 {
					kernels.Sgemm(true, false, outF, inF, rows, 1, gd, outF, xd, inF, beta, dst.data, inF)
				}
			}
			if b != nil && b.requiresGrad {
				// Σ_rows dy, vectorised along the row (float32 sums, as torch).
				gb = Zeros(outF)
				for r := 0; r < rows; r++ {
					kernels.Saxpy(1, gd[r*outF:(r+1)*outF], gb.data)
				}
			}
			grads[0], grads[1], grads[2] = gx, gw, gb
		})
	}
	return out
}

// addBiasRows adds the bias b to rows r0 to r1-1 of y (rows of len(b)).
func addBiasRows(r0, r1 int, b, y []float32) {
	n := len(b)
	for r := r0; r < r1; r++ {
		kernels.Saxpy(1, b, y[r*n:(r+1)*n])
	}
}
