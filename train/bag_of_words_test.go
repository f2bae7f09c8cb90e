package train

import (
	"testing"

	"github.com/turinglab/turinglab/data"
)

func TestBagOfWordsLearnsWordsButNotNegation(t *testing.T) {
	examples := data.Sentiment(data.SentimentOptions{Seed: 1, N: 1200})
	model := TrainBagOfWords(examples[:900], 3, 300, 0.05)
	acc := Accuracy(model.Predict(examples[900:]), Golds(examples[900:]))
	t.Logf("bag of words dev accuracy %.3f", acc)
	if acc < 0.6 {
		t.Fatalf("bag of words dev accuracy %.3f: it should learn the word polarities", acc)
	}
	if acc > 0.97 {
		t.Fatalf("bag of words dev accuracy %.3f: the dataset should defeat word counting", acc)
	}
	// Word order is invisible: these two get the same prediction.
	a := model.Predict([]data.Example{{Text: "The plot was not good, but the cast was bad."}})
	b := model.Predict([]data.Example{{Text: "The plot was not bad, but the cast was good."}})
	if a[0] != b[0] {
		t.Fatalf("a bag of words cannot tell %d from %d", a[0], b[0])
	}
}
