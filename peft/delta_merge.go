package peft

import (
	"slices"

	"github.com/turinglab/turinglab/autograd"
)

// mergedDeltas is the record a layer keeps of which adapters' additive
// updates ΔW are folded into its base weight (W += ΔW), in the order they were
// merged, so that they can be subtracted again newest first.
//
// LoraLinear and SVDLinear share it: their merges differ only in how ΔW is
// computed (scaling · B A for LoRA, B (A ⊙ E) · lora_alpha / ranknum for
// AdaLoRA), which each passes in as its DeltaWeight method. IA3Linear does not
// use it: its merge multiplies the weight by a vector instead of adding to it.
type mergedDeltas []string

// has reports whether adapter name's update is in the weight.
func (m mergedDeltas) has(name string) bool { return slices.Contains(m, name) }

// add adds adapter name's update delta(name) to w in place, once: merging an
// adapter that is merged already does nothing.
func (m *mergedDeltas) add(w *autograd.Tensor, name string, delta func(name string) (*autograd.Tensor, error)) error {
	if m.has(name) {
		return nil
	}
	d, err := delta(name)
	if err != nil {
		return err
	}
	autograd.NoGrad(func() { w.AddInPlace(d, 1) })
	*m = append(*m, name)
	return nil
}

// subtractAll takes every merged update out of w again, the last merged
// first, and empties the record.
func (m *mergedDeltas) subtractAll(w *autograd.Tensor, delta func(name string) (*autograd.Tensor, error)) {
	for len(*m) > 0 {
		name := (*m)[len(*m)-1]
		*m = (*m)[:len(*m)-1]
		if d, err := delta(name); err == nil {
			autograd.NoGrad(func() { w.AddInPlace(d, -1) })
		}
	}
}
