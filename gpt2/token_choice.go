package gpt2

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// ArgMax is greedy search's choice: for each row of scores [batch, vocab],
// the index of the largest score, the first one when several tie (as
// torch.argmax).
func ArgMax(scores *autograd.Tensor) ([]int, error) {
	rows, batch, vocab, err := scoreRows("ArgMax", scores)
	if err != nil {
		return nil, err
	}
	out := make([]int, batch)
	for b := range out {
		out[b] = argMaxRow(rows[b*vocab : (b+1)*vocab])
	}
	return out, nil
}

// argMaxRow returns the index of the first largest value.
func argMaxRow(row []float32) int {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

// Softmax returns the probabilities of each row of scores [batch, vocab]:
// exp(s - max) / sum, so -inf scores get probability 0.
func Softmax(scores *autograd.Tensor) (*autograd.Tensor, error) {
	rows, batch, vocab, err := scoreRows("Softmax", scores)
	if err != nil {
		return nil, err
	}
	for b := 0; b < batch; b++ {
		row := rows[b*vocab : (b+1)*vocab]
		softmaxRow(row, row)
	}
	return autograd.New(rows, batch, vocab), nil
}

// softmaxRow writes softmax(x) to y (which may be x) the way torch's CPU
// kernel does: exp(x - max) in float32, one reciprocal of the sum, a multiply.
// A row of -inf only gives NaN, as in torch.
func softmaxRow(x, y []float32) {
	m := float32(math.Inf(-1))
	for _, v := range x {
		m = max(m, v)
	}
	var sum float64
	for i, v := range x {
		e := float32(math.Exp(float64(v - m)))
		y[i] = e
		sum += float64(e)
	}
	inv := 1 / float32(sum)
	for i := range y {
		y[i] *= inv
	}
}

// SampleTokens is sampling's choice: for each row of scores [batch, vocab],
// a token drawn from softmax(row) with rng (HF: torch.multinomial(softmax(
// scores), 1)). Tokens whose score is -inf are never drawn. The draws are a
// deterministic function of rng's seed, but not torch's: the same seed does
// not give the tokens PyTorch gives.
func SampleTokens(scores *autograd.Tensor, rng *autograd.RNG) ([]int, error) {
	if rng == nil {
		return nil, fmt.Errorf("gpt2.SampleTokens: rng is nil; pass autograd.NewRNG(seed)")
	}
	rows, batch, vocab, err := scoreRows("SampleTokens", scores)
	if err != nil {
		return nil, err
	}
	out := make([]int, batch)
	probs := make([]float32, vocab)
	for b := range out {
		softmaxRow(rows[b*vocab:(b+1)*vocab], probs)
		tok, err := drawIndex(probs, rng)
		if err != nil {
			return nil, fmt.Errorf("gpt2.SampleTokens: row %d: %w", b, err)
		}
		out[b] = tok
	}
	return out, nil
}

// drawIndex draws i with probability probs[i] / sum(probs) by inverting the
// cumulative distribution at one uniform number.
func drawIndex(probs []float32, rng *autograd.RNG) (int, error) {
	var total float64
	for i, p := range probs {
		if !(p >= 0) || math.IsInf(float64(p), 1) {
			return 0, fmt.Errorf("probability %v at index %d (scores with NaN, +inf, or every token removed)", p, i)
		}
		total += float64(p)
	}
	if total <= 0 {
		return 0, fmt.Errorf("every probability is 0")
	}
	u := rng.Float64() * total
	last := 0
	var cumulative float64
	for i, p := range probs {
		if p == 0 {
			continue
		}
		last = i
		cumulative += float64(p)
		if u < cumulative {
			return i, nil
		}
	}
	return last, nil // u fell in the rounding gap at the very top
}
