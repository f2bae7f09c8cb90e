package interpret

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

func TestRankTokensSkipsSpecialTokensAndSortsByScore(t *testing.T) {
	tok := testTokenizer(t)
	enc := encode(t, tok, "the film was good") // [CLS] the film was good [SEP]
	got := RankTokens(enc, []float64{9, 0.1, 0.5, 0.5, 0.3, 8})
	want := []int{2, 3, 4, 1} // ties keep position order; [CLS] and [SEP] never ranked
	if len(got) != len(want) {
		t.Fatalf("ranking %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranking %v, want %v", got, want)
		}
	}
	w := WithoutTokens(enc, []int{2, 4})
	if len(w.IDs) != 4 || w.Tokens[1] != "the" || w.Tokens[2] != "was" || len(w.TypeIDs) != 4 || len(w.AttentionMask) != 4 {
		t.Fatalf("without film and good: %v", w.Tokens)
	}
}

func TestDeletionDropsByHand(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 3)
	enc := encode(t, tok, "the film was not very good")
	target := ClassLogit(m, 1)
	ranking := []int{5, 2, 4}
	drops, err := DeletionDrops(target, enc, ranking, 3)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := scoresOf(target, repeatInputs(enc, 1))
	for k := 1; k <= 3; k++ {
		s, _ := scoresOf(target, repeatInputs(encode(t, tok, map[int]string{1: "the was not good", 2: "the was not good", 3: "the was good"}[k]), 1))
		if k == 1 {
			s, _ = scoresOf(target, repeatInputs(encode(t, tok, "the film was not good"), 1))
		}
		if math.Abs(drops[k-1]-(full[0]-s[0])) > 1e-6 {
			t.Fatalf("k = %d: drop %v, want %v", k, drops[k-1], full[0]-s[0])
		}
	}
	if _, err := DeletionDrops(target, enc, ranking, 4); err == nil {
		t.Fatal("a ranking shorter than k was accepted")
	}
}

func TestDeletionTestShapesAndRandomFloor(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 4)
	texts := []string{"the film was not very good", "i liked the story", "awful movie", "it was great and the story was bad"}
	r, err := DeletionTest(m, tok, texts, DeletionOptions{MaxK: 3, Seed: 1, IG: IGOptions{PadID: tok.PadID, Steps: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Texts != 3 || r.Skipped != 1 || len(r.Drops) != len(r.Methods) || len(r.Drops[0]) != 3 {
		t.Fatalf("texts %d skipped %d, drops %v", r.Texts, r.Skipped, r.Drops)
	}
	for i := range r.Methods {
		if len(r.PerText[i]) != 3 || math.IsNaN(r.Drops[i][1]) || r.SD[i][0] < 0 {
			t.Fatalf("%s: %v ± %v", r.Methods[i], r.Drops[i], r.SD[i])
		}
	}
	if r.Drop(MethodIG, 3) != r.Drops[2][2] {
		t.Fatal("Drop does not index Drops")
	}
	if png, err := r.Plot().PNG(); err != nil || len(png) == 0 {
		t.Fatal(err)
	}
}

func TestEmbeddingGradientMatchesSaliencyGradient(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 5)
	enc := encode(t, tok, "the film was awful")
	target := ClassLogit(m, 0)
	x, g, err := inputGradient(target, enc)
	if err != nil {
		t.Fatal(err)
	}
	T := len(enc.IDs)
	got, err := EmbeddingGradient(target, enc, autograd.New(append(append([]float32(nil), x...), x...), 2, T, 16))
	if err != nil {
		t.Fatal(err)
	}
	want := autograd.New(append(append([]float32(nil), g...), g...), 2, T, 16)
	if !got.AllClose(want, 1e-5, 1e-6) {
		t.Fatal("the gradient of a batch of two copies differs from the single gradient")
	}
	if _, err := EmbeddingGradient(target, enc, autograd.Zeros(1, T+1, 16)); err == nil {
		t.Fatal("a wrongly shaped embedding output was accepted")
	}
	for _, p := range m.NamedParameters("") {
		if p.Tensor.Grad() != nil {
			t.Fatalf("parameter %s got a gradient", p.Name)
		}
	}
}
