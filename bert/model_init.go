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

// newDense makes an in→out Linear layer with HF's initialisation.
func newDense(in, out int, c *Config, rng *autograd.RNG) *nn.Linear {
	l := nn.NewLinear(in, out, true, rng)
	initNormal(l.Weight, c.InitializerRange, rng)
	zeroTensor(l.Bias)
	return l
}

// initNormal overwrites a parameter with N(0, std) draws from rng.
func initNormal(p *autograd.Tensor, std float64, rng *autograd.RNG) {
	data := p.Data()
	for i := range data {
		data[i] = float32(std) * rng.NormFloat32()
	}
}

// zeroTensor sets every element of p to zero.
func zeroTensor(p *autograd.Tensor) {
	data := p.Data()
	for i := range data {
		data[i] = 0
	}
}

// zeroRow sets row r of a [rows, cols] parameter to zero (the padding row).
func zeroRow(p *autograd.Tensor, r int) {
	cols := p.Size(1)
	data := p.Data()
	for i := r * cols; i < (r+1)*cols; i++ {
		data[i] = 0
	}
}
