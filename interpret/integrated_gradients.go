package interpret

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// IGOptions configure IntegratedGradients; the zero value is captum's
// default (50 Gauss–Legendre points).
type IGOptions struct {
	// Steps is the number of integration points (captum's n_steps); 0 means 50.
	Steps int
	// Method is the integration rule (see IntegrationRule); "" means Gauss–Legendre.
	Method string
	// InternalBatchSize is how many interpolated inputs go through the model
	// in one pass (captum's internal_batch_size); 0 means 16.
	InternalBatchSize int
	// Baseline is the baseline encoding; nil means the input with every token
	// that is not a special one ([CLS], [SEP]) replaced by [PAD].
	Baseline *tokenizer.BertEncoding
	// PadID is the id that the default baseline uses; it must be given with
	// the default baseline (it is the tokenizer's PadID).
	PadID int
}

// PadBaseline is the usual IG baseline for BERT: enc with every text token
// replaced by padID, the special tokens ([CLS], [SEP]) and the attention mask
// kept.
func PadBaseline(enc *tokenizer.BertEncoding, padID int) *tokenizer.BertEncoding {
	b := *enc
	b.IDs = append([]int(nil), enc.IDs...)
	for i := range b.IDs {
		if enc.SpecialTokensMask == nil || enc.SpecialTokensMask[i] == 0 {
			b.IDs[i] = padID
		}
	}
	return &b
}

// IntegratedGradients attributes t's score on enc to the input tokens by
// integrated gradients on the embedding output (captum's
// LayerIntegratedGradients on BERT's embeddings): with x and x' the
// embedding outputs of the input and the baseline,
//
//	attr = (x − x') ⊙ Σₖ wₖ ∂F/∂x(x' + αₖ(x − x')),
//
// summed over the hidden dimension per token. The convergence delta
// Σ attr − (F(x) − F(x')) measures the integration error; it shrinks as Steps
// grows. Steps are batched InternalBatchSize at a time.
func IntegratedGradients(t *Target, enc *tokenizer.BertEncoding, opts IGOptions) (*Attribution, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	base := opts.Baseline
	if base == nil {
		base = PadBaseline(enc, opts.PadID)
	}
	if len(base.IDs) != len(enc.IDs) {
		return nil, fmt.Errorf("interpret: baseline has %d tokens, the input %d", len(base.IDs), len(enc.IDs))
	}
	nn.Eval(t.Module)
	x := embeddingOutput(t.Bert, enc).Data()
	x0 := embeddingOutput(t.Bert, base).Data()
	return pathIntegral(opts, t.Name, enc.Tokens, enc.IDs, x, x0,
		func(emb []float32) (float64, error) { return scoreAtEmbedding(t, enc, emb) },
		func(points []float32, n int) ([]float32, error) { return gradientAt(t, enc, points, n) })
}

// scoreAtEmbedding is the target's score when the embedding output of enc is
// replaced by emb ([T·hidden] values).
func scoreAtEmbedding(t *Target, enc *tokenizer.BertEncoding, emb []float32) (float64, error) {
	in := repeatInputs(enc, 1)
	var s []float64
	err := withHook(t.Bert, func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == 0 {
			return autograd.New(emb, h.Shape()...)
		}
		return nil
	}, func() error {
		var err error
		s, err = scoresOf(t, in)
		return err
	})
	if err != nil {
		return 0, err
	}
	return s[0], nil
}

// gradientAt returns ∂F/∂e at batch embedding outputs e (batch·T·hidden
// values, one input per row): the target's score of each row differentiated
// with respect to that row's embedding output.
func gradientAt(t *Target, enc *tokenizer.BertEncoding, points []float32, batch int) ([]float32, error) {
	in := repeatInputs(enc, batch)
	shape := []int{batch, len(enc.IDs), len(points) / (batch * len(enc.IDs))}
	return gradientWRT(t.Module, points, shape, func(leaf *autograd.Tensor) (*autograd.Tensor, error) {
		var s *autograd.Tensor
		err := withHook(t.Bert, func(i int, h *autograd.Tensor) *autograd.Tensor {
			if i == 0 {
				return leaf
			}
			return nil
		}, func() (err error) {
			s, err = t.Score(in)
			return err
		})
		return s, err
	})
}

// IGConvergence runs IntegratedGradients once per step count and returns
// the absolute convergence delta of each: the curve that shows the integral
// approximation converging (and how much faster Gauss–Legendre does than
// the Riemann rules).
func IGConvergence(t *Target, enc *tokenizer.BertEncoding, opts IGOptions, steps []int) ([]float64, error) {
	var out []float64
	for _, n := range steps {
		o := opts
		o.Steps = n
		a, err := IntegratedGradients(t, enc, o)
		if err != nil {
			return nil, err
		}
		out = append(out, math.Abs(a.Delta))
	}
	return out, nil
}
