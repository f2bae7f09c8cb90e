package bert

import "github.com/turinglab/turinglab/autograd"

// Output closes the feed-forward residual block of a layer, HF's BertOutput
// (see ResidualOutput):
//
//	out = LayerNorm(Dropout(intermediate Wᵀ + b) + attention_output),   W [hidden, intermediate]
type Output = ResidualOutput

// NewOutput builds the block with HF's initialisation.
func NewOutput(c *Config, rng *autograd.RNG) *Output {
	return newResidualOutput(c.IntermediateSize, c, rng)
}
