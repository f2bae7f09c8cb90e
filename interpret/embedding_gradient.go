package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/tokenizer"
)

// EmbeddingGradient returns ∂F/∂e, the gradient of the target's score with
// respect to the embedding output, evaluated at emb [B, T, hidden]: each of
// the B rows is enc run with its embedding output replaced by that row of
// emb. It is the building block of saliency, input × gradient and
// integrated gradients (which evaluates it along the path from the baseline
// to the input), and leaves the model's parameter gradients untouched.
func EmbeddingGradient(t *Target, enc *tokenizer.BertEncoding, emb *autograd.Tensor) (*autograd.Tensor, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	s := emb.Shape()
	if len(s) != 3 || s[1] != len(enc.IDs) || s[2] != t.Bert.Config.HiddenSize {
		return nil, fmt.Errorf("interpret: embedding output has shape %v, want [batch, %d, %d]", s, len(enc.IDs), t.Bert.Config.HiddenSize)
	}
	g, err := gradientAt(t, enc, emb.Detach().Contiguous().Data(), s[0])
	if err != nil {
		return nil, err
	}
	return autograd.New(g, s...), nil
}
