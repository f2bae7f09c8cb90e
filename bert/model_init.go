package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// HF's BertPreTrainedModel._init_weights, the initialisation every block uses
// so that a model built from a config starts where HF's would (in
// distribution; the random numbers themselves come from our seeded RNG):
// Linear and Embedding weights N(0, initializer_range), biases zero, the
// padding row of the word embeddings zero, LayerNorm weight 1 and bias 0.
// The tensors are drawn once, directly with HF's distribution (not torch's
// layer defaults first), which keeps building a BERT-base quick.

// newDense makes an in→out Linear layer with HF's initialisation.
func newDense(in, out int, c *Config, rng *autograd.RNG) *nn.Linear {
	w := autograd.Normal(rng, 0, float32(c.InitializerRange), out, in).SetRequiresGrad(true)
	return nn.LinearFrom(w, autograd.Zeros(out).SetRequiresGrad(true))
}

// newEmbedding makes a num×dim lookup table with HF's initialisation; row
// paddingIdx (−1 for none) is zero and never receives a gradient from the lookup.
func newEmbedding(num, dim, paddingIdx int, c *Config, rng *autograd.RNG) *nn.Embedding {
	w := autograd.Normal(rng, 0, float32(c.InitializerRange), num, dim)
	if paddingIdx >= 0 {
		row := w.Data()[paddingIdx*dim : (paddingIdx+1)*dim]
		for i := range row {
			row[i] = 0
		}
	}
	return &nn.Embedding{Weight: w.SetRequiresGrad(true), NumEmbeddings: num, EmbeddingDim: dim, PaddingIdx: paddingIdx}
}
