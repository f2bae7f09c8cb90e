package train

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/optim"
)

// BagOfWords is the baseline every text classifier should beat: multinomial
// logistic regression on word counts. It sees which words occur but not their
// order, so "not good" and "good, not bad" look alike to it. The counts are
// kept sparse (each example's words and counts), so a 12,000-example corpus
// with a 22,000-word vocabulary costs a few megabytes, not a dense
// examples × words matrix.
type BagOfWords struct {
	Words  map[string]int   // feature index of each known word
	Weight *autograd.Tensor // [classes, words]
	Bias   *autograd.Tensor // [classes]
}

// bagWords splits text into lowercase words (letters and digits).
func bagWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// sparseCounts is one example's known words (feature indices, increasing) and
// how often each occurs.
type sparseCounts struct {
	index []int
	count []float32
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
	gradW := autograd.Zeros(numLabels, len(vocab))
	gradB := autograd.Zeros(numLabels)
	for epoch := 0; epoch < epochs; epoch++ {
		m.gradient(x, gold, gradW.Data(), gradB.Data())
		m.Weight.SetGrad(gradW)
		m.Bias.SetGrad(gradB)
		opt.Step()
	}
	m.Weight.SetGrad(nil)
	m.Bias.SetGrad(nil)
	return m
}

// gradient computes the mean cross-entropy gradient over all examples into
// gradW [classes, words] and gradB [classes], touching only the words each
// example has.
func (m *BagOfWords) gradient(x []sparseCounts, gold []int, gradW, gradB []float32) {
	clear(gradW)
	clear(gradB)
	classes := len(gradB)
	words := len(m.Words)
	probs := make([]float64, classes)
	scale := 1 / float64(len(x))
	for i, ex := range x {
		m.logits(ex, probs)
		softmaxInPlace(probs)
		for c := 0; c < classes; c++ {
			d := probs[c]
			if c == gold[i] {
				d--
			}
			d *= scale
			gradB[c] += float32(d)
			row := gradW[c*words:]
			for k, j := range ex.index {
				row[j] += float32(d * float64(ex.count[k]))
			}
		}
	}
}

// logits writes W·x + b for one example into out.
func (m *BagOfWords) logits(ex sparseCounts, out []float64) {
	w, b := m.Weight.Data(), m.Bias.Data()
	words := len(m.Words)
	for c := range out {
		sum := float64(b[c])
		row := w[c*words:]
		for k, j := range ex.index {
			sum += float64(row[j]) * float64(ex.count[k])
		}
		out[c] = sum
	}
}

// softmaxInPlace turns logits into probabilities.
func softmaxInPlace(v []float64) {
	top := math.Inf(-1)
	for _, x := range v {
		top = math.Max(top, x)
	}
	var sum float64
	for i, x := range v {
		v[i] = math.Exp(x - top)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// features counts the known words of each example, sparsely.
func (m *BagOfWords) features(examples []data.Example) []sparseCounts {
	out := make([]sparseCounts, len(examples))
	for i, e := range examples {
		counts := map[int]float32{}
		for _, w := range bagWords(e.Text + " " + e.TextPair) {
			if j, ok := m.Words[w]; ok {
				counts[j]++
			}
		}
		ex := sparseCounts{index: make([]int, 0, len(counts))}
		for j := range counts {
			ex.index = append(ex.index, j)
		}
		sort.Ints(ex.index)
		for _, j := range ex.index {
			ex.count = append(ex.count, counts[j])
		}
		out[i] = ex
	}
	return out
}

// Predict returns the most probable class of every example.
func (m *BagOfWords) Predict(examples []data.Example) []int {
	predictions := make([]int, len(examples))
	scores := make([]float64, m.Bias.Numel())
	for i, ex := range m.features(examples) {
		m.logits(ex, scores)
		predictions[i] = argMax(scores)
	}
	return predictions
}

// argMax is the index of the largest value (the first on ties).
func argMax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
