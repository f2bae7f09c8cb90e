package train

import (
	"fmt"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/tokenizer"
)

// The one-line forms of HF's Trainer(model, args, train_dataset,
// eval_dataset) for the two BERT fine-tuning tasks and for GPT-2 language
// modelling. For the BERT tasks a model, its tokenizer,
// the training and dev data and a Config give a Trainer ready to Train.
// Labels come from the model's config (id2label), encodings are truncated to
// the tokenizer's model_max_length or the model's max_position_embeddings,
// whichever is smaller, and the task's loss and evaluation are wired in. The
// long form, for when a student needs to see the parts (or to set
// MaxLength), is the task struct (SequenceClassificationTask,
// TokenClassificationTask) and its Trainer method.

// NewSequenceClassificationTrainer returns a Trainer that fine-tunes m on
// trainSet and evaluates it on devSet (accuracy and macro-F1; no evaluation
// when devSet is empty).
func NewSequenceClassificationTrainer(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, trainSet, devSet []data.Example, cfg Config) (*Trainer, error) {
	if err := checkTaskParts("train.NewSequenceClassificationTrainer", m == nil, tok, len(trainSet)); err != nil {
		return nil, err
	}
	labels := m.Bert.Config.LabelNames()
	err := checkSplits(trainSet, devSet, func(split string, i int, e data.Example) error {
		if e.Label < 0 || e.Label >= len(labels) {
			return fmt.Errorf("train.NewSequenceClassificationTrainer: %s example %d has label %d, want 0..%d (the model's labels %v)", split, i, e.Label, len(labels)-1, labels)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	task := &SequenceClassificationTask{Model: m, Tokenizer: tok, Train: trainSet, Dev: devSet, Labels: labels,
		MaxLength: inputLimit(m.Bert.Config, tok), Quiet: cfg.Quiet}
	return task.Trainer(cfg), nil
}

// NewTokenClassificationTrainer returns a Trainer that fine-tunes the tagger
// m on trainSet and evaluates it on devSet (entity-level F1 for BIO tags,
// token accuracy for plain tags; no evaluation when devSet is empty). The
// task reports no dev loss, so when cfg.Metric is empty that headline metric
// (greater is better) picks the best model.
func NewTokenClassificationTrainer(m *bert.ForTokenClassification, tok *tokenizer.BertTokenizer, trainSet, devSet []data.TaggedSentence, cfg Config) (*Trainer, error) {
	if err := checkTaskParts("train.NewTokenClassificationTrainer", m == nil, tok, len(trainSet)); err != nil {
		return nil, err
	}
	labels := m.Bert.Config.LabelNames()
	err := checkSplits(trainSet, devSet, func(split string, i int, s data.TaggedSentence) error {
		if _, err := data.TagIDs(s.Tags, labels); err != nil {
			return fmt.Errorf("train.NewTokenClassificationTrainer: %s sentence %d: %w (the model's labels are %v)", split, i, err, labels)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	task := &TokenClassificationTask{Model: m, Tokenizer: tok, Train: trainSet, Dev: devSet, Labels: labels,
		MaxLength: inputLimit(m.Bert.Config, tok), Quiet: cfg.Quiet}
	return task.Trainer(cfg), nil
}

// NewCausalLMTrainer returns a Trainer that trains the language model m on
// trainDocs (token ids per document) cut into blocks of blockSize tokens, and
// evaluates loss and perplexity on devDocs (no evaluation when devDocs is
// empty): NewCausalLMTask and its Trainer method in one call.
func NewCausalLMTrainer(m *gpt2.LMHeadModel, trainDocs, devDocs [][]int, blockSize int, cfg Config) (*Trainer, error) {
	if m == nil {
		return nil, fmt.Errorf("train.NewCausalLMTrainer: the model is nil")
	}
	task, err := NewCausalLMTask(m, trainDocs, devDocs, blockSize)
	if err != nil {
		return nil, err
	}
	return task.Trainer(cfg), nil
}

// checkTaskParts returns an error naming what a one-line trainer lacks.
func checkTaskParts(fn string, noModel bool, tok *tokenizer.BertTokenizer, trainSize int) error {
	switch {
	case noModel:
		return fmt.Errorf("%s: the model is nil", fn)
	case tok == nil:
		return fmt.Errorf("%s: the tokenizer is nil (load it with tokenizer.LoadBertTokenizer(dir))", fn)
	case trainSize == 0:
		return fmt.Errorf("%s: no training data", fn)
	}
	return nil
}

// checkSplits runs check on every training item, then every dev item, with
// the split's name ("training" or "dev") and the item's index, and returns
// the first error.
func checkSplits[T any](trainSet, devSet []T, check func(split string, i int, item T) error) error {
	for _, split := range []struct {
		name  string
		items []T
	}{{"training", trainSet}, {"dev", devSet}} {
		for i, item := range split.items {
			if err := check(split.name, i, item); err != nil {
				return err
			}
		}
	}
	return nil
}

// inputLimit is the longest encoding a model takes: the tokenizer's
// model_max_length when set, capped by the model's position embeddings.
func inputLimit(c *bert.Config, tok *tokenizer.BertTokenizer) int {
	if tok.ModelMaxLength > 0 && tok.ModelMaxLength < c.MaxPositionEmbeddings {
		return tok.ModelMaxLength
	}
	return c.MaxPositionEmbeddings
}
