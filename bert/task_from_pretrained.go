package bert

import (
	"fmt"
	"os"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// The one-line forms of HF's
//
//	BertForSequenceClassification.from_pretrained(dir, id2label=..., label2id=...)
//	BertForTokenClassification.from_pretrained(dir, id2label=..., label2id=...)
//
// Each opens the checkpoint folder, sets the labels, builds the task model,
// loads every weight the folder has, initialises the rest (a new classifier
// head when the folder holds only a pretrained encoder) and, like HF, warns
// about the newly initialised weights (once per process for the same
// folder, model class and weights, so a notebook that puts many new heads on
// one encoder on purpose reads it once) and returns the model in evaluation
// mode. The long form, for when the parts matter, is OpenCheckpoint, then
// Config.SetLabels, then Checkpoint.ForSequenceClassification.

// LoadForSequenceClassification loads the checkpoint folder dir as a sequence
// classifier over labels (label names in class-id order; nil keeps the
// config's id2label). seed initialises the weights the folder lacks and
// drives dropout once training is switched on.
func LoadForSequenceClassification(dir string, labels []string, seed uint64) (*ForSequenceClassification, error) {
	ck, err := openWithLabels(dir, labels)
	if err != nil {
		return nil, err
	}
	m, report, err := ck.ForSequenceClassification(autograd.NewRNG(seed), nn.LoadOptions{})
	if err != nil {
		return nil, withMismatchHint(err, report, "ForSequenceClassification")
	}
	hf.WarnNewlyInitialized(os.Stderr, Architecture(m), dir, report.Missing)
	return m, nil
}

// LoadForTokenClassification loads the checkpoint folder dir as a token
// classifier over labels (tag names in class-id order, e.g. data.NERLabels;
// nil keeps the config's id2label); see LoadForSequenceClassification.
func LoadForTokenClassification(dir string, labels []string, seed uint64) (*ForTokenClassification, error) {
	ck, err := openWithLabels(dir, labels)
	if err != nil {
		return nil, err
	}
	m, report, err := ck.ForTokenClassification(autograd.NewRNG(seed), nn.LoadOptions{})
	if err != nil {
		return nil, withMismatchHint(err, report, "ForTokenClassification")
	}
	hf.WarnNewlyInitialized(os.Stderr, Architecture(m), dir, report.Missing)
	return m, nil
}

// openWithLabels opens dir and, when labels is not nil, sets them as the
// config's id2label and label2id (HF's from_pretrained(..., id2label=...)).
func openWithLabels(dir string, labels []string) (*Checkpoint, error) {
	seen := map[string]bool{}
	for i, l := range labels {
		if seen[l] {
			return nil, fmt.Errorf("bert: %s: label %q is given twice (at id %d); labels must be distinct", dir, l, i)
		}
		seen[l] = true
	}
	if labels != nil && len(labels) == 0 {
		return nil, fmt.Errorf("bert: %s: an empty label list; give at least one label, or nil to keep the config's", dir)
	}
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		return nil, err
	}
	if labels != nil {
		ck.Config.SetLabels(labels...)
	}
	return ck, nil
}

// withMismatchHint adds to a load error caused by a head of another size
// (labels that differ in number from the checkpoint's) how to replace that
// head, which the one-line form does not do: HF's ignore_mismatched_sizes.
func withMismatchHint(err error, report nn.LoadReport, method string) error {
	if len(report.Mismatched) == 0 {
		return err
	}
	return fmt.Errorf("%w (to put a new head of this size on the checkpoint, use the long form: OpenCheckpoint, Config.SetLabels, then Checkpoint.%s with nn.LoadOptions{IgnoreMismatchedSizes: true})", err, method)
}
