package bert

import (
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Every BERT block is an nn.Parent: it names its children exactly as HF's
// modules do ("attention", "self", "query", "LayerNorm", ...), so that
// nn.GetModule(model, "bert.encoder.layer.0.attention.self.query") finds the
// same sub-module as PyTorch's get_submodule, and nn.ReplaceModule can swap a
// Linear for a PEFT wrapper in place. The linear layers are held as nn.Layer
// for that reason; the concrete *nn.Linear is there until something replaces
// it (type-assert to reach its Weight). These helpers implement SetChild.

// setChild stores m in *slot if it has the slot's type: an nn.Layer (a
// module with Forward(x)), an *nn.LayerNorm, *nn.Dropout or *nn.Embedding,
// or the *Model that every task model holds as its "bert" child.
func setChild[T any](slot *T, name string, m nn.Module) error {
	return hf.SetChild("bert", slot, name, m)
}

// noChild is the error for a child name a block does not have.
func noChild(block, name string, children []nn.NamedModule) error {
	return hf.NoChild("bert", block, name, children)
}
