package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ForSequenceClassification is BERT with a classifier on the pooled output,
// HF's BertForSequenceClassification:
//
//	logits = Dropout(pooled) Wᵀ + b        [batch, num_labels]
//
// The loss follows config.problem_type (or HF's inference when it is empty):
// "regression" → mean squared error, "single_label_classification" →
// cross-entropy, "multi_label_classification" → binary cross-entropy with
// logits. Names: "bert.*", "classifier.weight", "classifier.bias".
type ForSequenceClassification struct {
	Bert       *Model
	Dropout    *nn.Dropout // classifier_dropout, or hidden_dropout_prob when unset
	Classifier nn.Layer    // classifier: *nn.Linear, weight [num_labels, hidden] and bias
}

// NewForSequenceClassification builds the model from c (num_labels =
// len(c.ID2Label)) with HF's initialisation, in training mode like every new
// model (see NewModel).
func NewForSequenceClassification(c *Config, rng *autograd.RNG) (*ForSequenceClassification, error) {
	b, d, classifier, err := newClassifierParts(c, rng, "sequence classification", true)
	if err != nil {
		return nil, err
	}
	return &ForSequenceClassification{Bert: b, Dropout: d, Classifier: classifier}, nil
}

// SequenceLabels are the targets of sequence classification; set the one that
// fits the problem type.
type SequenceLabels struct {
	Classes []int     // [batch] class ids: single-label classification
	Values  []float32 // regression: [batch] (one label) or [batch*num_labels]; multi-label: [batch*num_labels] of 0/1
}

// ClassificationOutput is what the classification heads compute.
type ClassificationOutput struct {
	Loss         *autograd.Tensor // nil without labels
	Logits       *autograd.Tensor // [batch, num_labels] (sequence) or [batch, T, num_labels] (token)
	HiddenStates []*autograd.Tensor
	Attentions   []*autograd.Tensor
}

// Forward classifies each sequence; labels may be nil (no loss).
func (m *ForSequenceClassification) Forward(in *Inputs, labels *SequenceLabels) (*ClassificationOutput, error) {
	base, err := m.Bert.Forward(in)
	if err != nil {
		return nil, err
	}
	out := &ClassificationOutput{HiddenStates: base.HiddenStates, Attentions: base.Attentions}
	out.Logits = m.Classifier.Forward(m.Dropout.Forward(base.PoolerOutput))
	if labels != nil {
		out.Loss, err = sequenceLoss(m.Bert.Config, out.Logits, labels, in.Batch)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ProblemType resolves the loss HF would use for labels: config.problem_type
// when set, otherwise regression for one label, single-label classification
// for class ids and multi-label classification for float targets.
func ProblemType(c *Config, labels *SequenceLabels) string {
	switch {
	case c.ProblemType != "":
		return c.ProblemType
	case c.NumLabels() == 1:
		return "regression"
	case labels.Classes != nil:
		return "single_label_classification"
	default:
		return "multi_label_classification"
	}
}

// sequenceLoss computes the loss for logits [batch, num_labels] by problem type.
func sequenceLoss(c *Config, logits *autograd.Tensor, labels *SequenceLabels, batch int) (*autograd.Tensor, error) {
	n := c.NumLabels()
	switch pt := ProblemType(c, labels); pt {
	case "single_label_classification":
		if err := checkLabels("classification labels", labels.Classes, batch, n); err != nil {
			return nil, err
		}
		if labels.Classes == nil {
			return nil, fmt.Errorf("bert: problem type %s needs SequenceLabels.Classes", pt)
		}
		return autograd.CrossEntropy(logits, labels.Classes, autograd.CrossEntropyOptions{}), nil
	case "regression":
		v := labels.Values
		if v == nil && labels.Classes != nil { // integer targets used as numbers, like HF's labels.float()
			for _, c := range labels.Classes {
				v = append(v, float32(c))
			}
		}
		if len(v) != batch*n {
			return nil, fmt.Errorf("bert: regression targets have %d values, want batch %d × num_labels %d", len(v), batch, n)
		}
		return autograd.MSE(logits, autograd.New(v, batch, n), "mean"), nil
	case "multi_label_classification":
		if len(labels.Values) != batch*n {
			return nil, fmt.Errorf("bert: multi-label targets have %d values, want batch %d × num_labels %d", len(labels.Values), batch, n)
		}
		return autograd.BCEWithLogits(logits, autograd.New(labels.Values, batch, n), "mean"), nil
	default:
		return nil, fmt.Errorf("bert: unknown problem type %q", pt)
	}
}

// Children names the sub-modules as HF does.
func (m *ForSequenceClassification) Children() []nn.NamedModule {
	return classifierChildren(m.Bert, m.Dropout, m.Classifier)
}

// SetChild replaces a sub-module by name (PEFT swaps the classifier this way).
func (m *ForSequenceClassification) SetChild(name string, c nn.Module) error {
	return setClassifierChild("ForSequenceClassification", &m.Bert, &m.Dropout, &m.Classifier, name, c)
}

// NamedParameters lists every parameter with its HF name under prefix.
func (m *ForSequenceClassification) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on or off.
func (m *ForSequenceClassification) SetTraining(train bool) {
	nn.SetChildrenTraining(m.Children(), train)
}

// String prints the module tree as torch prints a model.
func (m *ForSequenceClassification) String() string { return nn.Repr(m) }
