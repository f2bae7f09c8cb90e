package interpret

import (
	"strings"
	"testing"
	"time"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/internal/cputime"
)

// measureCPU resets the benchmark timer and returns a function that reports
// the process CPU time per operation (metric cpu-ms/op) when the loop is done.
func measureCPU(b *testing.B) func() {
	b.ResetTimer()
	start := cputime.Process()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64(cputime.Process()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// courseConfig is a BERT of the course model's size (recipes.DefaultCourseRecipe:
// 2 layers, hidden 128, 4 heads, intermediate 256, a vocabulary of 800;
// written out here because recipes is a layer above interpret), with 64
// positions instead of the recipe's 48 so that the IG benchmark's 64-token
// input fits. The weights are random: the cost does not depend on them.
func courseConfig() *bert.Config {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize = 800, 128, 2, 4, 256
	c.MaxPositionEmbeddings = 64
	return c
}

// courseSizedClassifier is a random 3-class classifier of the course's size
// over the test vocabulary (its ids are a subset of the 800).
func courseSizedClassifier(b *testing.B) *bert.ForSequenceClassification {
	c := courseConfig()
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
	m := courseSizedClassifier(b)
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
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := IntegratedGradients(target, enc, IGOptions{PadID: tok.PadID}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCausalTraceGrid: the full (hidden state × token) grid for one
// fact, 10 noise samples, the course's pretrained model size with its MLM
// head over 800 words, a 9-token cloze.
func BenchmarkCausalTraceGrid(b *testing.B) {
	tok := testTokenizer(b)
	m, err := bert.NewForPreTraining(courseConfig(), autograd.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	m.SetTraining(false)
	text := "the capital of france is [MASK] ."
	enc := encode(b, tok, text)
	target, _ := MaskedTokenProbability(m, 6, id(b, tok, "paris"))
	subject, _ := SubjectPositions(enc, text, "france")
	defer measureCPU(b)()
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
	m := courseSizedClassifier(b)
	clf := NewClassifier(m, tok)
	nb, _ := NewNeighbours(m, tok)
	ex := attackSet(b, clf)
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := GreedyWordAttack(clf, nb, ex, AttackOptions{MinCosine: -1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHotFlip100: HotFlip over 100 examples, course model size.
func BenchmarkHotFlip100(b *testing.B) {
	tok := testTokenizer(b)
	m := courseSizedClassifier(b)
	nb, _ := NewNeighbours(m, tok)
	ex := attackSet(b, NewClassifier(m, tok))
	defer measureCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := HotFlip(m, tok, nb, ex, AttackOptions{MinCosine: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
