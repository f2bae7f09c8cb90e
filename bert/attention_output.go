package bert

import "github.com/turinglab/turinglab/autograd"

// AttentionOutput projects the attention context back and closes the first
// residual block of a layer, HF's BertSelfOutput (see ResidualOutput):
//
//	out = LayerNorm(Dropout(context Wᵀ + b) + input),   W [hidden, hidden]
type AttentionOutput = ResidualOutput

// NewAttentionOutput builds the block with HF's initialisation.
func NewAttentionOutput(c *Config, rng *autograd.RNG) *AttentionOutput {
	return newResidualOutput(c.HiddenSize, c, rng)
}
