package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/hf"
)

// Sublayer names the two residual blocks of a Layer whose outputs a
// SublayerHook sees (gpt2 has the same seam on its blocks).
type Sublayer int

// The residual blocks of a Layer.
const (
	// SublayerAttention is attention.output's Dropout(dense(context)), before
	// the residual add and its LayerNorm.
	SublayerAttention Sublayer = iota
	// SublayerMLP is output's Dropout(dense(intermediate)), the feed-forward
	// block's output before the residual add and its LayerNorm.
	SublayerMLP
)

// String names the sub-block ("attn", "mlp", as gpt2's do).
func (s Sublayer) String() string {
	switch s {
	case SublayerAttention:
		return "attn"
	case SublayerMLP:
		return "mlp"
	}
	return fmt.Sprintf("Sublayer(%d)", int(s))
}

// SublayerHook observes or replaces the output of layer's attention or
// feed-forward block ([batch, T, hidden]) just before it is added to the
// block's input and normalised (post-LN: LayerNorm(out + input)). It returns
// nil to leave it unchanged or a tensor of the same shape. Causal tracing
// restores these outputs through it (ROME's "attn" and "mlp" traces).
type SublayerHook func(layer int, kind Sublayer, out *autograd.Tensor) *autograd.Tensor

// AddSublayerHook registers h and returns a function that removes it again.
// Hooks run in the order they were added.
func (e *Encoder) AddSublayerHook(h SublayerHook) (remove func()) { return e.sublayerHooks.Add(h) }

// sublayerHook returns the function layer i's blocks call on their outputs,
// or nil when no sub-layer hook is registered.
func (e *Encoder) sublayerHook(layer int) func(Sublayer, *autograd.Tensor) *autograd.Tensor {
	if e.sublayerHooks.Len() == 0 {
		return nil
	}
	return func(kind Sublayer, out *autograd.Tensor) *autograd.Tensor {
		for fn := range e.sublayerHooks.All() {
			out = hf.Replaced("bert", fmt.Sprintf("layer %d %s output", layer, kind), out, fn(layer, kind, out))
		}
		return out
	}
}
