package recipes

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// OwnCorpusRecipe is how to pretrain a small BERT on your own text and
// fine-tune it on your own labels (notebook 16 runs it step by step). Dir
// holds the files:
//
//	corpus.txt  plain text for pretraining: one sentence per line, a blank line between documents
//	train.tsv   labeled examples with a header row "text<TAB>label" (any format LoadClassification reads)
//	dev.tsv     labeled examples to pick the best fine-tuning epoch
//	test.tsv    labeled examples to report on, used once at the end
//
// The default is the shipped State of the Union corpus (corpora/sotu) and its
// task, the speaker's party. The steps: train a WordPiece vocabulary on the
// corpus (Vocabulary), make pretraining instances with a held-out part
// (Instances), pretrain within a time budget with resumable checkpoints
// (NewPretrainingModel, Pretrain), then fine-tune the pretrained encoder and
// the same model from scratch (FineTune) and compare them with the baselines
// (Baselines, Compare).
type OwnCorpusRecipe struct {
	// Dir is the data folder; CorpusFile, TrainFile, DevFile and TestFile
	// are the files' names in it (defaults corpus.txt, train.tsv, dev.tsv,
	// test.tsv).
	Dir                                      string
	CorpusFile, TrainFile, DevFile, TestFile string
	// Load says how to read the labeled files (columns, bad lines).
	Load data.LoadOptions

	// VocabSize is the WordPiece vocabulary's size, special tokens included.
	VocabSize int
	// Pretraining makes the pretraining instances (with MLMOnly, single
	// segments for the masked-LM loss alone; without, BERT's sentence pairs
	// for masked LM + next-sentence prediction); HeldOutFraction of the
	// corpus's documents are kept out of training to measure held-out MLM
	// accuracy.
	Pretraining     data.PretrainingOptions
	HeldOutFraction float64
	// Hidden, Layers, Heads and Intermediate size the BERT.
	Hidden, Layers, Heads, Intermediate int

	// PretrainBudget is the wall time of one call to Pretrain; a later call
	// with ResumeFrom goes on for another budget. PretrainSteps is the
	// length of the run the checkpoints belong to (an upper bound: the
	// budget usually ends it first). The schedule is constant after
	// PretrainWarmup steps, so a run stopped at any minute is a fair model
	// of that minute.
	PretrainBudget  time.Duration
	PretrainSteps   int
	PretrainWarmup  int
	PretrainBatch   int
	PretrainLR      float64
	PretrainEvalMax int // held-out instances evaluated (0: all)
	// OutputDir receives resumable checkpoints every SaveInterval and when
	// the budget ends (empty: none).
	OutputDir    string
	SaveInterval time.Duration

	// MaxTrain and MaxEval cap the labeled examples used (first rows of the
	// files; 0: all), to fit a notebook's time.
	MaxTrain, MaxEval int
	// MaxLength truncates the classification inputs (special tokens
	// included); FineTuneEpochs, FineTuneBatch and FineTuneLR drive the
	// fine-tuning, which keeps the epoch with the best dev accuracy.
	MaxLength      int
	FineTuneEpochs int
	FineTuneBatch  int
	FineTuneLR     float64
	// Seed initialises the models and drives shuffling and dropout.
	Seed uint64
}

// DefaultOwnCorpusRecipe fits a notebook: the shipped State of the Union
// corpus (900k words) and its party task on passages of three sentences, an
// 8,000-token vocabulary, a 2-layer 128-wide BERT pretrained on the masked-LM
// loss alone (RoBERTa: single-segment 128-token instances, no next-sentence
// prediction, which held the masked LM on a plateau here) with dynamic
// masking, one minute of pretraining, and fine-tuning on 4,000 of the
// training passages (2 epochs at 1e-3, the better dev epoch kept), scored on
// every dev and test passage. It is OwnCorpus30MinRecipe with a short
// budget. The bag-of-words baseline runs 100 full-batch epochs at learning
// rate 0.01 (the best dev accuracy of 20, 50, 100 and 200 epochs at 0.01 and
// 0.05). BENCHMARKS.md has what longer pretraining gives.
var DefaultOwnCorpusRecipe = OwnCorpusRecipe{
	Dir:             "../corpora/sotu",
	TrainFile:       "train-passages.tsv",
	DevFile:         "dev-passages.tsv",
	TestFile:        "test-passages.tsv",
	VocabSize:       8000,
	Pretraining:     data.PretrainingOptions{Seed: 2026, MaxSeqLength: 128, DupeFactor: 1, ShortSeqProb: 0.1, MaskedLMProb: 0.15, MaxPredictionsPerSeq: 20, MLMOnly: true},
	HeldOutFraction: 0.05,
	Hidden:          128,
	Layers:          2,
	Heads:           4,
	Intermediate:    256,
	PretrainBudget:  time.Minute,
	PretrainSteps:   100000,
	PretrainWarmup:  200,
	PretrainBatch:   32,
	PretrainLR:      1e-3,
	PretrainEvalMax: 1000,
	SaveInterval:    time.Minute,
	MaxTrain:        4000,
	MaxEval:         0,
	MaxLength:       128,
	FineTuneEpochs:  2,
	FineTuneBatch:   32,
	FineTuneLR:      1e-3,
	Seed:            1,
}

