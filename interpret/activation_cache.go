package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// ActivationCache holds every hidden state of one forward pass, recorded on
// the encoder's hook seam: States[0] is the embedding output and States[i]
// the output of layer i−1, each [batch, T, hidden]. It is the "clean run"
// that patching copies from.
type ActivationCache struct {
	States []*autograd.Tensor
	// Scores are the target's scores of the run, one per batch row.
	Scores []float64
}

// RunWithCache runs the target on in and records every hidden state.
func RunWithCache(t *Target, in *bert.Inputs) (*ActivationCache, error) {
	nn.Eval(t.Module)
	c := &ActivationCache{}
	err := withHook(t.Bert, func(i int, h *autograd.Tensor) *autograd.Tensor {
		c.States = append(c.States, h.Detach().Contiguous().Clone())
		return nil
	}, func() error {
		var err error
		c.Scores, err = scoresOf(t, in)
		return err
	})
	return c, err
}

// State returns hidden state index layer (0 = embeddings) of batch row b at
// token position p, as a [hidden] vector.
func (c *ActivationCache) State(layer, b, p int) []float32 {
	if layer < 0 || layer >= len(c.States) {
		panic(fmt.Sprintf("interpret: hidden state %d out of range [0, %d)", layer, len(c.States)))
	}
	s := c.States[layer]
	T, H := s.Size(1), s.Size(2)
	return s.Data()[(b*T+p)*H : (b*T+p+1)*H]
}

// Patch replaces one hidden vector during a forward pass: hidden state index
// Layer (0 = embedding output, i = output of layer i−1) at token Position of
// batch row Row (−1: every row) becomes Value.
type Patch struct {
	Layer, Position, Row int
	Value                []float32
}

// PatchesFrom makes the patches that copy the cached state of row 0 at
// layer into every row at each of positions.
func PatchesFrom(c *ActivationCache, layer int, positions []int) []Patch {
	var ps []Patch
	for _, p := range positions {
		ps = append(ps, Patch{Layer: layer, Position: p, Row: -1, Value: c.State(layer, 0, p)})
	}
	return ps
}

// RunWithPatches runs the target on in with the patched hidden vectors and
// returns its scores. Patching a run with its own clean cache reproduces the
// clean scores exactly; patching a corrupted run shows how much of the clean
// behaviour one state carries.
func RunWithPatches(t *Target, in *bert.Inputs, patches []Patch) ([]float64, error) {
	nn.Eval(t.Module)
	var s []float64
	err := withHook(t.Bert, patchHook(patches), func() error {
		var err error
		s, err = scoresOf(t, in)
		return err
	})
	return s, err
}

// patchHook is the encoder hook that applies patches.
func patchHook(patches []Patch) bert.LayerHook {
	return func(i int, h *autograd.Tensor) *autograd.Tensor {
		var mine []Patch
		for _, p := range patches {
			if p.Layer == i {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 {
			return nil
		}
		B, T, H := h.Size(0), h.Size(1), h.Size(2)
		data := append([]float32(nil), h.Contiguous().Data()...)
		for _, p := range mine {
			if p.Position < 0 || p.Position >= T || len(p.Value) != H || p.Row >= B {
				panic(fmt.Sprintf("interpret: patch at layer %d, position %d, row %d with %d values does not fit the hidden state [%d, %d, %d]",
					p.Layer, p.Position, p.Row, len(p.Value), B, T, H))
			}
			for b := 0; b < B; b++ {
				if p.Row < 0 || p.Row == b {
					copy(data[(b*T+p.Position)*H:], p.Value)
				}
			}
		}
		return autograd.New(data, B, T, H)
	}
}
