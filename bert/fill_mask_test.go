package bert

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/tokenizer"
)

func TestFillMaskRanksTheVocabulary(t *testing.T) {
	vocab, err := tokenizer.NewVocab(append(append([]string{}, tokenizer.BertSpecialTokens...), "the", "cat", "sat", "on", "mat"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.IntermediateSize = vocab.Size(), 16, 1, 2, 32
	model, err := NewForPreTraining(cfg, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	preds, err := FillMask(model, tok, "the cat [MASK] on the [MASK]", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != 2 || len(preds[0]) != 3 {
		t.Fatalf("got %d masks with %d candidates", len(preds), len(preds[0]))
	}
	for _, p := range preds {
		if !(p[0].Prob >= p[1].Prob && p[1].Prob >= p[2].Prob) || p[0].Prob <= 0 || p[0].Prob > 1 {
			t.Fatalf("candidates not ranked by probability: %+v", p)
		}
		if vocab.Token(p[0].ID) != p[0].Token {
			t.Fatalf("token/id mismatch %+v", p[0])
		}
	}
	// The probabilities are the softmax of the logits at the masked position.
	enc, _ := tok.Encode("the cat [MASK] on the [MASK]", tokenizer.EncodeOptions{})
	in, _ := InputsFromEncodings([]*tokenizer.BertEncoding{enc})
	out, _ := model.Forward(in, nil)
	if got := float64(out.PredictionLogits.Softmax(-1).At(0, 3, preds[0][0].ID)); math.Abs(got-preds[0][0].Prob) > 1e-6 {
		t.Fatalf("prob %v, want %v", preds[0][0].Prob, got)
	}
	if _, err := FillMask(model, tok, "no mask here", 1); err == nil || !strings.Contains(err.Error(), "no [MASK]") {
		t.Fatalf("err = %v", err)
	}
}
