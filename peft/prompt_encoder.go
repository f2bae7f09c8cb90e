package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// PromptEncoder holds the learned virtual tokens of prompt learning, PEFT's
// PrefixEncoder and PromptEmbedding:
//
//   - prompt tuning: Embedding [num_virtual_tokens, hidden] are input
//     embeddings put before the sequence's own;
//   - prefix tuning: Embedding [num_virtual_tokens, layers·2·hidden] are every
//     layer's key and value prefixes, or, with the reparameterisation
//     (prefix_projection), Embedding [num_virtual_tokens, hidden] goes through
//     Transform = Linear(hidden, encoder_hidden_size) → tanh →
//     Linear(encoder_hidden_size, layers·2·hidden) first.
//
// Parameter names are PEFT's: "embedding.weight", "transform.0.weight", ...
type PromptEncoder struct {
	Prefix           bool
	NumVirtualTokens int
	Embedding        *nn.Embedding
	Transform        *nn.Sequential // nil without projection

	layers, heads, hidden int
}

// Table returns the encoder's output [num_virtual_tokens, width]: the
// embedding itself or its projection.
func (p *PromptEncoder) Table() *autograd.Tensor {
	w := p.Embedding.Weight
	if p.Transform != nil {
		return p.Transform.Forward(w)
	}
	return w
}

// KeyValues splits a prefix table into each layer's key and value, each
// [heads, P, head_dim], in PEFT's order: the table's width is viewed as
// [layers·2, heads, head_dim] and entry 2i is layer i's key, 2i+1 its value.
func (p *PromptEncoder) KeyValues() (keys, values []*autograd.Tensor) {
	t := p.Table()
	hd := p.hidden / p.heads
	kv := t.Reshape(p.NumVirtualTokens, 2*p.layers, p.heads, hd).Permute(1, 2, 0, 3)
	for i := 0; i < p.layers; i++ {
		keys = append(keys, kv.Select(0, 2*i))
		values = append(values, kv.Select(0, 2*i+1))
	}
	return keys, values
}

// NamedParameters lists the embedding and the projection.
func (p *PromptEncoder) NamedParameters(prefix string) []nn.NamedParameter {
	ps := p.Embedding.NamedParameters(nn.Join(prefix, "embedding"))
	if p.Transform != nil {
		ps = append(ps, p.Transform.NamedParameters(nn.Join(prefix, "transform"))...)
	}
	return ps
}

// SetTraining does nothing visible (no dropout here).
func (p *PromptEncoder) SetTraining(bool) {}

// String describes the encoder.
func (p *PromptEncoder) String() string {
	kind := "PromptEmbedding"
	if p.Prefix {
		kind = "PrefixEncoder"
	}
	return fmt.Sprintf("%s(num_virtual_tokens=%d, table=%v, projection=%v)", kind, p.NumVirtualTokens, p.Embedding.Weight.Shape(), p.Transform != nil)
}

// PromptLearningConfig holds the adapter_config.json fields PEFT's prompt
// learning methods share. token_dim, num_layers and num_attention_heads are
// filled from the model when zero.
type PromptLearningConfig struct {
	CommonConfig
	NumVirtualTokens         int `json:"num_virtual_tokens"`
	TokenDim                 int `json:"token_dim"`
	NumTransformerSubmodules int `json:"num_transformer_submodules"`
	NumAttentionHeads        int `json:"num_attention_heads"`
	NumLayers                int `json:"num_layers"`
}

// fill takes the shape fields from the model's backbone (BERT or GPT-2)
// and checks them.
func (c *PromptLearningConfig) fill(m *Model) error {
	hidden, layers, heads, ok := m.backboneShape()
	if !ok {
		return fmt.Errorf("peft: prompt learning needs a BERT or GPT-2 transformer in the base's module tree, %T has none", m.Base)
	}
	if c.TokenDim == 0 {
		c.TokenDim = hidden
	}
	if c.NumLayers == 0 {
		c.NumLayers = layers
	}
	if c.NumAttentionHeads == 0 {
		c.NumAttentionHeads = heads
	}
	if c.NumTransformerSubmodules == 0 {
		c.NumTransformerSubmodules = 1
	}
	switch {
	case c.NumVirtualTokens <= 0:
		return fmt.Errorf("peft: num_virtual_tokens is %d, must be positive", c.NumVirtualTokens)
	case c.TokenDim != hidden || c.NumLayers != layers || c.NumAttentionHeads != heads:
		return fmt.Errorf("peft: prompt config token_dim %d, num_layers %d, num_attention_heads %d do not fit the model (%d, %d, %d)",
			c.TokenDim, c.NumLayers, c.NumAttentionHeads, hidden, layers, heads)
	case c.NumTransformerSubmodules != 1:
		return fmt.Errorf("peft: num_transformer_submodules is %d; BERT (an encoder) and GPT-2 (a decoder) have 1", c.NumTransformerSubmodules)
	}
	return nil
}
