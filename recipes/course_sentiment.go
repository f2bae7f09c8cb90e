package recipes

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/internal/atomicfile"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// SentimentRecipe is how the course fine-tunes its pretrained BERT into a
// sentiment classifier (notebook 07): which generated reviews it learns
// from, how they are split, and the trainer's settings. Notebook 07 runs it
// step by step and saves the result; the interpretability notebooks call
// LoadOrFineTuneSentiment, which loads that classifier or repeats this
// recipe, so every notebook studies the same model.
type SentimentRecipe struct {
	// Pretraining is the recipe of the encoder that is fine-tuned, and
	// PretrainedDir where LoadOrPretrain finds it (or saves it).
	Pretraining   CourseRecipe
	PretrainedDir string
	// Data generates the labeled reviews; TrainRange, DevRange and TestRange
	// are the [from, to) index ranges of the three splits. The training set is
	// deliberately small: the setting where pretraining pays off.
	Data                            data.SentimentOptions
	TrainRange, DevRange, TestRange [2]int
	// MaxLength truncates the encodings (special tokens included).
	MaxLength int
	// Epochs, BatchSize, LearningRate, WarmupRatio, WeightDecay and
	// MaxGradNorm drive the Trainer; the best epoch by dev accuracy is kept.
	Epochs, BatchSize                      int
	LearningRate, WarmupRatio, WeightDecay float64
	MaxGradNorm                            float64
	// HeadSeed initialises the new classifier layer; Seed shuffles the
	// batches and drives dropout.
	HeadSeed, Seed uint64
}

// DefaultSentimentRecipe fine-tunes the course's pretrained BERT on 90 labeled
// reviews for 15 epochs (a few seconds), choosing the epoch by accuracy on 300
// dev reviews; 300 more are the test set.
var DefaultSentimentRecipe = SentimentRecipe{
	Pretraining:   DefaultCourseRecipe,
	PretrainedDir: CourseCheckpointDir,
	Data:          data.SentimentOptions{Seed: 7, N: 1200},
	TrainRange:    [2]int{0, 90},
	DevRange:      [2]int{600, 900},
	TestRange:     [2]int{900, 1200},
	MaxLength:     48,
	Epochs:        15,
	BatchSize:     16,
	LearningRate:  1e-3,
	WarmupRatio:   0.1,
	WeightDecay:   0.01,
	MaxGradNorm:   1,
	HeadSeed:      11,
	Seed:          3,
}

// CourseClassifierDir is where notebook 07 saves the fine-tuned sentiment
// classifier (relative to the notebooks folder; git ignores it).
const CourseClassifierDir = ".cache/course-sentiment"

// Splits generates the labeled reviews and returns the training, dev and
// test sets.
func (r SentimentRecipe) Splits() (trainSet, devSet, testSet []data.Example, err error) {
	examples := data.Sentiment(r.Data)
	split := func(name string, rg [2]int) ([]data.Example, error) {
		if rg[0] < 0 || rg[0] > rg[1] || rg[1] > len(examples) {
			return nil, fmt.Errorf("recipes.SentimentRecipe: %s range [%d, %d) does not fit the %d generated reviews", name, rg[0], rg[1], len(examples))
		}
		return examples[rg[0]:rg[1]], nil
	}
	if trainSet, err = split("training", r.TrainRange); err != nil {
		return nil, nil, nil, err
	}
	if devSet, err = split("dev", r.DevRange); err != nil {
		return nil, nil, nil, err
	}
	testSet, err = split("test", r.TestRange)
	return trainSet, devSet, testSet, err
}

// TrainerConfig is the recipe's Trainer configuration: evaluate on dev after
// every epoch and restore the most accurate epoch at the end. It keeps the
// random batch order the recipe was tuned with.
func (r SentimentRecipe) TrainerConfig(quiet bool) train.Config {
	return train.Config{Epochs: r.Epochs, BatchSize: r.BatchSize, LearningRate: r.LearningRate, WarmupRatio: r.WarmupRatio,
		WeightDecay: r.WeightDecay, MaxGradNorm: r.MaxGradNorm, Metric: "accuracy", GreaterIsBetter: true,
		LoadBestAtEnd: true, Seed: r.Seed, Quiet: quiet, Batching: train.RandomBatches}
}

// NewClassifier puts a new sentiment classifier (labels negative, neutral,
// positive) on the encoder of checkpoint ck, or, with fromScratch, builds the
// same architecture with every weight random: the two models notebook 07
// compares.
func (r SentimentRecipe) NewClassifier(ck *bert.Checkpoint, fromScratch bool) (*bert.ForSequenceClassification, nn.LoadReport, error) {
	return NewClassifierFrom(ck, data.SentimentLabels, r.HeadSeed, fromScratch)
}

// FineTune trains m on the recipe's training set with tok, evaluating on the
// dev set after every epoch; it returns the task (for reports and
// predictions on any split) and the training history.
func (r SentimentRecipe) FineTune(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, quiet bool) (*train.SequenceClassificationTask, *train.History, error) {
	trainSet, devSet, _, err := r.Splits()
	if err != nil {
		return nil, nil, err
	}
	task := &train.SequenceClassificationTask{Model: m, Tokenizer: tok, Train: trainSet, Dev: devSet, Labels: data.SentimentLabels, MaxLength: r.MaxLength}
	h, err := task.Trainer(r.TrainerConfig(quiet)).Train()
	m.SetTraining(false)
	return task, h, err
}

