package interpret

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// TextClassifier is the black-box view of a classifier that attacks,
// behavioural tests, fairness metrics and membership inference need: class
// probabilities for a batch of texts.
type TextClassifier interface {
	Probabilities(texts []string) ([][]float64, error)
}

// Classifier adapts a fine-tuned BERT sequence classifier and its tokenizer
// to TextClassifier, batching the texts.
type Classifier struct {
	Model     *bert.ForSequenceClassification
	Tokenizer *tokenizer.BertTokenizer
	// BatchSize is how many texts go through the model at once; 0 means 32.
	BatchSize int
	// MaxLength truncates longer texts (special tokens included); 0 means the
	// tokenizer's limit.
	MaxLength int
}

// NewClassifier wraps m and tok.
func NewClassifier(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer) *Classifier {
	return &Classifier{Model: m, Tokenizer: tok}
}

// Probabilities returns the softmax of the logits of every text.
func (c *Classifier) Probabilities(texts []string) ([][]float64, error) {
	logits, err := c.logits(texts)
	if err != nil {
		return nil, err
	}
	for _, row := range logits {
		softmaxInPlace(row)
	}
	return logits, nil
}

// Predict returns the most probable class of every text.
func (c *Classifier) Predict(texts []string) ([]int, error) {
	p, err := c.Probabilities(texts)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(p))
	for i, row := range p {
		out[i] = argmax(row)
	}
	return out, nil
}

// Losses returns each example's cross-entropy −log p(label | text): the
// signal a loss-threshold membership-inference attack reads.
func (c *Classifier) Losses(examples []data.Example) ([]float64, error) {
	texts := make([]string, len(examples))
	for i, e := range examples {
		texts[i] = e.Text
	}
	p, err := c.Probabilities(texts)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(p))
	for i, e := range examples {
		if e.Label < 0 || e.Label >= len(p[i]) {
			return nil, fmt.Errorf("interpret: example %d has label %d, the classifier has %d classes", i, e.Label, len(p[i]))
		}
		out[i] = -math.Log(math.Max(p[i][e.Label], 1e-300))
	}
	return out, nil
}

// logits runs the model on texts in batches, without gradients.
func (c *Classifier) logits(texts []string) ([][]float64, error) {
	nn.Eval(c.Model)
	bs := c.BatchSize
	if bs <= 0 {
		bs = 32
	}
	opts := tokenizer.EncodeOptions{Padding: tokenizer.PadLongest}
	if c.MaxLength > 0 {
		opts.MaxLength, opts.Truncation = c.MaxLength, tokenizer.TruncateLongestFirst
	}
	var out [][]float64
	for start := 0; start < len(texts); start += bs {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		encs, err := c.Tokenizer.EncodeBatch(texts[start:min(start+bs, len(texts))], opts)
		if err != nil {
			return nil, err
		}
		in, err := bert.InputsFromEncodings(encs)
		if err != nil {
			return nil, err
		}
		var o *bert.ClassificationOutput
		autograd.NoGrad(func() { o, err = c.Model.Forward(in, nil) })
		if err != nil {
			return nil, err
		}
		k := o.Logits.Size(1)
		data := o.Logits.Contiguous().Float64s()
		for b := range encs {
			out = append(out, data[b*k:(b+1)*k])
		}
	}
	return out, nil
}

// softmaxInPlace turns logits into probabilities.
func softmaxInPlace(v []float64) {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	var s float64
	for i, x := range v {
		v[i] = math.Exp(x - m)
		s += v[i]
	}
	for i := range v {
		v[i] /= s
	}
}
