package peft

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
)

// LoRA, AdaLoRA, IA3, BitFit and bottleneck adapters need nothing of the base
// but its module tree: they find their targets by module path
// (nn.NamedModules, PEFT's check_target_module_exists) on any nn.Module, and
// wrap nn.Linear and nn.Conv1D layers wherever they are. Prompt learning
// (prefix and prompt tuning) also needs the transformer inside the base, as
// PEFT needs model.config, get_input_embeddings and the model's
// past_key_values: the backbone, found by walking the same tree.

// findBackbone returns the first *bert.Model and the first *gpt2.Model in
// base's module tree (base itself included); either may be nil.
func findBackbone(base nn.Module) (*bert.Model, *gpt2.Model) {
	var b *bert.Model
	var g *gpt2.Model
	for _, nm := range nn.NamedModules(base, "") {
		switch t := nm.Module.(type) {
		case *bert.Model:
			if b == nil {
				b = t
			}
		case *gpt2.Model:
			if g == nil {
				g = t
			}
		}
	}
	return b, g
}

// backboneShape is the backbone's hidden size, layer count and head count
// (PEFT's token_dim, num_layers, num_attention_heads), with ok false when the
// base has no backbone prompt learning knows.
func (m *Model) backboneShape() (hidden, layers, heads int, ok bool) {
	switch {
	case m.Bert != nil:
		c := m.Bert.Config
		return c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, true
	case m.GPT2 != nil:
		c := m.GPT2.Config
		return c.NEmbd, c.NLayer, c.NHead, true
	}
	return 0, 0, 0, false
}

// wordEmbeddings is the backbone's token-embedding matrix [vocab, hidden]
// (PEFT's get_input_embeddings().weight), or nil.
func (m *Model) wordEmbeddings() *autograd.Tensor {
	switch {
	case m.Bert != nil:
		return m.Bert.Embeddings.WordEmbeddings.Weight
	case m.GPT2 != nil:
		return m.GPT2.Wte.Weight
	}
	return nil
}

// newModel makes an empty Model on base, with its backbone found.
func newModel(base nn.Module) *Model {
	b, g := findBackbone(base)
	return &Model{Base: base, Bert: b, GPT2: g, RNG: autograd.NewRNG(0), adapters: map[string]*adapter{}}
}
