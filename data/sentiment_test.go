package data

import (
	"strings"
	"testing"
)

func TestSentimentIsBalancedAndDeterministic(t *testing.T) {
	ex := Sentiment(SentimentOptions{Seed: 3, N: 900})
	counts := make([]int, 3)
	for _, e := range ex {
		counts[e.Label]++
	}
	if counts[0] != 300 || counts[1] != 300 || counts[2] != 300 {
		t.Fatalf("label counts %v, want 300 each", counts)
	}
	again := Sentiment(SentimentOptions{Seed: 3, N: 900})
	for i := range ex {
		if ex[i] != again[i] {
			t.Fatalf("example %d differs between runs", i)
		}
	}
}

// The dataset must defeat a bag of words: the same polarity words appear under
// opposite labels, decided by negation and contrast.
func TestSentimentNeedsMoreThanABagOfWords(t *testing.T) {
	ex := Sentiment(SentimentOptions{Seed: 1, N: 3000})
	var notBadPositive, butNegativeWithGood, neitherNeutral bool
	for _, e := range ex {
		switch {
		case e.Label == 2 && strings.Contains(e.Text, "was not bad"):
			notBadPositive = true
		case e.Label == 0 && strings.Contains(e.Text, "good, but"):
			butNegativeWithGood = true
		case e.Label == 1 && strings.Contains(e.Text, "neither"):
			neitherNeutral = true
		}
		if e.Label == 1 {
			for _, w := range append(append([]string{}, positiveWords...), negativeWords...) {
				if strings.Contains(e.Text, " "+w+".") && !strings.Contains(e.Text, "neither") {
					t.Fatalf("neutral example with a bare opinion: %q", e.Text)
				}
			}
		}
	}
	if !notBadPositive || !butNegativeWithGood || !neitherNeutral {
		t.Fatalf("missing constructions: not-bad=%v good-but=%v neither=%v", notBadPositive, butNegativeWithGood, neitherNeutral)
	}
}
