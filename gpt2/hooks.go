package gpt2

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/hf"
)

// The seams for looking inside the forward pass without forking it (the
// logit lens, activation patching, causal tracing), matching bert's:
//
//   - a StreamHook reads or replaces the residual stream between blocks;
//   - a SublayerHook reads or replaces a block's attention or MLP output
//     before it is added to the residual stream;
//   - Inputs.OutputAttentions and OutputHiddenStates report the attention
//     probabilities and HF's hidden_states.

// StreamHook observes or replaces the residual stream during the forward
// pass. It is called for index i = 0..n_layer with the stream at that point:
// i = 0 is the embedding output (the input of block 0), i > 0 the output of
// block i−1. Unlike HF's hidden_states[n_layer], index n_layer is the raw
// output of the last block, before ln_f (the residual stream the logit lens
// reads). It returns nil to leave the stream unchanged, or a tensor of the
// same shape that replaces it for the rest of the pass (and in the reported
// hidden states). Hooks run in the order they were added.
type StreamHook func(index int, hidden *autograd.Tensor) *autograd.Tensor

// Sublayer names the two sub-blocks of a Block whose outputs a SublayerHook
// sees.
type Sublayer int

// The sub-blocks of a Block.
const (
	SublayerAttention Sublayer = iota // attn: c_proj's output after resid dropout
	SublayerMLP                       // mlp: c_proj's output after dropout
)

// String names the sub-block as HF's module does ("attn", "mlp").
func (s Sublayer) String() string {
	switch s {
	case SublayerAttention:
		return "attn"
	case SublayerMLP:
		return "mlp"
	}
	return fmt.Sprintf("Sublayer(%d)", int(s))
}

// SublayerHook observes or replaces the output of block layer's attention or
// MLP ([batch, T, n_embd]) just before it is added to the residual stream.
// It returns nil to leave it unchanged or a tensor of the same shape.
type SublayerHook func(layer int, kind Sublayer, out *autograd.Tensor) *autograd.Tensor

// hooks holds the registered hooks of a Model.
type hooks struct {
	stream    hf.Hooks[StreamHook]
	sublayers hf.Hooks[SublayerHook]
}

// AddHook registers a residual-stream hook and returns a function that
// removes it again.
func (m *Model) AddHook(h StreamHook) (remove func()) { return m.hooks.stream.Add(h) }

// AddSublayerHook registers a sub-block hook and returns a function that
// removes it again.
func (m *Model) AddSublayerHook(h SublayerHook) (remove func()) { return m.hooks.sublayers.Add(h) }

// ClearHooks removes every hook.
func (m *Model) ClearHooks() { m.hooks.stream.Clear(); m.hooks.sublayers.Clear() }

// runStream passes residual stream i through every stream hook.
func (m *Model) runStream(i int, h *autograd.Tensor) *autograd.Tensor {
	for fn := range m.hooks.stream.All() {
		h = hf.Replaced("gpt2", fmt.Sprintf("residual stream %d", i), h, fn(i, h))
	}
	return h
}

// sublayerHook returns the function a Block calls on its sub-block outputs,
// or nil when no sub-block hook is registered.
func (m *Model) sublayerHook(layer int) func(Sublayer, *autograd.Tensor) *autograd.Tensor {
	if m.hooks.sublayers.Len() == 0 {
		return nil
	}
	return func(kind Sublayer, out *autograd.Tensor) *autograd.Tensor {
		for fn := range m.hooks.sublayers.All() {
			out = hf.Replaced("gpt2", fmt.Sprintf("layer %d %s output", layer, kind), out, fn(layer, kind, out))
		}
		return out
	}
}