// OwnCorpus30MinRecipe is the recipe measured for 30 minutes end to end on
// a quiet 2-vCPU AMD EPYC (BENCHMARKS.md, "Pretraining on your own corpus"):
// DefaultOwnCorpusRecipe's data and model, pretrained for 25 minutes or
// 26,000 steps (what that machine does in 25 minutes, 17.8 steps/s), with
// checkpoints every 5 minutes, and fine-tuned for 4 epochs; the vocabulary,
// instances, baselines and two fine-tunings take about 2 of the other 5
// minutes. Measured (BENCHMARKS.md, "Without NSP"): at 26,000 steps the
// pretrained BERT's test accuracy, 0.699 ± 0.007 over 3 fine-tuning seeds,
// is level with the same model from scratch (0.698) and bag of words
// (0.706) and above naive Bayes (0.687) by less than one standard error of
// the test set; the curve is flat from about 13,000 steps on.
var OwnCorpus30MinRecipe = func() OwnCorpusRecipe {
	r := DefaultOwnCorpusRecipe
	r.PretrainBudget, r.PretrainSteps, r.SaveInterval = 25*time.Minute, 26000, 5*time.Minute
	r.FineTuneEpochs = 4
	return r
}()

// path is the data file name in Dir, or its default.
func (r OwnCorpusRecipe) path(name, fallback string) string {
	if name == "" {
		name = fallback
	}
	return filepath.Join(r.Dir, name)
}

// CorpusPath is the pretraining corpus's path.
func (r OwnCorpusRecipe) CorpusPath() string { return r.path(r.CorpusFile, "corpus.txt") }

// Vocabulary trains an uncased WordPiece vocabulary of VocabSize tokens on
// the corpus and returns its tokenizer.
func (r OwnCorpusRecipe) Vocabulary() (*tokenizer.BertTokenizer, error) {
	vocab, err := tokenizer.NewWordPieceTrainer(r.VocabSize).TrainFiles(r.CorpusPath())
	if err != nil {
		return nil, fmt.Errorf("recipes.OwnCorpusRecipe: vocabulary of %s: %w", r.CorpusPath(), err)
	}
	return tokenizer.NewBertTokenizer(vocab, true)
}

// Instances tokenizes the corpus and makes the pretraining instances, with
// HeldOutFraction of the documents held out (data.PretrainingFromFile).
func (r OwnCorpusRecipe) Instances(tok *tokenizer.BertTokenizer) (*data.PretrainingCorpus, error) {
	return data.PretrainingFromFile(r.CorpusPath(), tok.Tokenize, tok.Vocab.Tokens(), r.Pretraining, r.HeldOutFraction)
}

// BertConfig is the model configuration for a vocabulary size.
func (r OwnCorpusRecipe) BertConfig(vocabSize int) *bert.Config {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize = vocabSize, r.Hidden, r.Layers, r.Heads, r.Intermediate
	c.MaxPositionEmbeddings = max(r.Pretraining.MaxSeqLength, r.MaxLength)
	c.Architectures = []string{"BertForPreTraining"}
	return c
}

// NewPretrainingModel builds the BERT to pretrain, with random weights from
// Seed, and the generator its dropout draws from (give it to the Trainer so
// that a resumed run is exact).
func (r OwnCorpusRecipe) NewPretrainingModel(tok *tokenizer.BertTokenizer) (*bert.ForPreTraining, *autograd.RNG, error) {
	rng := autograd.NewRNG(r.Seed)
	m, err := bert.NewForPreTraining(r.BertConfig(tok.Vocab.Size()), rng)
	if err != nil {
		return nil, nil, err
	}
	m.MaskedOnly = true // the MLM head only at masked positions: the same loss, much less work
	return m, rng, nil
}

