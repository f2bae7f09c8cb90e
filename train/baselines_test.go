package train

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/turinglab/turinglab/data"
)

func TestNaiveBayesMatchesTheTextbookExample(t *testing.T) {
	// Manning, Raghavan and Schütze, Introduction to Information Retrieval,
	// example 13.1: is d5 about China (1) or not (0)?
	train := []data.Example{
		{Text: "Chinese Beijing Chinese", Label: 1},
		{Text: "Chinese Chinese Shanghai", Label: 1},
		{Text: "Chinese Macao", Label: 1},
		{Text: "Tokyo Japan Chinese", Label: 0},
	}
	m := TrainNaiveBayes(train, 2)
	d5 := data.Example{Text: "Chinese Chinese Chinese Tokyo Japan"}
	// By hand: P(Chinese|c) = (5+1)/(8+6) = 3/7, P(Tokyo|c) = P(Japan|c) = 1/14;
	// P(Chinese|not c) = (1+1)/(3+6) = 2/9, P(Tokyo|not c) = P(Japan|not c) = 2/9.
	want := []float64{
		math.Log(1.0/4) + 3*math.Log(2.0/9) + 2*math.Log(2.0/9),
		math.Log(3.0/4) + 3*math.Log(3.0/7) + 2*math.Log(1.0/14),
	}
	got := m.Scores(d5)
	for c := range want {
		if math.Abs(got[c]-want[c]) > 1e-12 {
			t.Fatalf("class %d: log score %v, by hand %v", c, got[c], want[c])
		}
	}
	if p := m.Predict([]data.Example{d5, {Text: "Tokyo Japan"}}); !reflect.DeepEqual(p, []int{1, 0}) {
		t.Fatalf("predictions %v, want [1 0]", p)
	}
}

func TestNaiveBayesOnTheSentimentData(t *testing.T) {
	examples := data.Sentiment(data.SentimentOptions{Seed: 1, N: 1200})
	acc := Accuracy(TrainNaiveBayes(examples[:900], 3).Predict(examples[900:]), Golds(examples[900:]))
	t.Logf("naive Bayes dev accuracy %.3f", acc)
	if acc < 0.6 {
		t.Fatalf("naive Bayes dev accuracy %.3f: it should learn the word polarities", acc)
	}
}

func TestMostFrequentTag(t *testing.T) {
	train := []data.TaggedSentence{
		{Tokens: []string{"the", "run", "was", "long"}, Tags: []string{"DET", "NOUN", "VERB", "ADJ"}},
		{Tokens: []string{"we", "run", "home"}, Tags: []string{"PRON", "VERB", "NOUN"}},
		{Tokens: []string{"they", "run", "the", "race"}, Tags: []string{"PRON", "VERB", "DET", "NOUN"}},
	}
	m := TrainMostFrequentTag(train)
	// "run" is VERB twice, NOUN once; "zebra" is unseen and gets the most
	// frequent tag overall (NOUN: 3, VERB: 3, tie to the first sorted).
	got := m.Predict([]data.TaggedSentence{{Tokens: []string{"they", "run", "zebra"}}})
	if !reflect.DeepEqual(got, [][]string{{"PRON", "VERB", "NOUN"}}) || m.Fallback != "NOUN" {
		t.Fatalf("got %v, fallback %q", got, m.Fallback)
	}
}

func TestScoreTagsChoosesTheMetricFromTheScheme(t *testing.T) {
	if DetectTagScheme(data.NERLabels) != BIOTags || DetectTagScheme([]string{"O", "S-PER", "B-LOC", "E-LOC"}) != BIOESTags ||
		DetectTagScheme([]string{"NOUN", "VERB", "DET"}) != PlainTags || DetectTagScheme([]string{"O", "I-X"}) != PlainTags {
		t.Fatal("DetectTagScheme misreads a tag set")
	}
	gold := [][]string{{"DET", "NOUN", "VERB"}, {"NOUN"}}
	pred := [][]string{{"DET", "VERB", "VERB"}, {"NOUN"}}
	r := ScoreTags(pred, gold, nil)
	if r.Scheme != PlainTags || r.Accuracy != 0.75 || !reflect.DeepEqual(r.PerTag, []float64{1, 0.5, 1}) {
		t.Fatalf("plain tags: %+v", r)
	}
	if _, ok := r.Metrics()["f1"]; ok || !strings.Contains(r.String(), "token accuracy") {
		t.Fatalf("plain tags must be scored by token accuracy, not F1:\n%s", r)
	}
	ner := ScoreTags([][]string{{"B-PER", "I-PER", "O"}}, [][]string{{"B-PER", "I-PER", "O"}}, data.NERLabels)
	if m := ner.Metrics(); m["f1"] != 1 || m["accuracy"] != 1 || !strings.Contains(ner.String(), "entity-level F1") {
		t.Fatalf("BIO tags: %v\n%s", m, ner)
	}
}

func TestPredictionBatchesGroupByLength(t *testing.T) {
	batches := predictionBatches([]int{5, 1, 9, 1, 5}, 2)
	if !reflect.DeepEqual(batches, [][]int{{1, 3}, {0, 4}, {2}}) {
		t.Fatalf("batches %v", batches)
	}
}

func TestTasksWithoutDevTrainWithoutEvaluation(t *testing.T) {
	task := &SequenceClassificationTask{Train: []data.Example{{Text: "a b"}, {Text: "c"}}}
	tr := task.Trainer(Config{})
	if tr.Evaluate != nil || len(tr.notes) != 1 || !strings.Contains(tr.notes[0], "no Dev set") {
		t.Fatalf("Evaluate set: %v, notes %q", tr.Evaluate != nil, tr.notes)
	}
	if !reflect.DeepEqual(tr.Lengths, []int{2, 1}) {
		t.Fatalf("lengths %v", tr.Lengths)
	}
	task.Dev = task.Train
	if task.Trainer(Config{}).Evaluate == nil {
		t.Fatal("with a Dev set the task must evaluate")
	}
}

func TestTimeBudgetStopsAtAStepBoundary(t *testing.T) {
	dir := t.TempDir()
	tr, _ := resumable(t, dir)
	// A budget spent before the first step ends: the run stops after it.
	tr.Config.TimeBudget = time.Nanosecond
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if !h.StoppedByBudget || len(h.Steps) != 1 || !strings.Contains(h.Summary(), "stopped by the time budget of 1ns") {
		t.Fatalf("%d steps: %s", len(h.Steps), h.Summary())
	}
	if last, err := LastCheckpoint(dir); err != nil || !strings.HasSuffix(last, "checkpoint-1") {
		t.Fatalf("the budget stop must leave a checkpoint: %q, %v", last, err)
	}
}
