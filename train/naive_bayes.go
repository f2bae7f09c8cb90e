package train

import (
	"math"

	"github.com/turinglab/turinglab/data"
)

// NaiveBayes is multinomial naive Bayes on word unigrams with Laplace
// (add-one) smoothing, the classic text baseline (Manning, Raghavan and
// Schütze, ch. 13): a class's score for a text is
//
//	log P(c) + Σ over the text's known words w of log P(w | c),
//	P(w | c) = (count of w in class c + 1) / (words in class c + |V|)
//
// with P(c) the class's share of the training examples. Words never seen in
// training are ignored. Training is one counting pass.
type NaiveBayes struct {
	Words    map[string]int // feature index of each known word
	LogPrior []float64      // LogPrior[c] = log P(c)
	// LogLikelihood[c][w] = log P(w | c).
	LogLikelihood [][]float64
}

// TrainNaiveBayes counts words per class in examples (text and pair).
func TrainNaiveBayes(examples []data.Example, numLabels int) *NaiveBayes {
	m := &NaiveBayes{Words: map[string]int{}, LogPrior: make([]float64, numLabels)}
	docs := make([]float64, numLabels)
	counts := make([][]float64, numLabels)
	for _, e := range examples {
		docs[e.Label]++
		for _, w := range bagWords(e.Text + " " + e.TextPair) {
			j, ok := m.Words[w]
			if !ok {
				j = len(m.Words)
				m.Words[w] = j
			}
			for len(counts[e.Label]) <= j {
				counts[e.Label] = append(counts[e.Label], 0)
			}
			counts[e.Label][j]++
		}
	}
	vocab := float64(len(m.Words))
	m.LogLikelihood = make([][]float64, numLabels)
	for c := range numLabels {
		m.LogPrior[c] = math.Log(docs[c] / float64(len(examples)))
		var total float64
		for _, n := range counts[c] {
			total += n
		}
		m.LogLikelihood[c] = make([]float64, len(m.Words))
		for j := range m.LogLikelihood[c] {
			n := 0.0
			if j < len(counts[c]) {
				n = counts[c][j]
			}
			m.LogLikelihood[c][j] = math.Log((n + 1) / (total + vocab))
		}
	}
	return m
}

// Scores returns each class's log score (up to a constant) for one text.
func (m *NaiveBayes) Scores(e data.Example) []float64 {
	scores := append([]float64(nil), m.LogPrior...)
	for _, w := range bagWords(e.Text + " " + e.TextPair) {
		if j, ok := m.Words[w]; ok {
			for c := range scores {
				scores[c] += m.LogLikelihood[c][j]
			}
		}
	}
	return scores
}

// Predict returns the most probable class of every example.
func (m *NaiveBayes) Predict(examples []data.Example) []int {
	out := make([]int, len(examples))
	for i, e := range examples {
		out[i] = argMax(m.Scores(e))
	}
	return out
}