// PretrainingTask is the pretraining task on the corpus's instances (masked
// LM alone with Pretraining.MLMOnly, else masked LM + next sentence),
// evaluated on (at most PretrainEvalMax of) the held-out ones.
// Every epoch after the first masks the instances afresh with the rules of
// r.Pretraining (dynamic masking, train.PretrainingTask).
func (r OwnCorpusRecipe) PretrainingTask(m *bert.ForPreTraining, tok *tokenizer.BertTokenizer, corpus *data.PretrainingCorpus) *train.PretrainingTask {
	dev := corpus.HeldOut
	if r.PretrainEvalMax > 0 && len(dev) > r.PretrainEvalMax {
		dev = dev[:r.PretrainEvalMax]
	}
	return &train.PretrainingTask{Model: m, Vocab: tok.Vocab, Train: corpus.Train, Dev: dev, Masking: r.Pretraining}
}

// PretrainConfig is the Trainer configuration of one pretraining call:
// PretrainBudget of wall time, a constant learning rate after the warmup,
// held-out evaluation every evalEvery steps (0: only at the end), and
// resumable checkpoints in OutputDir.
func (r OwnCorpusRecipe) PretrainConfig(evalEvery int, quiet bool) train.Config {
	cfg := train.Config{MaxSteps: r.PretrainSteps, BatchSize: r.PretrainBatch, LearningRate: r.PretrainLR,
		WarmupSteps: r.PretrainWarmup, Schedule: "constant", WeightDecay: 0.01, MaxGradNorm: 1,
		EvalEvery: evalEvery, TimeBudget: r.PretrainBudget, Seed: r.Seed, Quiet: quiet}
	if r.OutputDir != "" {
		cfg.OutputDir, cfg.SaveInterval = r.OutputDir, r.SaveInterval
	}
	return cfg
}

// Pretrain runs one budget of pretraining on task; with resumeFrom (a
// checkpoint folder, see LastCheckpoint) it goes on from there instead of
// starting over, so budgets add up across calls and kernel restarts. The
// model must come from NewPretrainingModel with the same tokenizer, and rng
// is its dropout generator. It returns the history (of the whole run, when
// resumed) with the held-out metrics at the end.
func (r OwnCorpusRecipe) Pretrain(task *train.PretrainingTask, rng *autograd.RNG, resumeFrom string, evalEvery int, quiet bool) (*train.History, error) {
	tr := task.Trainer(r.PretrainConfig(evalEvery, quiet))
	tr.RNG = rng
	tr.ResumeFromCheckpoint = resumeFrom
	h, err := tr.Train()
	if err != nil {
		return h, err
	}
	if len(task.Dev) > 0 && (len(h.Evals) == 0 || h.Evals[len(h.Evals)-1].Step != len(h.Steps)) {
		metrics, err := task.Evaluate()
		if err != nil {
			return h, err
		}
		h.Evals = append(h.Evals, train.EvalRecord{Step: len(h.Steps), Epoch: lastEpoch(h), Metrics: metrics})
	}
	return h, nil
}

// lastEpoch is the fractional epoch of the history's last step.
func lastEpoch(h *train.History) float64 {
	if len(h.Steps) == 0 {
		return 0
	}
	return h.Steps[len(h.Steps)-1].Epoch
}

// OwnTask is the labeled data of the recipe: the three splits (capped by
// MaxTrain and MaxEval) and the label names, fixed by the training file.
type OwnTask struct {
	Labels           []string
	Train, Dev, Test []data.Example
	// Files are the train, dev and test files as read (for their summaries
	// and label counts), before the caps.
	Files []*data.ClassificationData
}

