package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
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
	if opts.Steps == 0 {
		opts.Steps = 50
	}
	if opts.InternalBatchSize <= 0 {
		opts.InternalBatchSize = 16
	}
	if opts.Method == "" {
		opts.Method = GaussLegendre
	}
	alphas, weights, err := IntegrationRule(opts.Method, opts.Steps)
	if err != nil {
		return nil, err
	}
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
	fx, err := scoreAt(x)
	if err != nil {
		return nil, err
	}
	fx0, err := scoreAt(x0)
	if err != nil {
		return nil, err
	}
	total := make([]float64, len(x)) // Σₖ wₖ ∇F at point k
	bar := display.Progress(opts.Steps, "integrated gradients")
	defer bar.Done()
	for start := 0; start < opts.Steps; start += opts.InternalBatchSize {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		end := min(start+opts.InternalBatchSize, opts.Steps)
		points := make([]float32, 0, (end-start)*len(x))
		for k := start; k < end; k++ {
			a := float32(alphas[k])
			for i := range x {
				points = append(points, x0[i]+a*(x[i]-x0[i]))
			}
		}
		leaf := autograd.New(points, end-start, T, E).SetRequiresGrad(true)
		err := withFrozenParameters(t.Model, func() error {
			s, err := t.score(enc.IDs, end-start, leaf)
			if err != nil {
				return err
			}
			s.Sum().Backward()
			return nil
		})
		if err != nil {
			return nil, err
		}
		if leaf.Grad() != nil {
			grads := leaf.Grad().Contiguous().Data()
			for k := start; k < end; k++ {
				for i, v := range grads[(k-start)*len(x) : (k-start+1)*len(x)] {
					total[i] += weights[k] * float64(v)
				}
			}
		}
		bar.Add(end - start)
	}
	a := &Attribution{
		Method: fmt.Sprintf("integrated gradients (%s, %d steps)", opts.Method, opts.Steps),
		Target: t.Name, Tokens: enc.Tokens, Scores: make([]float64, T),
		Score: fx, Baseline: fx0, Steps: opts.Steps,
	}
	var sum float64
	for i := range x {
		v := float64(x[i]-x0[i]) * total[i]
		a.Scores[i/E] += v
		sum += v
	}
	a.Delta = sum - (fx - fx0)
	return a, nil
}
