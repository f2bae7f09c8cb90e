package interpret

import (
	"math"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// Saliency is gradient saliency (Simonyan et al.; captum's Saliency with
// abs=True) on the embedding output: each token's score is Σ_h |∂F/∂x_h|,
// how sensitive the target is to that token, whatever the sign.
func Saliency(t *Target, enc *tokenizer.BertEncoding) (*Attribution, error) {
	x, g, err := inputGradient(t, enc)
	if err != nil {
		return nil, err
	}
	a := &Attribution{Method: "gradient saliency", Target: t.Name, Tokens: enc.Tokens, Scores: make([]float64, len(enc.IDs))}
	hidden := len(x) / len(enc.IDs)
	for i, v := range g {
		a.Scores[i/hidden] += math.Abs(float64(v))
	}
	a.Score, err = scoreAtEmbedding(t, enc, x)
	return a, err
}

// InputXGradient is input × gradient (captum's InputXGradient) on the
// embedding output: each token's score is Σ_h x_h ∂F/∂x_h, the first-order
// estimate of what zeroing its embedding would change.
func InputXGradient(t *Target, enc *tokenizer.BertEncoding) (*Attribution, error) {
	x, g, err := inputGradient(t, enc)
	if err != nil {
		return nil, err
	}
	a := &Attribution{Method: "input × gradient", Target: t.Name, Tokens: enc.Tokens, Scores: make([]float64, len(enc.IDs))}
	hidden := len(x) / len(enc.IDs)
	for i, v := range g {
		a.Scores[i/hidden] += float64(x[i]) * float64(v)
	}
	a.Score, err = scoreAtEmbedding(t, enc, x)
	return a, err
}

// inputGradient returns the embedding output of enc and the target's
// gradient there.
func inputGradient(t *Target, enc *tokenizer.BertEncoding) (x, g []float32, err error) {
	if err := checkEncoding(enc); err != nil {
		return nil, nil, err
	}
	nn.Eval(t.Module)
	x = embeddingOutput(t.Bert, enc).Data()
	g, err = gradientAt(t, enc, x, 1)
	return x, g, err
}
