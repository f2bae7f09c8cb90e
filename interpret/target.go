package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// Target is the model output an interpretation method explains: one score per
// row of a batch. It bundles the whole model (so that methods can switch it to
// evaluation mode and keep its parameter gradients clean), its BERT encoder
// (whose embeddings and hooks the methods use) and the score function.
type Target struct {
	// Name says what the score is, e.g. "logit[positive]" or "P(paris @ 5)".
	Name string
	// Module is the whole model, head included.
	Module nn.Module
	// Bert is the encoder inside Module.
	Bert *bert.Model
	// Score runs the whole model on in (with any encoder hooks already
	// installed by the caller) and returns a [batch] tensor of scores,
	// differentiable with respect to the hidden states.
	Score func(in *bert.Inputs) (*autograd.Tensor, error)
}

// ClassLogit explains the logit of class of a sequence classifier (captum's
// usual choice: logits are linear in the last layer, probabilities saturate).
func ClassLogit(m *bert.ForSequenceClassification, class int) *Target {
	return classTarget(m, class, fmt.Sprintf("logit[%d]", class), func(logits *autograd.Tensor) *autograd.Tensor { return logits })
}

// ClassProbability explains the softmax probability of class of a sequence
// classifier.
func ClassProbability(m *bert.ForSequenceClassification, class int) *Target {
	return classTarget(m, class, fmt.Sprintf("P(class %d)", class), func(logits *autograd.Tensor) *autograd.Tensor { return logits.Softmax(1) })
}

// classTarget is the target named name whose score is column class of
// of(logits) ([batch, labels] to [batch, labels]) for the classifier m.
func classTarget(m *bert.ForSequenceClassification, class int, name string, of func(logits *autograd.Tensor) *autograd.Tensor) *Target {
	return &Target{
		Name:   name,
		Module: m,
		Bert:   m.Bert,
		Score: func(in *bert.Inputs) (*autograd.Tensor, error) {
			out, err := m.Forward(in, nil)
			if err != nil {
				return nil, err
			}
			if n := out.Logits.Size(1); class < 0 || class >= n {
				return nil, fmt.Errorf("interpret: class %d out of range: the classifier has %d labels", class, n)
			}
			return of(out.Logits).Select(1, class), nil
		},
	}
}

// MaskedTokenProbability explains the probability that a masked-language
// model puts on tokenID at position (a token index of the encoding, usually
// the [MASK]). m is a *bert.ForMaskedLM or a *bert.ForPreTraining.
func MaskedTokenProbability(m nn.Module, position, tokenID int) (*Target, error) {
	enc, head, err := MLMParts(m)
	if err != nil {
		return nil, err
	}
	if tokenID < 0 || tokenID >= head.Decoder.Size(0) {
		return nil, fmt.Errorf("interpret: token id %d out of range: the vocabulary has %d tokens", tokenID, head.Decoder.Size(0))
	}
	return &Target{
		Name:   fmt.Sprintf("P(token %d @ %d)", tokenID, position),
		Module: m,
		Bert:   enc,
		Score: func(in *bert.Inputs) (*autograd.Tensor, error) {
			if position < 0 || position >= in.SeqLen {
				return nil, fmt.Errorf("interpret: position %d out of range: the input has %d tokens", position, in.SeqLen)
			}
			out, err := enc.Forward(in)
			if err != nil {
				return nil, err
			}
			logits := head.Forward(out.LastHiddenState.Select(1, position)) // [batch, vocab]
			return logits.Softmax(1).Select(1, tokenID), nil
		},
	}, nil
}

// MLMParts returns the encoder and the masked-LM prediction head of a
// masked-language model (*bert.ForMaskedLM or *bert.ForPreTraining): what
// the logit lens and masked-token targets need.
func MLMParts(m nn.Module) (*bert.Model, *bert.LMPredictionHead, error) {
	switch v := m.(type) {
	case *bert.ForMaskedLM:
		return v.Bert, v.Cls.Predictions, nil
	case *bert.ForPreTraining:
		return v.Bert, v.Cls.Predictions, nil
	}
	return nil, nil, fmt.Errorf("interpret: %T has no masked-LM head (want *bert.ForMaskedLM or *bert.ForPreTraining)", m)
}

// scoresOf runs the target on in and returns the scores as float64s, without
// building a graph.
func scoresOf(t *Target, in *bert.Inputs) ([]float64, error) {
	var s []float64
	var err error
	autograd.NoGrad(func() {
		var out *autograd.Tensor
		out, err = t.Score(in)
		if err == nil {
			s = out.Float64s()
		}
	})
	return s, err
}

// withFrozenParameters runs f with every parameter of m excluded from the
// graph, so that a backward pass computes only the gradients an attribution
// needs and leaves the model's own .Grad untouched.
func withFrozenParameters(m nn.Module, f func() error) error {
	var frozen []*autograd.Tensor
	for _, p := range nn.Parameters(m) {
		if p.RequiresGrad() {
			p.SetRequiresGrad(false)
			frozen = append(frozen, p)
		}
	}
	defer func() {
		for _, p := range frozen {
			p.SetRequiresGrad(true)
		}
	}()
	return f()
}

// withHook runs f with h installed on the encoder, removing it afterwards
// even when f panics.
func withHook(m *bert.Model, h bert.LayerHook, f func() error) error {
	remove := m.Encoder.AddHook(h)
	defer remove()
	return f()
}

// repeatInputs is the encoding repeated batch times as one batch.
func repeatInputs(enc *tokenizer.BertEncoding, batch int) *bert.Inputs {
	n := len(enc.IDs)
	in := &bert.Inputs{Batch: batch, SeqLen: n}
	for b := 0; b < batch; b++ {
		in.InputIDs = append(in.InputIDs, enc.IDs...)
		in.TokenTypeIDs = append(in.TokenTypeIDs, enc.TypeIDs...)
		in.AttentionMask = append(in.AttentionMask, enc.AttentionMask...)
	}
	return in
}

// embeddingOutput is the embedding output [1, T, hidden] of enc, without a
// graph.
func embeddingOutput(m *bert.Model, enc *tokenizer.BertEncoding) *autograd.Tensor {
	var h *autograd.Tensor
	autograd.NoGrad(func() { h = m.Embeddings.Forward(repeatInputs(enc, 1)).Contiguous() })
	return h
}

// checkEncoding rejects an empty encoding or one whose slices disagree.
func checkEncoding(enc *tokenizer.BertEncoding) error {
	if enc == nil || len(enc.IDs) == 0 {
		return fmt.Errorf("interpret: empty encoding")
	}
	n := len(enc.IDs)
	if len(enc.TypeIDs) != n || len(enc.AttentionMask) != n || len(enc.Tokens) != n {
		return fmt.Errorf("interpret: encoding has %d ids but %d type ids, %d mask entries and %d tokens", n, len(enc.TypeIDs), len(enc.AttentionMask), len(enc.Tokens))
	}
	return nil
}
