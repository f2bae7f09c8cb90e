package train

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// tinySetup builds a small world, a WordPiece vocabulary trained on it, and a
// tokenizer and config for a 1-layer BERT, shared by the task tests.
func tinySetup(t *testing.T) (*data.World, *tokenizer.BertTokenizer, *bert.Config) {
	t.Helper()
	world := data.SmallWorld(data.SmallWorldOptions{Seed: 1, Countries: 4, PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 2})
	vocab, err := tokenizer.NewWordPieceTrainer(400).Train(world.Sentences())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	cfg := bert.DefaultConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.IntermediateSize = vocab.Size(), 32, 1, 2, 64
	cfg.MaxPositionEmbeddings = 64
	return world, tok, cfg
}

// worldDocuments are the small world's documents of sentences, tokenized
// with tok.
func worldDocuments(world *data.World, tok *tokenizer.BertTokenizer) [][][]string {
	var docs [][][]string
	for _, d := range world.Documents {
		var doc [][]string
		for _, s := range d {
			doc = append(doc, tok.Tokenize(s))
		}
		docs = append(docs, doc)
	}
	return docs
}

// worldInstances tokenizes the small world's documents with tok and makes
// their pretraining instances of at most 32 tokens, dupeFactor maskings of
// each, with the options it used.
func worldInstances(t *testing.T, world *data.World, tok *tokenizer.BertTokenizer, dupeFactor int) (data.PretrainingOptions, []data.PretrainingInstance) {
	t.Helper()
	opts := data.DefaultPretraining
	opts.MaxSeqLength, opts.DupeFactor = 32, dupeFactor
	instances, err := data.CreatePretrainingInstances(worldDocuments(world, tok), tok.Vocab.Tokens(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return opts, instances
}

func TestPretrainingTaskLearns(t *testing.T) {
	world, tok, cfg := tinySetup(t)
	_, instances := worldInstances(t, world, tok, 2)
	model, err := bert.NewForPreTraining(cfg, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	model.MaskedOnly = true
	split := len(instances) * 9 / 10
	task := &PretrainingTask{Model: model, Vocab: tok.Vocab, Train: instances[:split], Dev: instances[split:]}

	in, labels, err := task.Batch(task.Train, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if in.InputIDs[0] != tok.ClsID || labels.NSP[0] != map[bool]int{false: 0, true: 1}[task.Train[0].IsRandomNext] {
		t.Fatalf("batch layout: ids %v nsp %v", in.InputIDs[:4], labels.NSP)
	}
	for k, pos := range task.Train[0].MaskedPositions {
		if want, _ := tok.Vocab.ID(task.Train[0].MaskedLabels[k]); labels.MLM[pos] != want {
			t.Fatalf("MLM label at %d = %d, want %d", pos, labels.MLM[pos], want)
		}
	}

	before, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trainer{Model: model, TrainSize: len(task.Train), Loss: task.Loss, Evaluate: task.Evaluate,
		Config: Config{MaxSteps: 60, BatchSize: 16, LearningRate: 3e-3, WarmupSteps: 5, Quiet: true}}
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	after := h.Evals[len(h.Evals)-1].Metrics
	if !(after["loss"] < before["loss"]-1) {
		t.Fatalf("dev loss %.3f -> %.3f did not fall by 1 nat", before["loss"], after["loss"])
	}
	for _, k := range []string{"mlm_accuracy", "nsp_accuracy"} {
		if v := after[k]; v < 0 || v > 1 {
			t.Fatalf("%s = %v", k, v)
		}
	}
	if after["perplexity"] >= before["perplexity"] {
		t.Fatalf("perplexity %v -> %v", before["perplexity"], after["perplexity"])
	}
}

func TestMLMOnlyPretrainingTrainsWithoutNSP(t *testing.T) {
	world, tok, cfg := tinySetup(t)
	opts := data.DefaultPretraining
	opts.MaxSeqLength, opts.DupeFactor, opts.MLMOnly = 32, 2, true
	instances, err := data.CreatePretrainingInstances(worldDocuments(world, tok), tok.Vocab.Tokens(), opts)
	if err != nil {
		t.Fatal(err)
	}
	model, err := bert.NewForPreTraining(cfg, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	model.MaskedOnly = true
	split := len(instances) * 9 / 10
	task := &PretrainingTask{Model: model, Vocab: tok.Vocab, Train: instances[:split], Dev: instances[split:], Masking: opts}
	_, labels, err := task.Batch(task.Train, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if labels.NSP != nil {
		t.Fatalf("MLM-only batch has NSP labels %v", labels.NSP)
	}
	before, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	h, err := task.Trainer(Config{MaxSteps: 60, BatchSize: 16, LearningRate: 3e-3, WarmupSteps: 5, Quiet: true}).Train()
	if err != nil {
		t.Fatal(err)
	}
	after := h.Evals[len(h.Evals)-1].Metrics
	if _, ok := after["nsp_accuracy"]; ok {
		t.Fatalf("MLM-only evaluation reports NSP: %v", after)
	}
	if after["loss"] != after["mlm_loss"] {
		t.Fatalf("MLM-only loss %v is not the MLM loss %v", after["loss"], after["mlm_loss"])
	}
	if !(after["mlm_loss"] < before["mlm_loss"]-1) {
		t.Fatalf("dev MLM loss %.3f -> %.3f did not fall by 1 nat", before["mlm_loss"], after["mlm_loss"])
	}
}

func TestSequenceClassificationTaskLearns(t *testing.T) {
	_, tok, cfg := tinySetup(t)
	cfg.ID2Label = map[int]string{0: "negative", 1: "neutral", 2: "positive"}
	cfg.Label2ID = map[string]int{"negative": 0, "neutral": 1, "positive": 2}
	model, err := bert.NewForSequenceClassification(cfg, autograd.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	examples := data.Sentiment(data.SentimentOptions{Seed: 1, N: 240})
	task := &SequenceClassificationTask{Model: model, Tokenizer: tok, Train: examples[:200], Dev: examples[200:], MaxLength: 48}
	tr := task.Trainer(Config{Epochs: 3, BatchSize: 16, LearningRate: 2e-3, Quiet: true, Metric: "accuracy", GreaterIsBetter: true})
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps[len(h.Steps)-1].Loss >= h.Steps[0].Loss {
		t.Fatalf("loss did not fall: %v -> %v", h.Steps[0].Loss, h.Steps[len(h.Steps)-1].Loss)
	}
	report, err := task.Report(task.Dev)
	if err != nil || report.Total != 40 || len(report.Labels) != 3 {
		t.Fatalf("report %+v, %v", report, err)
	}
}

func TestTokenClassificationTaskAlignsAndPredicts(t *testing.T) {
	world, tok, cfg := tinySetup(t)
	cfg.ID2Label, cfg.Label2ID = map[int]string{}, map[string]int{}
	for i, l := range data.NERLabels {
		cfg.ID2Label[i], cfg.Label2ID[l] = l, i
	}
	model, err := bert.NewForTokenClassification(cfg, autograd.NewRNG(3))
	if err != nil {
		t.Fatal(err)
	}
	sentences := data.NER(world, data.NEROptions{Seed: 1, N: 120})
	task := &TokenClassificationTask{Model: model, Tokenizer: tok, Train: sentences[:100], Dev: sentences[100:], Labels: data.NERLabels}
	in, labels, words, err := task.Batch(task.Train, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	// Every word has exactly one labelled piece, with its own tag.
	labelled := 0
	for i, l := range labels[:in.SeqLen] {
		if l != data.IgnoreLabel {
			labelled++
			if data.NERLabels[l] != task.Train[0].Tags[words[0][i]] {
				t.Fatalf("token %d labelled %s, word tag %s", i, data.NERLabels[l], task.Train[0].Tags[words[0][i]])
			}
		}
	}
	if labelled != len(task.Train[0].Tokens) {
		t.Fatalf("%d labelled pieces for %d words", labelled, len(task.Train[0].Tokens))
	}
	tr := &Trainer{Model: model, TrainSize: 100, Loss: task.Loss, Evaluate: task.Evaluate,
		Config: Config{Epochs: 4, BatchSize: 10, LearningRate: 3e-3, Quiet: true, Metric: "f1", GreaterIsBetter: true}}
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if h.Steps[len(h.Steps)-1].Loss >= h.Steps[0].Loss/2 {
		t.Fatalf("tagging loss did not halve: %v -> %v", h.Steps[0].Loss, h.Steps[len(h.Steps)-1].Loss)
	}
	predicted, err := task.Predict(task.Dev)
	if err != nil || len(predicted) != 20 || len(predicted[0]) != len(task.Dev[0].Tokens) {
		t.Fatalf("predictions %v, %v", predicted, err)
	}
}
