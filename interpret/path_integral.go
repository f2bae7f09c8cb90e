package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
)

// Integrated gradients is the same computation for BERT (on the embedding
// output) and GPT-2 (on the token embeddings) once the model is reduced to
// two functions of the embeddings; this file is that computation and the
// input gradient both take, the model-specific parts stay in
// integrated_gradients.go and gpt_attribution.go.

// withDefaults fills IGOptions' zero values: 50 steps, batches of 16,
// Gauss–Legendre.
func (o IGOptions) withDefaults() IGOptions {
	if o.Steps == 0 {
		o.Steps = 50
	}
	if o.InternalBatchSize <= 0 {
		o.InternalBatchSize = 16
	}
	if o.Method == "" {
		o.Method = GaussLegendre
	}
	return o
}

// pathIntegral computes integrated gradients from the input embeddings x and
// the baseline's x0 (both row-major [T, width], T = len(ids)):
//
//	attr = (x − x') ⊙ Σₖ wₖ ∂F/∂x(x' + αₖ(x − x')),
//
// summed over the width per token, with the rule of opts (already given its
// defaults). score is F at one point; grad is ∂F/∂x at n points laid out one
// after the other. It shows progress and stops when the notebook is
// interrupted. The attribution is named for target and lists tokens; Delta is the
// convergence delta Σ attr − (F(x) − F(x')).
func pathIntegral(opts IGOptions, target string, tokens []string, ids []int, x, x0 []float32,
	score func(emb []float32) (float64, error), grad func(points []float32, n int) ([]float32, error)) (*Attribution, error) {
	alphas, weights, err := IntegrationRule(opts.Method, opts.Steps)
	if err != nil {
		return nil, err
	}
	fx, err := score(x)
	if err != nil {
		return nil, err
	}
	fx0, err := score(x0)
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
		grads, err := grad(points, end-start)
		if err != nil {
			return nil, err
		}
		for k := start; k < end; k++ {
			for i, v := range grads[(k-start)*len(x) : (k-start+1)*len(x)] {
				total[i] += weights[k] * float64(v)
			}
		}
		bar.Add(end - start)
	}
	T := len(ids)
	width := len(x) / T
	a := &Attribution{
		Method: fmt.Sprintf("integrated gradients (%s, %d steps)", opts.Method, opts.Steps),
		Target: target, Tokens: tokens, Scores: make([]float64, T),
		Score: fx, Baseline: fx0, Steps: opts.Steps,
	}
	var sum float64
	for i := range x {
		v := float64(x[i]-x0[i]) * total[i]
		a.Scores[i/width] += v
		sum += v
	}
	a.Delta = sum - (fx - fx0)
	return a, nil
}

// gradientWRT returns ∂(Σ score(x))/∂x at x = points (laid out in shape),
// with every parameter of m kept out of the graph so that its .Grad is left
// untouched; zeros when the score does not depend on x.
func gradientWRT(m nn.Module, points []float32, shape []int, score func(x *autograd.Tensor) (*autograd.Tensor, error)) ([]float32, error) {
	leaf := autograd.New(points, shape...).SetRequiresGrad(true)
	err := withFrozenParameters(m, func() error {
		s, err := score(leaf)
		if err != nil {
			return err
		}
		s.Sum().Backward()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if leaf.Grad() == nil {
		return make([]float32, len(points)), nil
	}
	return leaf.Grad().Contiguous().Data(), nil
}
