package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// GPTIntegratedGradients attributes a next-token score to the prompt's
// tokens by integrated gradients with respect to the input (token)
// embeddings (captum's LayerIntegratedGradients on GPT-2's wte): with x the
// token embeddings wte[ids] and x' the baseline's,
//
//	attr = (x − x') ⊙ Σₖ wₖ ∂F/∂x(x' + αₖ(x − x')),
//
// summed over the embedding dimension per token. The baseline is zero
// embeddings (captum's default), or wte[baseline] when baseline is not nil
// (one id per prompt token, e.g. <|endoftext|> everywhere). The position
// embeddings are added as usual. Steps, Method and InternalBatchSize come
// from opts (its BERT baseline fields are not used); the convergence delta
// Σ attr − (F(x) − F(x')) measures the integration error.
func GPTIntegratedGradients(t *NextToken, enc *tokenizer.Encoding, baseline []int, opts IGOptions) (*Attribution, error) {
	if t == nil {
		return nil, fmt.Errorf("interpret: the target is nil")
	}
	g := t.Model.Transformer
	if err := checkPrompt(g, enc); err != nil {
		return nil, err
	}
	if baseline != nil && len(baseline) != len(enc.IDs) {
		return nil, fmt.Errorf("interpret: baseline has %d ids, the prompt %d", len(baseline), len(enc.IDs))
	}
	opts = opts.withDefaults()
	nn.Eval(t.Model)
	T, E := len(enc.IDs), g.Config.NEmbd
	var x, x0 []float32
	autograd.NoGrad(func() {
		x = g.Wte.Forward(enc.IDs, 1, T).Contiguous().Data()
		x0 = make([]float32, len(x))
		if baseline != nil {
			x0 = g.Wte.Forward(baseline, 1, T).Contiguous().Data()
		}
	})
	scoreAt := func(emb []float32) (float64, error) {
		var s *autograd.Tensor
		var err error
		autograd.NoGrad(func() { s, err = t.score(enc.IDs, 1, autograd.New(emb, 1, T, E)) })
		if err != nil {
			return 0, err
		}
		return s.Float64s()[0], nil
	}
	gradAt := func(points []float32, n int) ([]float32, error) {
		return gradientWRT(t.Model, points, []int{n, T, E}, func(leaf *autograd.Tensor) (*autograd.Tensor, error) {
			return t.score(enc.IDs, n, leaf)
		})
	}
	return pathIntegral(opts, t.Name, enc.Tokens, enc.IDs, x, x0, scoreAt, gradAt)
}
