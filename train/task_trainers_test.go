package train

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// refBertDir is the small reference BERT checkpoint (with its tokenizer).
var refBertDir = filepath.Join("..", "testdata", "bert-ref-small")

// sameRuns fails unless two trained models hold the same weights, bit for
// bit, and their histories the same losses and metrics.
func sameRuns(t *testing.T, a, b nn.Module, ha, hb *History) {
	t.Helper()
	pa, pb := nn.StateDict(a), nn.StateDict(b)
	for i := range pa {
		if !pa[i].Tensor.AllClose(pb[i].Tensor, 0, 0) {
			t.Fatalf("%s differs after training", pa[i].Name)
		}
	}
	if len(ha.Steps) == 0 || len(ha.Steps) != len(hb.Steps) || len(ha.Evals) != len(hb.Evals) {
		t.Fatalf("%d steps and %d evaluations vs %d and %d", len(ha.Steps), len(ha.Evals), len(hb.Steps), len(hb.Evals))
	}
	for i := range ha.Steps {
		if ha.Steps[i].Loss != hb.Steps[i].Loss {
			t.Fatalf("step %d: loss %g vs %g", i+1, ha.Steps[i].Loss, hb.Steps[i].Loss)
		}
	}
	for i := range ha.Evals {
		for k, v := range ha.Evals[i].Metrics {
			if hb.Evals[i].Metrics[k] != v {
				t.Fatalf("evaluation %d: %s %g vs %g", i+1, k, v, hb.Evals[i].Metrics[k])
			}
		}
	}
}

func TestNewSequenceClassificationTrainerIsTheLongForm(t *testing.T) {
	tok, err := tokenizer.LoadBertTokenizer(refBertDir)
	if err != nil {
		t.Fatal(err)
	}
	examples := data.Sentiment(data.SentimentOptions{Seed: 2, N: 40})
	trainSet, devSet := examples[:32], examples[32:]
	cfg := Config{Epochs: 2, BatchSize: 8, LearningRate: 1e-3, Seed: 1, Quiet: true}

	short, err := bert.LoadForSequenceClassification(refBertDir, data.SentimentLabels, 3)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewSequenceClassificationTrainer(short, tok, trainSet, devSet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hShort, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}

	long, err := bert.LoadForSequenceClassification(refBertDir, data.SentimentLabels, 3)
	if err != nil {
		t.Fatal(err)
	}
	task := &SequenceClassificationTask{Model: long, Tokenizer: tok, Train: trainSet, Dev: devSet, Labels: data.SentimentLabels,
		MaxLength: long.Bert.Config.MaxPositionEmbeddings, Quiet: true}
	hLong, err := task.Trainer(cfg).Train()
	if err != nil {
		t.Fatal(err)
	}
	sameRuns(t, short, long, hShort, hLong)
	if _, ok := hShort.Evals[0].Metrics["accuracy"]; !ok {
		t.Fatalf("the one-line trainer does not evaluate accuracy: %v", hShort.Evals[0].Metrics)
	}
}

func TestNewTokenClassificationTrainerIsTheLongForm(t *testing.T) {
	tok, err := tokenizer.LoadBertTokenizer(refBertDir)
	if err != nil {
		t.Fatal(err)
	}
	labels := []string{"O", "B-PER", "I-PER"}
	var sentences []data.TaggedSentence
	for i := 0; i < 12; i++ {
		sentences = append(sentences, data.TaggedSentence{
			Tokens: []string{"the", "good", "film", "by", "anna", "smith"}[:3+i%4],
			Tags:   []string{"O", "O", "O", "O", "B-PER", "I-PER"}[:3+i%4],
		})
	}
	trainSet, devSet := sentences[:9], sentences[9:]
	cfg := Config{Epochs: 2, BatchSize: 4, LearningRate: 1e-3, Seed: 1, Quiet: true}

	short, err := bert.LoadForTokenClassification(refBertDir, labels, 5)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTokenClassificationTrainer(short, tok, trainSet, devSet, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hShort, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}

	long, err := bert.LoadForTokenClassification(refBertDir, labels, 5)
	if err != nil {
		t.Fatal(err)
	}
	task := &TokenClassificationTask{Model: long, Tokenizer: tok, Train: trainSet, Dev: devSet, Labels: labels,
		MaxLength: long.Bert.Config.MaxPositionEmbeddings, Quiet: true}
	cfg.Metric, cfg.GreaterIsBetter = "f1", true // what the one-line form picks for BIO tags
	hLong, err := task.Trainer(cfg).Train()
	if err != nil {
		t.Fatal(err)
	}
	sameRuns(t, short, long, hShort, hLong)
}

func TestOneLineTrainersRejectWhatTheyCannotTrain(t *testing.T) {
	tok, err := tokenizer.LoadBertTokenizer(refBertDir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := bert.LoadForSequenceClassification(refBertDir, []string{"a", "b", "c"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	good := []data.Example{{Text: "fine", Label: 1}}
	for _, tc := range []struct {
		tok        *tokenizer.BertTokenizer
		train, dev []data.Example
		want       string
	}{
		{nil, good, nil, "tokenizer is nil"},
		{tok, nil, nil, "no training data"},
		{tok, good, []data.Example{{Text: "x", Label: 3}}, "dev example 0 has label 3"},
	} {
		if _, err := NewSequenceClassificationTrainer(m, tc.tok, tc.train, tc.dev, Config{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one saying %q", err, tc.want)
		}
	}
	tagger, err := bert.LoadForTokenClassification(refBertDir, []string{"O", "B-X", "I-X"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	bad := []data.TaggedSentence{{Tokens: []string{"a"}, Tags: []string{"B-Y"}}}
	if _, err := NewTokenClassificationTrainer(tagger, tok, bad, nil, Config{}); err == nil || !strings.Contains(err.Error(), "training sentence 0") {
		t.Errorf("an unknown tag: error %v, want one naming the sentence", err)
	}
}

// tokenDocs are six synthetic documents of 40 token ids below 500, for the
// causal-LM tests.
func tokenDocs() [][]int {
	var docs [][]int
	for d := 0; d < 6; d++ {
		var doc []int
		for i := 0; i < 40; i++ {
			doc = append(doc, (d*7+i*3)%500)
		}
		docs = append(docs, doc)
	}
	return docs
}

func TestNewCausalLMTrainerIsTheLongForm(t *testing.T) {
	dir := filepath.Join("..", "testdata", "gpt2-ref-small")
	docs := tokenDocs()
	trainDocs, devDocs := docs[:5], docs[5:]
	cfg := Config{Epochs: 1, BatchSize: 4, LearningRate: 1e-3, Seed: 1, Quiet: true}

	short, err := gpt2.LoadLMHeadModel(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewCausalLMTrainer(short, trainDocs, devDocs, 16, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hShort, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}

	long, err := gpt2.LoadLMHeadModel(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewCausalLMTask(long, trainDocs, devDocs, 16)
	if err != nil {
		t.Fatal(err)
	}
	hLong, err := task.Trainer(cfg).Train()
	if err != nil {
		t.Fatal(err)
	}
	sameRuns(t, short, long, hShort, hLong)
	if _, err := NewCausalLMTrainer(short, trainDocs, devDocs, 1000, cfg); err == nil || !strings.Contains(err.Error(), "n_positions") {
		t.Fatalf("a block longer than the model takes: error %v", err)
	}
}
