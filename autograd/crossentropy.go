package autograd

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// CrossEntropyOptions configures CrossEntropy like the keyword arguments of
// torch.nn.functional.cross_entropy. The zero value is torch's default.
type CrossEntropyOptions struct {
	// IgnoreIndex is the target value whose positions contribute no loss and no
	// gradient (padding, unmasked MLM positions). Because a Go struct cannot tell
	// "unset" from 0, the zero value means torch's default −100; to ignore class 0
	// itself use IgnoreClassZero.
	IgnoreIndex int
	// LabelSmoothing ε in [0, 1]: the target becomes (1−ε)·one-hot + ε/C uniform.
	LabelSmoothing float32
	// Reduction is "mean" (the default, also ""), "sum" or "none".
	Reduction string
}

// DefaultIgnoreIndex is torch's ignore_index default, the label HF uses for
// positions that must not count (−100).
const DefaultIgnoreIndex = -100

// IgnoreClassZero is the IgnoreIndex value that ignores targets equal to 0 (the
// field's zero value already means −100).
const IgnoreClassZero = math.MinInt32

// ignoreIndex resolves the zero-value rule.
func (o CrossEntropyOptions) ignoreIndex() int {
	switch o.IgnoreIndex {
	case 0:
		return DefaultIgnoreIndex
	case IgnoreClassZero:
		return 0
	}
	return o.IgnoreIndex
}

// CrossEntropy is the softmax cross-entropy between logits and integer class
// targets, as torch.nn.functional.cross_entropy: logits are [N, C] (or [C] for one
// sample; for more dims the class dim is the LAST one, [..., C], with one target
// per leading position — flatten torch-style [N, C, d] inputs first). Targets
// equal to the ignore index are skipped; with label smoothing ε the loss of a row
// is (1−ε)·(−log p_target) + ε·mean_c(−log p_c).
//
// Reduction "mean" divides the summed loss by the number of non-ignored targets
// (NaN if all are ignored, as torch); "none" returns one loss per target (0 at
// ignored positions), shaped like the leading dims.
func CrossEntropy(logits *Tensor, targets []int, opts CrossEntropyOptions) *Tensor {
	if logits.Dim() == 0 {
		panic("autograd.CrossEntropy: logits must be [N, C] or [C], got a scalar")
	}
	C := logits.shape[logits.Dim()-1]
	lead := logits.shape[:logits.Dim()-1]
	N := numel(lead)
	if len(targets) != N {
		panic(fmt.Sprintf("autograd.CrossEntropy: %d targets for logits of shape %v (expected %d, one per row)", len(targets), logits.shape, N))
	}
	ignore := opts.ignoreIndex()
	eps := float64(opts.LabelSmoothing)
	if eps < 0 || eps > 1 {
		panic(fmt.Sprintf("autograd.CrossEntropy: LabelSmoothing must be in [0, 1], got %v", opts.LabelSmoothing))
	}
	reduction := opts.Reduction
	if reduction == "" {
		reduction = "mean"
	}
	if reduction != "mean" && reduction != "sum" && reduction != "none" {
		panic(fmt.Sprintf("autograd.CrossEntropy: unknown reduction %q (want \"mean\", \"sum\" or \"none\")", opts.Reduction))
	}
	count := 0
	for i, t := range targets {
		if t == ignore {
			continue
		}
		if t < 0 || t >= C {
			panic(fmt.Sprintf("autograd.CrossEntropy: target %d at position %d out of range for %d classes (ignore index %d)", t, i, C, ignore))
		}
		count++
	}
	targets = append([]int(nil), targets...)

	// Per target row, only max and log Σ exp(x − max) are kept (shift =
	// max + logSum): log p_c = (x_c − max) − logSum, and the backward pass
	// recomputes p_c = exp(x_c − shift). No [N, C] matrix of log-probabilities
	// is stored, which for an MLM head is N × 30522 floats; ignored rows cost
	// nothing.
	x := logits.Data()
	losses := make([]float64, N)
	shift := make([]float32, N)
	// Rows are independent: large inputs are split over goroutines, each
	// piece with its own row of scratch; the losses are summed below, in
	// row order.
	forward := func(r0, r1 int) {
		scratch := newBufferNoZero(C) // one row of exponentials, internal to this loop
		for i := r0; i < r1; i++ {
			t := targets[i]
			if t == ignore {
				continue
			}
			row := x[i*C : (i+1)*C]
			mx, ls := kernels.LogSumExp(row, scratch)
			shift[i] = mx + ls
			loss := -(1 - eps) * float64((row[t]-mx)-ls)
			if eps > 0 {
				// Σ_c log p_c = Σ_c x_c − C·(max + logSum)
				var s float64
				for _, v := range row {
					s += float64(v)
				}
				loss -= eps * (s/float64(C) - float64(mx) - float64(ls))
			}
			losses[i] = loss
		}
		recycle(scratch)
	}
	if kernels.ParallelPays(N, kernels.RowGrain(C)) {
		kernels.ParallelFor(N, kernels.RowGrain(C), forward)
	} else {
		forward(0, N)
	}

	var out *Tensor
	// scale[i] is d(output)/d(loss_i) for the reductions; "none" uses g itself.
	var scale float64
	switch reduction {
	case "none":
		out = fromData(toFloat32(losses), lead)
	case "sum":
		var s float64
		for _, v := range losses {
			s += v
		}
		out = Scalar(float32(s))
		scale = 1
	case "mean":
		var s float64
		for _, v := range losses {
			s += v
		}
		out = Scalar(float32(s / float64(count)))
		scale = 1 / float64(count)
	}
	if recording(logits) {
		record("CrossEntropy", out, []*Tensor{logits}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			gin := newResultNoZero(N * C)
			backward := func(r0, r1 int) {
				for i := r0; i < r1; i++ {
					t := targets[i]
					if t == ignore {
						clear(gin[i*C : (i+1)*C])
						continue
					}
					w := scale * float64(gd[0])
					if reduction == "none" {
						w = float64(gd[i])
					}
					// d loss_i / d logit_c = p_c − (1−ε)·[c = t] − ε/C, with
					// p = exp(x − shift) from the vectorised kernel, scaled by w.
					grow := gin[i*C : (i+1)*C]
					kernels.ExpShift(x[i*C:(i+1)*C], shift[i], grow)
					wf, off := float32(w), float32(eps/float64(C))
					if off == 0 {
						// p − 0 is p: the same products, vectorised.
						kernels.Sscal(wf, grow)
					} else {
						for c, p := range grow {
							grow[c] = wf * (p - off)
						}
					}
					grow[t] -= wf * float32(1-eps)
				}
			}
			if kernels.ParallelPays(N, kernels.RowGrain(C)) {
				kernels.ParallelFor(N, kernels.RowGrain(C), backward)
			} else {
				backward(0, N)
			}
			grads[0] = fromData(gin, logits.shape)
		})
	}
	return out
}
