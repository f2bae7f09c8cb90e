package gpt2

import (
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Every GPT-2 block is an nn.Parent naming its children exactly as HF's
// modules do ("transformer", "h", "attn", "c_attn", "ln_1", ...), so that
// nn.GetModule(model, "transformer.h.0.attn.c_attn") finds the same
// sub-module as PyTorch's get_submodule and nn.ReplaceModule can swap a layer
// for a PEFT wrapper in place. These helpers implement SetChild.

// setChild stores m in *slot if it has the slot's type: an nn.Layer (a
// module with Forward(x)), an *nn.LayerNorm, *nn.Dropout or *nn.Embedding.
func setChild[T any](slot *T, name string, m nn.Module) error {
	return hf.SetChild("gpt2", slot, name, m)
}

// noChild is the error for a child name a block does not have.
func noChild(block, name string, children []nn.NamedModule) error {
	return hf.NoChild("gpt2", block, name, children)
}
