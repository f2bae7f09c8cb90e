package peft

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// PrefixTuningConfig configures prefix tuning (Li & Liang 2021): every layer's
// self-attention gets num_virtual_tokens learned keys and values before the
// sequence's own, for every head. Every query may attend to them (the
// attention mask is extended with ones in front); the output keeps the
// sequence's length. With prefix_projection the prefixes are produced by a
// two-layer tanh MLP of hidden size encoder_hidden_size from a smaller
// embedding (the paper's reparameterisation, for more stable training).
// Field names are PEFT's PrefixTuningConfig fields.
type PrefixTuningConfig struct {
	PromptLearningConfig
	EncoderHiddenSize int  `json:"encoder_hidden_size"`
	PrefixProjection  bool `json:"prefix_projection"`

	loadTable bool // loading a projected prefix saved as its output table
}

// NewPrefixTuningConfig makes a prefix-tuning config with n virtual tokens
// for a sequence classifier.
func NewPrefixTuningConfig(n int) *PrefixTuningConfig {
	return &PrefixTuningConfig{PromptLearningConfig: PromptLearningConfig{
		CommonConfig: CommonConfig{PeftType: TypePrefixTuning, TaskType: TaskSeqCls}, NumVirtualTokens: n}}
}

// injectPrefix builds the prefix encoder: an N(0, 1) embedding (torch's
// nn.Embedding init, as PEFT) and, with prefix_projection, the MLP with
// torch's Linear init.
func (m *Model) injectPrefix(a *adapter, c *PrefixTuningConfig) error {
	if err := c.fill(m); err != nil {
		return err
	}
	h, l := c.TokenDim, c.NumLayers
	p := &PromptEncoder{Prefix: true, NumVirtualTokens: c.NumVirtualTokens, layers: l, heads: c.NumAttentionHeads, hidden: h}
	if c.PrefixProjection && !c.loadTable {
		if c.EncoderHiddenSize == 0 {
			c.EncoderHiddenSize = h
		}
		p.Embedding = nn.NewEmbedding(c.NumVirtualTokens, h, -1, m.RNG)
		p.Transform = nn.NewSequential(nn.NewLinear(h, c.EncoderHiddenSize, true, m.RNG), nn.NewTanh(), nn.NewLinear(c.EncoderHiddenSize, 2*l*h, true, m.RNG))
	} else {
		p.Embedding = nn.NewEmbedding(c.NumVirtualTokens, 2*l*h, -1, m.RNG)
	}
	for _, q := range p.NamedParameters("") {
		q.Tensor.SetRequiresGrad(true)
	}
	a.prompt = p
	return nil
}

// hookPrefix installs an encoder hook that, at the start of every forward
// pass, computes the prefixes from the encoder's parameters (so gradients
// reach them) and sets them on every layer. As in HF, where the prefix is
// past_key_values, the sequence's positions then start at num_virtual_tokens
// (bert.Model does that), so inputs may be at most max_position_embeddings −
// num_virtual_tokens long. It returns the function that
// removes the hook and the prefixes again.
func (m *Model) hookPrefix(p *PromptEncoder) func() {
	enc := m.Bert.Encoder
	set := func() {
		keys, values := p.KeyValues()
		for l := range keys {
			enc.SetPrefix(l, &bert.KVPrefix{Key: keys[l], Value: values[l]})
		}
	}
	// Set them now as well: bert.Model reads the prefix length before the
	// encoder runs (HF's past_key_values_length shifts the positions).
	autograd.NoGrad(set)
	remove := enc.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == 0 {
			set()
		}
		return nil
	})
	return func() {
		remove()
		for l := range enc.Layers {
			enc.SetPrefix(l, nil)
		}
	}
}
