package gpt2

import (
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// HF's GPT2PreTrainedModel._init_weights, drawn with our seeded RNG (the same
// seed gives the same model on every machine; the numbers themselves differ
// from torch's): Conv1D and Linear weights N(0, initializer_range²), biases
// zero, embeddings N(0, initializer_range²), LayerNorm weight 1 and bias 0,
// and, as in the GPT-2 paper, every c_proj weight (the projections that write
// into the residual stream) N(0, (initializer_range / sqrt(2·n_layer))²), so
// the residual stream's variance does not grow with depth.

// newConv1D makes an in→out Conv1D with weights N(0, std²) and a zero bias.
func newConv1D(in, out int, std float64, rng *autograd.RNG) *nn.Conv1D {
	return nn.NewConv1D(in, out, float32(std), rng)
}

// residualStd is the std of the c_proj weights: initializer_range / sqrt(2·n_layer).
func residualStd(c *Config) float64 {
	return c.InitRange / math.Sqrt(2*float64(c.NLayer))
}

// newEmbedding makes a num×dim table N(0, initializer_range²) without a padding row.
func newEmbedding(num, dim int, c *Config, rng *autograd.RNG) *nn.Embedding {
	w := autograd.Normal(rng, 0, float32(c.InitRange), num, dim).SetRequiresGrad(true)
	return &nn.Embedding{Weight: w, NumEmbeddings: num, EmbeddingDim: dim, PaddingIdx: -1}
}
