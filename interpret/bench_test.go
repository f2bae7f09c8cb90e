package interpret

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
)

// courseSizedClassifier is a random classifier of the course's model size
// (hidden 64, 2 layers, 2 heads, intermediate 128) over the test vocabulary.
func courseSizedClassifier(b *testing.B, layers int) *bert.ForSequenceClassification {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize = len(testWords), 64, layers, 2, 128
	c.MaxPositionEmbeddings = 128
	c.SetNumLabels(3)
	m, err := bert.NewForSequenceClassification(c, autograd.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	return m
}

// BenchmarkIntegratedGradients64Tokens: IG with 50 Gauss–Legendre steps
// (internal batch 16) on a 64-token input, course model size.
func BenchmarkIntegratedGradients64Tokens(b *testing.B) {
	tok := testTokenizer(b)
	m := courseSizedClassifier(b, 2)
	words := strings.Fields("the film was good and the story was not bad")
	var text []string
	for len(text) < 62 {
		text = append(text, words[len(text)%len(words)])
	}
	enc := encode(b, tok, strings.Join(text, " "))
	if len(enc.IDs) != 64 {
		b.Fatalf("%d tokens", len(enc.IDs))
	}
	target := ClassLogit(m, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := IntegratedGradients(target, enc, IGOptions{PadID: tok.PadID}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCausalTraceGrid: the full (hidden state × token) grid for one
// fact, 10 noise samples, the notebook's fact-model size (hidden 64, 3
// layers, 4 heads), a 9-token cloze.
func BenchmarkCausalTraceGrid(b *testing.B) {
	tok := testTokenizer(b)
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize = len(testWords), 64, 3, 4, 128
	m, err := bert.NewForMaskedLM(c, autograd.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	text := "the capital of france is [MASK] ."
	enc := encode(b, tok, text)
	target, _ := MaskedTokenProbability(m, 6, id(b, tok, "paris"))
	subject, _ := SubjectPositions(enc, text, "france")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CausalTrace(target, enc, subject, TraceOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// attackSet is 100 reviews labelled with the model's own prediction, so that
// none is skipped.
func attackSet(b *testing.B, clf *Classifier) []data.Example {
	var ex []data.Example
	tpl := []string{"the film was %s", "i liked the movie , it was very %s", "alice said the story is %s !", "bob hated it and the film was %s"}
	adj := []string{"good", "bad", "great", "awful", "not good"}
	for i := 0; len(ex) < 100; i++ {
		ex = append(ex, data.Example{Text: strings.Replace(tpl[i%len(tpl)], "%s", adj[(i/len(tpl))%len(adj)], 1)})
	}
	pred, err := clf.Predict(texts(ex))
	if err != nil {
		b.Fatal(err)
	}
	for i := range ex {
		ex[i].Label = pred[i]
	}
	return ex
}

// BenchmarkGreedyWordAttack100: the greedy word-importance attack over 100
// examples, course model size.
func BenchmarkGreedyWordAttack100(b *testing.B) {
	tok := testTokenizer(b)
	m := courseSizedClassifier(b, 2)
	clf := NewClassifier(m, tok)
	nb, _ := NewNeighbours(m, tok)
	ex := attackSet(b, clf)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := GreedyWordAttack(clf, nb, ex, AttackOptions{MinCosine: -1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHotFlip100: HotFlip over 100 examples, course model size.
func BenchmarkHotFlip100(b *testing.B) {
	tok := testTokenizer(b)
	m := courseSizedClassifier(b, 2)
	nb, _ := NewNeighbours(m, tok)
	ex := attackSet(b, NewClassifier(m, tok))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := HotFlip(m, tok, nb, ex, AttackOptions{MinCosine: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
