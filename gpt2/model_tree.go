package gpt2

import (
	"fmt"

	"github.com/turinglab/turinglab/nn"
)

// Every GPT-2 block is an nn.Parent naming its children exactly as HF's
// modules do ("transformer", "h", "attn", "c_attn", "ln_1", ...), so that
// nn.GetModule(model, "transformer.h.0.attn.c_attn") finds the same
// sub-module as PyTorch's get_submodule and nn.ReplaceModule can swap a layer
// for a PEFT wrapper in place. These helpers implement SetChild.

// setLayer stores m in *slot if it is an nn.Layer.
func setLayer(slot *nn.Layer, name string, m nn.Module) error {
	l, ok := m.(nn.Layer)
	if !ok {
		return fmt.Errorf("gpt2: child %q must be an nn.Layer (a module with Forward(x)), got %T", name, m)
	}
	*slot = l
	return nil
}

// setLayerNorm stores m in *slot if it is an *nn.LayerNorm.
func setLayerNorm(slot **nn.LayerNorm, name string, m nn.Module) error {
	l, ok := m.(*nn.LayerNorm)
	if !ok {
		return fmt.Errorf("gpt2: child %q must be an *nn.LayerNorm, got %T", name, m)
	}
	*slot = l
	return nil
}

// setDropout stores m in *slot if it is an *nn.Dropout.
func setDropout(slot **nn.Dropout, name string, m nn.Module) error {
	d, ok := m.(*nn.Dropout)
	if !ok {
		return fmt.Errorf("gpt2: child %q must be an *nn.Dropout, got %T", name, m)
	}
	*slot = d
	return nil
}

// setEmbedding stores m in *slot if it is an *nn.Embedding.
func setEmbedding(slot **nn.Embedding, name string, m nn.Module) error {
	e, ok := m.(*nn.Embedding)
	if !ok {
		return fmt.Errorf("gpt2: child %q must be an *nn.Embedding, got %T", name, m)
	}
	*slot = e
	return nil
}

// noChild is the error for a child name a block does not have.
func noChild(block, name string, children []nn.NamedModule) error {
	names := make([]string, len(children))
	for i, c := range children {
		names[i] = c.Name
	}
	return fmt.Errorf("gpt2: %s has no child %q (children: %v)", block, name, names)
}
