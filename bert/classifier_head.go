package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ForSequenceClassification and ForTokenClassification are the same three
// children under HF's names, "bert", "dropout" and "classifier"; they differ
// in what the classifier reads (the pooled output or every token) and in the
// loss. This file builds and names those children once for both.

// newClassifierParts builds the encoder (with a pooler when pooler is set),
// the dropout before the classifier and the classifier for c's labels, with
// HF's initialisation; task names the model in errors.
func newClassifierParts(c *Config, rng *autograd.RNG, task string, pooler bool) (*Model, *nn.Dropout, nn.Layer, error) {
	if c.NumLabels() < 1 {
		return nil, nil, nil, fmt.Errorf("bert: %s needs at least one label (id2label is empty)", task)
	}
	m, err := NewModel(c, rng, pooler)
	if err != nil {
		return nil, nil, nil, err
	}
	return m, nn.NewDropout(float32(c.ClassifierDropoutProb()), rng), newDense(c.HiddenSize, c.NumLabels(), c, rng), nil
}

// classifierChildren names a classification model's children as HF does.
func classifierChildren(b *Model, d *nn.Dropout, classifier nn.Layer) []nn.NamedModule {
	return []nn.NamedModule{{Name: "bert", Module: b}, {Name: "dropout", Module: d}, {Name: "classifier", Module: classifier}}
}

// setClassifierChild replaces the child called name of the classification
// model block (PEFT swaps the classifier this way).
func setClassifierChild(block string, b **Model, d **nn.Dropout, classifier *nn.Layer, name string, c nn.Module) error {
	switch name {
	case "bert":
		return setChild(b, name, c)
	case "dropout":
		return setChild(d, name, c)
	case "classifier":
		return setChild(classifier, name, c)
	}
	return noChild(block, name+" of that type", classifierChildren(*b, *d, *classifier))
}
