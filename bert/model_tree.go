package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/nn"
)

// Every BERT block is an nn.Parent: it names its children exactly as HF's
// modules do ("attention", "self", "query", "LayerNorm", ...), so that
// nn.GetModule(model, "bert.encoder.layer.0.attention.self.query") finds the
// same sub-module as PyTorch's get_submodule, and nn.ReplaceModule can swap a
// Linear for a PEFT wrapper in place. The linear layers are held as nn.Layer
// for that reason; the concrete *nn.Linear is there until something replaces
// it (type-assert to reach its Weight). These helpers implement SetChild.

// setLayer stores m in *slot if it is an nn.Layer.
func setLayer(slot *nn.Layer, name string, m nn.Module) error {
	l, ok := m.(nn.Layer)
	if !ok {
		return fmt.Errorf("bert: child %q must be an nn.Layer (a module with Forward(x)), got %T", name, m)
	}
	*slot = l
	return nil
}

// setLayerNorm stores m in *slot if it is an *nn.LayerNorm.
func setLayerNorm(slot **nn.LayerNorm, name string, m nn.Module) error {
	l, ok := m.(*nn.LayerNorm)
	if !ok {
		return fmt.Errorf("bert: child %q must be an *nn.LayerNorm, got %T", name, m)
	}
	*slot = l
	return nil
}

// setDropout stores m in *slot if it is an *nn.Dropout.
func setDropout(slot **nn.Dropout, name string, m nn.Module) error {
	d, ok := m.(*nn.Dropout)
	if !ok {
		return fmt.Errorf("bert: child %q must be an *nn.Dropout, got %T", name, m)
	}
	*slot = d
	return nil
}

// setEmbedding stores m in *slot if it is an *nn.Embedding.
func setEmbedding(slot **nn.Embedding, name string, m nn.Module) error {
	e, ok := m.(*nn.Embedding)
	if !ok {
		return fmt.Errorf("bert: child %q must be an *nn.Embedding, got %T", name, m)
	}
	*slot = e
	return nil
}

// setModel stores m in *slot if it is a *Model: the "bert" child that every
// task model (ForPreTraining, ForMaskedLM, ForSequenceClassification,
// ForTokenClassification) holds under the same name, as HF's Bert*Model
// classes do.
func setModel(slot **Model, name string, m nn.Module) error {
	b, ok := m.(*Model)
	if !ok {
		return fmt.Errorf("bert: child %q must be a *bert.Model, got %T", name, m)
	}
	*slot = b
	return nil
}

// noChild is the error for a child name a block does not have.
func noChild(block, name string, children []nn.NamedModule) error {
	names := make([]string, len(children))
	for i, c := range children {
		names[i] = c.Name
	}
	return fmt.Errorf("bert: %s has no child %q (children: %v)", block, name, names)
}
