package train

import (
	"sort"
	"strings"
	"unicode"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/optim"
)

// BagOfWords is the baseline every text classifier should beat: multinomial
// logistic regression on word counts. It sees which words occur but not their
// order, so "not good" and "good, not bad" look alike to it.
type BagOfWords struct {
	Words  map[string]int   // feature index of each known word
	Weight *autograd.Tensor // [classes, words]
	Bias   *autograd.Tensor // [classes]
}

// bagWords splits text into lowercase words (letters and digits).
func bagWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TrainBagOfWords fits the baseline on examples with full-batch AdamW for the
// given number of epochs (a few hundred is plenty) and L2-style weight decay.
func TrainBagOfWords(examples []data.Example, numLabels, epochs int, lr float64) *BagOfWords {
	words := map[string]int{}
	var vocab []string
	for _, e := range examples {
		for _, w := range bagWords(e.Text + " " + e.TextPair) {
			if _, ok := words[w]; !ok {
				words[w] = len(vocab)
				vocab = append(vocab, w)
			}
		}
	}
	sort.Strings(vocab) // stable feature order, independent of example order
	for i, w := range vocab {
		words[w] = i
	}
	m := &BagOfWords{Words: words,
		Weight: autograd.Zeros(numLabels, len(vocab)).SetRequiresGrad(true),
		Bias:   autograd.Zeros(numLabels).SetRequiresGrad(true)}
	x := m.features(examples)
	gold := Golds(examples)
	opt := optim.NewAdamW([]*autograd.Tensor{m.Weight, m.Bias}, optim.AdamConfig{LR: lr, WeightDecay: 0.01})
	for epoch := 0; epoch < epochs; epoch++ {
		loss := autograd.CrossEntropy(autograd.Linear(x, m.Weight, m.Bias), gold, autograd.CrossEntropyOptions{})
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
	}
	return m
}

// features counts the known words of each example: a [examples, words] matrix.
func (m *BagOfWords) features(examples []data.Example) *autograd.Tensor {
	n := len(m.Words)
	counts := make([]float32, len(examples)*n)
	for i, e := range examples {
		for _, w := range bagWords(e.Text + " " + e.TextPair) {
			if j, ok := m.Words[w]; ok {
				counts[i*n+j]++
			}
		}
	}
	return autograd.New(counts, len(examples), n)
}

// Predict returns the most probable class of every example.
func (m *BagOfWords) Predict(examples []data.Example) []int {
	var predictions []int
	autograd.NoGrad(func() {
		predictions = autograd.Linear(m.features(examples), m.Weight, m.Bias).ArgMax(1)
	})
	return predictions
}
