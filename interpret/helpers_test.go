package interpret

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/tokenizer"
)

// testWords is a small vocabulary for tokenizer-level tests.
var testWords = strings.Fields("[PAD] [UNK] [CLS] [SEP] [MASK] the a film was good bad great awful not very is capital of paris france rome italy berlin germany city and . , ! ? i liked hated it movie story alice bob london madrid spain")

func testTokenizer(t testing.TB) *tokenizer.BertTokenizer {
	t.Helper()
	v, err := tokenizer.NewVocab(testWords)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(v, true)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func tinyConfig(layers int) *bert.Config {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = len(testWords), 16, layers, 2
	c.IntermediateSize, c.MaxPositionEmbeddings, c.InitializerRange = 32, 64, 0.2
	return c
}

func tinyClassifier(t testing.TB, seed uint64) *bert.ForSequenceClassification {
	t.Helper()
	c := tinyConfig(2)
	c.SetNumLabels(2)
	m, err := bert.NewForSequenceClassification(c, autograd.NewRNG(seed))
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	return m
}

func tinyMLM(t testing.TB, seed uint64) *bert.ForMaskedLM {
	t.Helper()
	m, err := bert.NewForMaskedLM(tinyConfig(2), autograd.NewRNG(seed))
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	return m
}

func encode(t testing.TB, tok *tokenizer.BertTokenizer, text string) *tokenizer.BertEncoding {
	t.Helper()
	e, err := tok.Encode(text, tokenizer.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func id(t testing.TB, tok *tokenizer.BertTokenizer, word string) int {
	t.Helper()
	i, ok := tok.Vocab.ID(word)
	if !ok {
		t.Fatalf("%q not in vocabulary", word)
	}
	return i
}

func autogradNew(rows []float32, T int) *autograd.Tensor {
	return autograd.New(rows, 1, T, len(rows)/T)
}