// NewClassifierFrom builds a sequence classifier for labels on the encoder of
// checkpoint ck: the encoder's weights are loaded and the classifier layer is
// new, initialised from headSeed (the report lists it as missing, as HF's
// "newly initialized" warning does). With fromScratch nothing is loaded: the
// same architecture with every weight random. ck.Config is left unchanged.
func NewClassifierFrom(ck *bert.Checkpoint, labels []string, headSeed uint64, fromScratch bool) (*bert.ForSequenceClassification, nn.LoadReport, error) {
	if len(labels) == 0 {
		return nil, nn.LoadReport{}, fmt.Errorf("recipes.NewClassifierFrom: no labels")
	}
	cfg := ck.Config.Clone()
	cfg.SetLabels(labels...)
	m, err := bert.NewForSequenceClassification(cfg, autograd.NewRNG(headSeed))
	if err != nil {
		return nil, nn.LoadReport{}, err
	}
	if fromScratch {
		return m, nn.LoadReport{}, nil
	}
	m.SetTraining(false)
	report, err := ck.Load(m, nn.LoadOptions{})
	return m, report, err
}

// SaveClassifier writes a fine-tuned classifier and its tokenizer to dir in
// the HuggingFace layout (config.json with id2label and label2id,
// model.safetensors, vocab.txt), replacing dir as a whole: a crash never
// leaves a half-written checkpoint behind.
func SaveClassifier(dir string, m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer) error {
	if tok == nil {
		return fmt.Errorf("recipes.SaveClassifier: no tokenizer (the checkpoint must carry its vocab.txt)")
	}
	return atomicfile.ReplaceDir(dir, func(tmp string) error {
		return bert.SavePretrained(tmp, m, m.Bert.Config, tok)
	})
}

// LoadOrFineTuneSentiment loads the course's fine-tuned sentiment classifier
// from dir when notebook 07 (or an earlier call) saved it there; otherwise it
// gets the pretrained encoder (LoadOrPretrain with r.PretrainedDir), runs
// the recipe and saves the result to dir for the next notebook. Either way
// the model comes back in evaluation mode with its tokenizer.
func LoadOrFineTuneSentiment(dir string, r SentimentRecipe) (*bert.ForSequenceClassification, *tokenizer.BertTokenizer, error) {
	if _, err := os.Stat(filepath.Join(dir, bert.WeightsFile)); err == nil {
		return loadSentimentClassifier(dir, r)
	}
	if _, _, err := LoadOrPretrain(r.PretrainedDir, r.Pretraining); err != nil {
		return nil, nil, err
	}
	ck, err := bert.OpenCheckpoint(r.PretrainedDir)
	if err != nil {
		return nil, nil, err
	}
	if ck.Tokenizer == nil {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %s has no vocab.txt", r.PretrainedDir)
	}
	m, _, err := r.NewClassifier(ck, false)
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := r.FineTune(m, ck.Tokenizer, false); err != nil {
		return nil, nil, err
	}
	if err := SaveClassifier(dir, m, ck.Tokenizer); err != nil {
		return nil, nil, err
	}
	return m, ck.Tokenizer, nil
}

// loadSentimentClassifier opens a saved classifier and checks that it is one
// of the recipe's: its labels and its encoder's sizes.
func loadSentimentClassifier(dir string, r SentimentRecipe) (*bert.ForSequenceClassification, *tokenizer.BertTokenizer, error) {
	ck, err := bert.OpenCheckpoint(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %w (delete %s to fine-tune again)", err, dir)
	}
	if ck.Tokenizer == nil {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %s has no vocab.txt (delete the folder to fine-tune again)", dir)
	}
	labels := make([]string, ck.Config.NumLabels())
	for i := range labels {
		labels[i] = ck.Config.ID2Label[i]
	}
	if !slices.Equal(labels, data.SentimentLabels) {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %s: config.json has labels %v, want %v", filepath.Join(dir, "config.json"), labels, data.SentimentLabels)
	}
	p := r.Pretraining
	c := ck.Config
	if c.HiddenSize != p.Hidden || c.NumHiddenLayers != p.Layers || c.NumAttentionHeads != p.Heads || c.IntermediateSize != p.Intermediate {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %s: config.json has hidden %d, %d layers, %d heads, intermediate %d; the recipe wants %d, %d, %d, %d (delete the folder to fine-tune again)",
			filepath.Join(dir, "config.json"), c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, p.Hidden, p.Layers, p.Heads, p.Intermediate)
	}
	m, _, err := ck.ForSequenceClassification(autograd.NewRNG(r.HeadSeed), nn.LoadOptions{Strict: true})
	if err != nil {
		return nil, nil, fmt.Errorf("recipes.LoadOrFineTuneSentiment: %w", err)
	}
	return m, ck.Tokenizer, nil
}