// Task loads train, dev and test. The labels are those of the training
// file, sorted (LoadClassification's default), and the dev and test files
// must use the same ones.
func (r OwnCorpusRecipe) Task() (*OwnTask, error) {
	trainData, err := data.LoadClassification(r.path(r.TrainFile, "train.tsv"), r.Load)
	if err != nil {
		return nil, err
	}
	opts := r.Load
	opts.Labels = trainData.Labels
	devData, err := data.LoadClassification(r.path(r.DevFile, "dev.tsv"), opts)
	if err != nil {
		return nil, err
	}
	testData, err := data.LoadClassification(r.path(r.TestFile, "test.tsv"), opts)
	if err != nil {
		return nil, err
	}
	capped := func(e []data.Example, n int) []data.Example {
		if n > 0 && len(e) > n {
			return e[:n]
		}
		return e
	}
	return &OwnTask{Labels: trainData.Labels, Train: capped(trainData.Examples, r.MaxTrain),
		Dev: capped(devData.Examples, r.MaxEval), Test: capped(testData.Examples, r.MaxEval),
		Files: []*data.ClassificationData{trainData, devData, testData}}, nil
}

// FineTune puts a new classifier head on the encoder of ck (or, with
// fromScratch, builds the same architecture with every weight random),
// trains it on the task's training examples for FineTuneEpochs, keeps the
// epoch with the best dev accuracy, and returns the task (for predictions)
// and the history.
func (r OwnCorpusRecipe) FineTune(ck *bert.Checkpoint, task *OwnTask, fromScratch bool, quiet bool) (*train.SequenceClassificationTask, *train.History, error) {
	m, _, err := NewClassifierFrom(ck, task.Labels, r.Seed+100, fromScratch)
	if err != nil {
		return nil, nil, err
	}
	st := &train.SequenceClassificationTask{Model: m, Tokenizer: ck.Tokenizer, Train: task.Train, Dev: task.Dev, Labels: task.Labels, MaxLength: r.MaxLength, Quiet: quiet}
	cfg := train.Config{Epochs: r.FineTuneEpochs, BatchSize: r.FineTuneBatch, LearningRate: r.FineTuneLR, WarmupRatio: 0.1,
		WeightDecay: 0.01, MaxGradNorm: 1, Metric: "accuracy", GreaterIsBetter: true, LoadBestAtEnd: true, Seed: r.Seed, Quiet: quiet}
	h, err := st.Trainer(cfg).Train()
	m.SetTraining(false)
	return st, h, err
}

// Comparison is the test accuracy and macro-F1 of every model on the task,
// in the order added; it shows as a table.
type Comparison struct {
	Models   []string
	Accuracy []float64
	MacroF1  []float64
}

// Add scores one model's test predictions.
func (c *Comparison) Add(model string, predicted []int, task *OwnTask) {
	rep := train.ClassificationReport(predicted, train.Golds(task.Test), task.Labels)
	c.Models = append(c.Models, model)
	c.Accuracy = append(c.Accuracy, rep.Accuracy)
	c.MacroF1 = append(c.MacroF1, rep.Macro.F1)
}

// Of returns the test accuracy of the named model, and false when it was not
// added.
func (c *Comparison) Of(model string) (float64, bool) {
	for i, m := range c.Models {
		if m == model {
			return c.Accuracy[i], true
		}
	}
	return 0, false
}

// Table is the comparison as rows of model, accuracy and macro-F1.
func (c *Comparison) Table() display.TableValue {
	rows := make([][]any, len(c.Models))
	for i := range c.Models {
		rows[i] = []any{c.Models[i], fmt.Sprintf("%.3f", c.Accuracy[i]), fmt.Sprintf("%.3f", c.MacroF1[i])}
	}
	return display.Table([]string{"model", "test accuracy", "test macro-F1"}, rows)
}

// String is the table as text.
func (c *Comparison) String() string { return c.Table().String() }

// MIMEBundle shows the table.
func (c *Comparison) MIMEBundle() display.Bundle { return c.Table().MIMEBundle() }

// Baselines scores the models that need no pretraining on the task's test
// set: always the most frequent training label, multinomial naive Bayes,
// and bag-of-words logistic regression (100 full-batch epochs at 0.01).
func (r OwnCorpusRecipe) Baselines(task *OwnTask) *Comparison {
	c := &Comparison{}
	counts := make([]int, len(task.Labels))
	for _, e := range task.Train {
		counts[e.Label]++
	}
	majority := 0
	for i, n := range counts {
		if n > counts[majority] {
			majority = i
		}
	}
	always := make([]int, len(task.Test))
	for i := range always {
		always[i] = majority
	}
	c.Add("majority class", always, task)
	c.Add("naive Bayes", train.TrainNaiveBayes(task.Train, len(task.Labels)).Predict(task.Test), task)
	c.Add("bag of words", train.TrainBagOfWords(task.Train, len(task.Labels), 100, 0.01).Predict(task.Test), task)
	return c
}
