package autograd

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd/internal/kernels"
)

// Embedding looks up rows of weight ([num, dim]) by index: the result has shape
// idsShape + [dim] (idsShape nil means [len(ids)]). The backward pass adds each
// output row's gradient into the row it came from. The row paddingIdx (−1 for
// none) never receives gradient, as torch's padding_idx, so a [PAD] vector stays
// put during training. The lookup and the scatter-add are kernels.GatherRows and
// kernels.ScatterAddRows (row copies and vectorised row additions).
func Embedding(weight *Tensor, ids []int, idsShape []int, paddingIdx int) *Tensor {
	if weight.Dim() != 2 {
		panic(fmt.Sprintf("autograd.Embedding: weight must be 2-D [num_embeddings, dim], got shape %v", weight.shape))
	}
	if idsShape == nil {
		idsShape = []int{len(ids)}
	}
	if numel(idsShape) != len(ids) {
		panic(fmt.Sprintf("autograd.Embedding: %d ids do not fill idsShape %v", len(ids), idsShape))
	}
	num, dim := weight.shape[0], weight.shape[1]
	if paddingIdx < -1 || paddingIdx >= num {
		panic(fmt.Sprintf("autograd.Embedding: paddingIdx %d out of range for %d embeddings (use -1 for none)", paddingIdx, num))
	}
	for i, id := range ids {
		if id < 0 || id >= num {
			panic(fmt.Sprintf("autograd.Embedding: id %d at position %d out of range for %d embeddings (weight shape %v)", id, i, num, weight.shape))
		}
	}
	wd := weight.Data()
	out := newResultNoZero(len(ids) * dim)
	kernels.GatherRows(wd, dim, ids, out)
	var shapeBuf [inlineDims]int
	res := fromData(out, append(append(shapeBuf[:0], idsShape...), dim))
	ids = append([]int(nil), ids...) // the caller may reuse its slice
	if recording(weight) {
		record("Embedding", res, []*Tensor{weight}, func(g *Tensor, grads []*Tensor) {
			gd := g.Data()
			// A leaf weight (the usual case) accumulates in place: only the looked-up
			// rows are touched, not the whole vocabulary-sized matrix.
			gw := leafGrad(weight)
			direct := gw != nil
			if !direct {
				gw = Zeros(num, dim)
			}
			if paddingIdx < 0 {
				kernels.ScatterAddRows(gd, dim, ids, gw.data)
			} else {
				for i, id := range ids {
					if id != paddingIdx {
						kernels.Saxpy(1, gd[i*dim:(i+1)*dim], gw.data[id*dim:(id+1)*dim])
					}
				}
			}
			if direct {
				return
			}
			grads[0] = gw
		})
	}
	return res
}
