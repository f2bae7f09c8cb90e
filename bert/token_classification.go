package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ForTokenClassification is BERT with a classifier on every token, HF's
// BertForTokenClassification (named-entity tagging and the like):
//
//	logits = Dropout(h) Wᵀ + b        [batch, T, num_labels]
//
// with a cross-entropy loss that ignores label -100 (padding, special tokens
// and word-piece continuations by convention). There is no pooler. Names:
// "bert.*" (without "bert.pooler.*"), "classifier.weight", "classifier.bias".
type ForTokenClassification struct {
	Bert       *Model
	Dropout    *nn.Dropout // classifier_dropout, or hidden_dropout_prob when unset
	Classifier nn.Layer    // classifier: *nn.Linear, weight [num_labels, hidden] and bias
}

// NewForTokenClassification builds the model from c with HF's initialisation
// (in training mode, like a new torch module).
func NewForTokenClassification(c *Config, rng *autograd.RNG) (*ForTokenClassification, error) {
	b, d, classifier, err := newClassifierParts(c, rng, "token classification", false)
	if err != nil {
		return nil, err
	}
	return &ForTokenClassification{Bert: b, Dropout: d, Classifier: classifier}, nil
}

// Forward tags every token; labels ([batch*T], -100 = ignored) may be nil.
func (m *ForTokenClassification) Forward(in *Inputs, labels []int) (*ClassificationOutput, error) {
	n := m.Bert.Config.NumLabels()
	if err := checkLabels("token labels", labels, in.Batch*in.SeqLen, n); err != nil {
		return nil, err
	}
	base, err := m.Bert.Forward(in)
	if err != nil {
		return nil, err
	}
	out := &ClassificationOutput{HiddenStates: base.HiddenStates, Attentions: base.Attentions}
	out.Logits = m.Classifier.Forward(m.Dropout.Forward(base.LastHiddenState))
	if labels != nil {
		out.Loss = autograd.CrossEntropy(out.Logits.Reshape(in.Batch*in.SeqLen, n), labels, autograd.CrossEntropyOptions{})
	}
	return out, nil
}

// Children names the sub-modules as HF does.
func (m *ForTokenClassification) Children() []nn.NamedModule {
	return classifierChildren(m.Bert, m.Dropout, m.Classifier)
}

// SetChild replaces a sub-module by name (PEFT swaps the classifier this way).
func (m *ForTokenClassification) SetChild(name string, c nn.Module) error {
	return setClassifierChild("ForTokenClassification", &m.Bert, &m.Dropout, &m.Classifier, name, c)
}

// NamedParameters lists every parameter with its HF name under prefix.
func (m *ForTokenClassification) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on or off.
func (m *ForTokenClassification) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *ForTokenClassification) String() string { return nn.Repr(m) }
