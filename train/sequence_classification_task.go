package train

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// SequenceClassificationTask connects fine-tuning on labeled texts (or text
// pairs) to the Trainer: it tokenizes examples into padded batches, computes the
// classification loss, and evaluates accuracy and macro-F1 on dev examples.
type SequenceClassificationTask struct {
	Model     *bert.ForSequenceClassification
	Tokenizer *tokenizer.BertTokenizer
	Train     []data.Example
	Dev       []data.Example
	Labels    []string // label names, Labels[id]
	MaxLength int      // truncate encodings to this many tokens (default 128)
	// EvalBatchSize is the batch size of Evaluate and Predict (default 64).
	EvalBatchSize int
	// Quiet turns off Predict's progress bar.
	Quiet bool
}

// Batch tokenizes examples[batch...] as [CLS] text [SEP] (pair [SEP]), truncated
// longest-first to MaxLength and padded to the longest in the batch.
func (s *SequenceClassificationTask) Batch(examples []data.Example, batch []int) (*bert.Inputs, *bert.SequenceLabels, error) {
	maxLen := s.MaxLength
	if maxLen <= 0 {
		maxLen = 128
	}
	opts := tokenizer.EncodeOptions{MaxLength: maxLen, Truncation: tokenizer.TruncateLongestFirst, Padding: tokenizer.PadLongest}
	texts := make([]string, len(batch))
	pairs := make([]string, len(batch))
	labels := &bert.SequenceLabels{Classes: make([]int, len(batch))}
	hasPairs := false
	for i, b := range batch {
		texts[i], pairs[i] = examples[b].Text, examples[b].TextPair
		hasPairs = hasPairs || pairs[i] != ""
		labels.Classes[i] = examples[b].Label
	}
	var encs []*tokenizer.BertEncoding
	var err error
	if hasPairs {
		encs, err = s.Tokenizer.EncodePairBatch(texts, pairs, opts)
	} else {
		encs, err = s.Tokenizer.EncodeBatch(texts, opts)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("train.SequenceClassificationTask: %w", err)
	}
	in, err := bert.InputsFromEncodings(encs)
	return in, labels, err
}

// Loss is the Trainer's LossFunc: cross-entropy of a training batch.
func (s *SequenceClassificationTask) Loss(batch []int) (*autograd.Tensor, error) {
	in, labels, err := s.Batch(s.Train, batch)
	if err != nil {
		return nil, err
	}
	out, err := s.Model.Forward(in, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Predict returns the predicted class of every example and the mean loss
// (call it in eval mode; the Trainer's evaluation already is). Examples are
// batched by length, so thousands of rows of mixed length pad little; a
// progress bar shows for long runs, and the stop button ends it between
// batches with display.ErrInterrupted.
func (s *SequenceClassificationTask) Predict(examples []data.Example) ([]int, float64, error) {
	predictions := make([]int, len(examples))
	var lossSum float64
	err := predictLoop(exampleLengths(examples), s.EvalBatchSize, s.Quiet, func(batch []int) error {
		in, labels, err := s.Batch(examples, batch)
		if err != nil {
			return err
		}
		var out *bert.ClassificationOutput
		autograd.NoGrad(func() { out, err = s.Model.Forward(in, labels) })
		if err != nil {
			return err
		}
		for i, class := range out.Logits.ArgMax(1) {
			predictions[batch[i]] = class
		}
		lossSum += float64(out.Loss.Item()) * float64(len(batch))
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return predictions, lossSum / float64(max(len(examples), 1)), nil
}

// exampleLengths estimates each example's length in words (text and pair),
// enough to group examples of similar length.
func exampleLengths(examples []data.Example) []int {
	lengths := make([]int, len(examples))
	for i, e := range examples {
		lengths[i] = len(strings.Fields(e.Text)) + len(strings.Fields(e.TextPair))
	}
	return lengths
}

// Evaluate is the Trainer's EvalFunc: "loss", "accuracy" and "macro_f1" on Dev.
func (s *SequenceClassificationTask) Evaluate() (map[string]float64, error) {
	if len(s.Dev) == 0 {
		return nil, fmt.Errorf("train.SequenceClassificationTask: no Dev examples to evaluate on")
	}
	predictions, loss, err := s.Predict(s.Dev)
	if err != nil {
		return nil, err
	}
	gold := Golds(s.Dev)
	report := ClassificationReport(predictions, gold, s.labelNames())
	return map[string]float64{"loss": loss, "accuracy": report.Accuracy, "macro_f1": report.Macro.F1}, nil
}

// Report scores the model on examples with sklearn's classification report.
func (s *SequenceClassificationTask) Report(examples []data.Example) (Report, error) {
	predictions, _, err := s.Predict(examples)
	if err != nil {
		return Report{}, err
	}
	return ClassificationReport(predictions, Golds(examples), s.labelNames()), nil
}

func (s *SequenceClassificationTask) labelNames() []string {
	if len(s.Labels) > 0 {
		return s.Labels
	}
	return s.Model.Bert.Config.LabelNames()
}

// Golds returns the gold label of every example.
func Golds(examples []data.Example) []int {
	out := make([]int, len(examples))
	for i, e := range examples {
		out[i] = e.Label
	}
	return out
}

// Trainer returns a Trainer for this task with the given configuration: the
// model, the training-set size, the loss, the evaluation and the example
// lengths (for length-bucketed batches) are the task's. Without Dev examples
// it trains without evaluation and says so in a note.
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (s *SequenceClassificationTask) Trainer(cfg Config) *Trainer {
	t := &Trainer{Model: s.Model, TrainSize: len(s.Train), Loss: s.Loss, Lengths: exampleLengths(s.Train), Config: cfg, Recycle: true}
	return t.evaluatingOnDev(len(s.Dev), s.Evaluate)
}
