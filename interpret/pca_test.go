package interpret

import (
	"math"
	"testing"
)

func TestPCAKnownAnswer(t *testing.T) {
	// Points on the line y = 2x (plus a tiny orthogonal wobble): the first
	// component carries almost all the variance, and projections are the
	// signed distances along (1, 2)/√5 from the mean.
	x := [][]float64{{-2, -4}, {-1, -2.001}, {0, 0}, {1, 2.001}, {2, 4}}
	p, err := PCA(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.ExplainedRatio[0] < 0.9999 {
		t.Fatalf("explained ratio %v", p.ExplainedRatio)
	}
	want := math.Sqrt(4 + 16)
	if math.Abs(math.Abs(p.Points[0][0])-want) > 1e-3 || math.Abs(p.Points[2][0]) > 1e-9 {
		t.Fatalf("projection %v", p.Points)
	}
	// Variance along PC1 is the sample variance of the projections (n−1).
	var s float64
	for _, pt := range p.Points {
		s += pt[0] * pt[0]
	}
	if math.Abs(s/4-p.Variance[0]) > 1e-9 {
		t.Fatalf("variance %v vs %v", p.Variance[0], s/4)
	}
	if _, err := p.Scatter("x", []string{"a", "a", "b", "b", "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := PCA(x, 3); err == nil {
		t.Fatal("k > dims accepted")
	}
}

func TestSentenceEmbeddings(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 4)
	texts := []string{"the film was good", "bad", "i hated the movie and the story"}
	e, err := SentenceEmbeddings(m, tok, texts, "mean")
	if err != nil {
		t.Fatal(err)
	}
	// Padding must not change a text's embedding: embed "bad" alone.
	alone, _ := SentenceEmbeddings(m, tok, texts[1:2], "mean")
	for j := range alone[0] {
		if math.Abs(alone[0][j]-e[1][j]) > 1e-5 {
			t.Fatalf("padded embedding differs at %d: %v vs %v", j, e[1][j], alone[0][j])
		}
	}
}

func TestProbeSeparableData(t *testing.T) {
	// Class is the sign of feature 0: a linear probe must learn it.
	var x [][]float64
	var y []int
	for i := 0; i < 200; i++ {
		v := float64(i%20) - 9.5
		x = append(x, []float64{v, float64(i%7) - 3})
		if v > 0 {
			y = append(y, 1)
		} else {
			y = append(y, 0)
		}
	}
	p, err := TrainProbe(x, y, 2, ProbeOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.TestAccuracy != 1 || p.TrainAccuracy != 1 {
		t.Fatalf("probe accuracy train %v test %v", p.TrainAccuracy, p.TestAccuracy)
	}
	if p.Majority > 0.7 {
		t.Fatalf("majority baseline %v", p.Majority)
	}
}
