package interpret

import (
	"strings"
	"sync"
	"testing"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// keywordModel is a black-box classifier that keys on one word: class 1 when
// the text contains it, class 0 otherwise.
type keywordModel struct{ word string }

func (k keywordModel) Probabilities(texts []string) ([][]float64, error) {
	var out [][]float64
	for _, t := range texts {
		has := false
		for _, p := range splitWords(strings.ToLower(t)) {
			has = has || p.Text == k.word
		}
		if has {
			out = append(out, []float64{0.1, 0.9})
		} else {
			out = append(out, []float64{0.8, 0.2})
		}
	}
	return out, nil
}

// keywordData labels texts 1 exactly when they contain "good".
func keywordData() []data.Example {
	var out []data.Example
	for _, tpl := range []string{"the film was %s", "the movie is very %s", "i liked the story , it was %s", "alice hated it , the film is %s", "bob is %s and the city is great", "the story was %s !"} {
		for _, w := range []string{"good", "bad", "awful", "great", "not", "good", "good", "the", "very"} {
			label := 0
			if w == "good" {
				label = 1
			}
			out = append(out, data.Example{Text: strings.Replace(tpl, "%s", w, 1), Label: label})
		}
	}
	return out
}

var (
	keywordOnce  sync.Once
	keywordBert  *bert.ForSequenceClassification
	keywordError error
)

// trainedKeywordBert is a tiny BERT fine-tuned until it predicts "contains
// good" perfectly on keywordData (trained once per test binary).
func trainedKeywordBert(t *testing.T) *bert.ForSequenceClassification {
	t.Helper()
	keywordOnce.Do(func() {
		tok := testTokenizer(t)
		m := tinyClassifier(t, 21)
		ex := keywordData()
		task := &train.SequenceClassificationTask{Model: m, Tokenizer: tok, Train: ex, Dev: ex, Labels: []string{"other", "good"}}
		tr := &train.Trainer{Model: m, TrainSize: len(ex), Loss: task.Loss,
			Config: train.Config{Epochs: 40, BatchSize: 16, LearningRate: 3e-3, Schedule: "constant", Quiet: true, Seed: 1}}
		if _, err := tr.Train(); err != nil {
			keywordError = err
			return
		}
		m.SetTraining(false)
		pred, _ := NewClassifier(m, tok).Predict(texts(ex))
		for i, p := range pred {
			if p != ex[i].Label {
				t.Logf("keyword model wrong on %q", ex[i].Text)
			}
		}
		keywordBert = m
	})
	if keywordError != nil {
		t.Fatal(keywordError)
	}
	return keywordBert
}

func texts(ex []data.Example) []string {
	var out []string
	for _, e := range ex {
		out = append(out, e.Text)
	}
	return out
}

func TestGreedyAttackFlipsTheKeyWord(t *testing.T) {
	tok := testTokenizer(t)
	nb, err := NewNeighbours(tinyClassifier(t, 1), tok)
	if err != nil {
		t.Fatal(err)
	}
	ex := []data.Example{
		{Text: "I liked the story, it was good!", Label: 1},
		{Text: "the film was bad", Label: 1}, // the model says 0: skipped
		{Text: "zzz qqq", Label: 0},          // attacked, but no word has a substitute: fails
	}
	rs, err := GreedyWordAttack(keywordModel{"good"}, nb, ex, AttackOptions{MinCosine: -1, Candidates: 5, MaxWordFraction: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.Status != AttackSucceeded || len(r.Changed) != 1 || r.before[r.Changed[0]].Text != "good" {
		t.Fatalf("attack: %+v", r)
	}
	if strings.Contains(r.Perturbed, "good") || !strings.HasPrefix(r.Perturbed, "I liked the story, it was ") || !strings.HasSuffix(r.Perturbed, "!") {
		t.Fatalf("perturbed %q", r.Perturbed)
	}
	// 1 original query + 7 deletions + 5 candidates for "good".
	if r.Queries != 13 || r.Words != 7 {
		t.Fatalf("queries %d words %d", r.Queries, r.Words)
	}
	if rs[1].Status != AttackSkipped || rs[2].Status != AttackFailed {
		t.Fatalf("statuses %s %s", rs[1].Status, rs[2].Status)
	}
	s := Summarize("greedy", rs)
	if s.Succeeded != 1 || s.Failed != 1 || s.Skipped != 1 || s.SuccessRate != 0.5 ||
		s.AccuracyUnderAttack != 1.0/3 || s.OriginalAccuracy != 2.0/3 || s.AvgPerturbedWordPct != 100.0/7 || s.AvgQueries != (13+3)/2.0 || s.AvgWords != (7+2)/2.0 {
		t.Fatalf("summary %+v", s)
	}
	if h := ExamplesHTML(rs, AttackSucceeded, 3); !strings.Contains(string(h), "<b>succeeded</b>") {
		t.Fatal(h)
	}
}

// countingModel is a black-box classifier that needs two of its words to be
// sure: P(class 1) is 0.9 with two or more of them in the text, 0.6 with
// one, 0.2 with none.
type countingModel struct{ words map[string]bool }

func (c countingModel) Probabilities(texts []string) ([][]float64, error) {
	var out [][]float64
	for _, t := range texts {
		n := 0
		for _, p := range splitWords(strings.ToLower(t)) {
			if c.words[p.Text] {
				n++
			}
		}
		p1 := map[bool]float64{true: 0.6, false: 0.2}[n == 1]
		if n >= 2 {
			p1 = 0.9
		}
		out = append(out, []float64{1 - p1, p1})
	}
	return out, nil
}

func TestAttackBudgetInWords(t *testing.T) {
	if b := (AttackOptions{MaxWordFraction: 1, MaxWords: 2}).budget(10); b != 2 {
		t.Errorf("budget with MaxWords 2 of 10 words: %d", b)
	}
	if b := (AttackOptions{MaxWordFraction: 0.2, MaxWords: 5}).budget(10); b != 2 {
		t.Errorf("budget with fraction 0.2 of 10 words under MaxWords 5: %d", b)
	}
	nb, err := NewNeighbours(tinyClassifier(t, 1), testTokenizer(t))
	if err != nil {
		t.Fatal(err)
	}
	clf := countingModel{map[string]bool{"good": true, "great": true}}
	ex := []data.Example{{Text: "the film was good and great", Label: 1}}
	for _, words := range []int{1, 2} {
		rs, err := GreedyWordAttack(clf, nb, ex, AttackOptions{MinCosine: -1, Candidates: 5, MaxWordFraction: 1, MaxWords: words})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{1: AttackFailed, 2: AttackSucceeded}[words]
		if rs[0].Status != want || len(rs[0].Changed) != words {
			t.Errorf("MaxWords %d: %s after changing %d words, want %s after %d", words, rs[0].Status, len(rs[0].Changed), want, words)
		}
	}
}

func TestHotFlipFlipsTheKeyWord(t *testing.T) {
	tok := testTokenizer(t)
	m := trainedKeywordBert(t)
	nb, err := NewNeighbours(m, tok)
	if err != nil {
		t.Fatal(err)
	}
	ex := []data.Example{{Text: "the film was good", Label: 1}, {Text: "the movie is very good", Label: 1}}
	rs, err := HotFlip(m, tok, nb, ex, AttackOptions{MinCosine: -1, Candidates: 100, MaxWordFraction: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Status != AttackSucceeded || len(r.Changed) != 1 || r.before[r.Changed[0]].Text != "good" {
			t.Fatalf("HotFlip on %q: %s, changed %v → %q", r.Original, r.Status, r.Changed, r.Perturbed)
		}
	}
}

func TestEmbeddingFromWordsMatchesBert(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 8)
	enc, _ := tok.EncodePair("the film", "was good", tokenizer.EncodeOptions{})
	want := embeddingOutput(m.Bert, enc)
	table := m.Bert.Embeddings.WordEmbeddings.Weight.Contiguous().Data()
	var rows []float32
	for _, id := range enc.IDs {
		rows = append(rows, table[id*16:(id+1)*16]...)
	}
	got := embeddingFromWords(m.Bert.Embeddings, autogradNew(rows, len(enc.IDs)), enc.TypeIDs)
	if !got.AllClose(want, 1e-6, 1e-6) {
		t.Fatal("recomputed embedding output differs from Embeddings.Forward")
	}
}
