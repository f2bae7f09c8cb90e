package gpt2

import (
	"fmt"
	"math"
	"sort"

	"github.com/turinglab/turinglab/autograd"
)

// A LogitsProcessor reshapes the next-token scores of a batch before a token
// is chosen, as HF's LogitsProcessor and LogitsWarper do. scores is
// [batch, vocab]; inputIDs holds each row's sequence so far (prompt, padding
// included, and the tokens generated), which only the repetition penalty
// reads. Process returns a new tensor and leaves scores unchanged.
type LogitsProcessor interface {
	Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error)
}

// LogitsProcessorList applies its processors one after the other, in order.
type LogitsProcessorList []LogitsProcessor

// Process runs every processor of the list on the output of the previous one.
func (l LogitsProcessorList) Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error) {
	for _, p := range l {
		var err error
		if scores, err = p.Process(inputIDs, scores); err != nil {
			return nil, err
		}
	}
	return scores, nil
}

// LogitsProcessors returns the processors generation applies with this
// config, in HF's order (GenerationMixin._get_logits_processor, then the
// sampling warpers): the repetition penalty when it is not 1, and, when
// sampling, the temperature when it is not 1, top-k when it is not 0 and
// top-p when it is below 1. Greedy search skips the three warpers, as HF
// does; they would not change the arg max anyway.
func (c *GenerationConfig) LogitsProcessors() LogitsProcessorList {
	var l LogitsProcessorList
	if c.RepetitionPenalty != 1 {
		l = append(l, RepetitionPenalty{Penalty: c.RepetitionPenalty})
	}
	if c.DoSample {
		if c.Temperature != 1 {
			l = append(l, Temperature{Temperature: c.Temperature})
		}
		if c.TopK != 0 {
			l = append(l, TopK{K: c.TopK})
		}
		if c.TopP < 1 {
			l = append(l, TopP{P: c.TopP})
		}
	}
	return l
}

// RepetitionPenalty is HF's RepetitionPenaltyLogitsProcessor (CTRL's
// penalty): the score of every token that already occurs in the row's
// sequence, prompt included, is divided by Penalty when positive and
// multiplied by it when negative, once however often the token occurs.
// Penalty above 1 makes repeats less likely, below 1 more likely.
type RepetitionPenalty struct {
	Penalty float64
}

// Process applies the penalty to a copy of scores.
func (r RepetitionPenalty) Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error) {
	if !(r.Penalty > 0) {
		return nil, fmt.Errorf("gpt2.RepetitionPenalty: penalty has to be a strictly positive float, got %v", r.Penalty)
	}
	rows, batch, vocab, err := scoreRows("RepetitionPenalty", scores)
	if err != nil {
		return nil, err
	}
	if len(inputIDs) != batch {
		return nil, fmt.Errorf("gpt2.RepetitionPenalty: %d sequences of input ids for %d rows of scores", len(inputIDs), batch)
	}
	penalty := float32(r.Penalty)
	for b := 0; b < batch; b++ {
		row := rows[b*vocab : (b+1)*vocab]
		done := make(map[int]bool, len(inputIDs[b]))
		for _, id := range inputIDs[b] {
			if id < 0 || id >= vocab {
				return nil, fmt.Errorf("gpt2.RepetitionPenalty: input id %d of row %d is outside the vocabulary [0, %d)", id, b, vocab)
			}
			if done[id] {
				continue // HF gathers the original score for every occurrence, so a token is penalized once
			}
			done[id] = true
			if v := row[id]; v < 0 {
				row[id] = v * penalty
			} else {
				row[id] = v / penalty
			}
		}
	}
	return autograd.New(rows, batch, vocab), nil
}

// Temperature is HF's TemperatureLogitsWarper: every score divided by
// Temperature. Below 1 sharpens the distribution, above 1 flattens it.
type Temperature struct {
	Temperature float64
}

// Process divides a copy of scores by the temperature (in float32, as torch
// divides a float32 tensor by a Python float).
func (t Temperature) Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error) {
	if !(t.Temperature > 0) {
		return nil, fmt.Errorf("gpt2.Temperature: temperature has to be a strictly positive float, got %v (for greedy decoding set DoSample false)", t.Temperature)
	}
	rows, batch, vocab, err := scoreRows("Temperature", scores)
	if err != nil {
		return nil, err
	}
	temp := float32(t.Temperature)
	for i := range rows {
		rows[i] /= temp
	}
	return autograd.New(rows, batch, vocab), nil
}

// TopK is HF's TopKLogitsWarper: in each row, every score below the K-th
// largest becomes -inf. Ties with the K-th largest all stay, so a row can keep
// more than K tokens. At least MinTokensToKeep tokens stay (0 means 1, HF's
// default); a K beyond the vocabulary keeps everything.
type TopK struct {
	K               int
	MinTokensToKeep int
}

// Process filters a copy of scores.
func (t TopK) Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error) {
	if t.K <= 0 {
		return nil, fmt.Errorf("gpt2.TopK: top_k has to be a strictly positive integer, got %d", t.K)
	}
	keep, err := minTokensToKeep("TopK", t.MinTokensToKeep)
	if err != nil {
		return nil, err
	}
	rows, batch, vocab, err := scoreRows("TopK", scores)
	if err != nil {
		return nil, err
	}
	k := min(max(t.K, keep), vocab)
	sorted := make([]float32, vocab)
	negInf := float32(math.Inf(-1))
	for b := 0; b < batch; b++ {
		row := rows[b*vocab : (b+1)*vocab]
		copy(sorted, row)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] > sorted[j] })
		kth := sorted[k-1] // torch.topk(scores, k)[0][..., -1]
		for i, v := range row {
			if v < kth {
				row[i] = negInf
			}
		}
	}
	return autograd.New(rows, batch, vocab), nil
}

// TopP is HF's TopPLogitsWarper (nucleus filtering): in each row, the scores
// are sorted ascending, their softmax is summed from the least likely token
// up, and every token whose running sum is at most 1-P becomes -inf; what
// stays is the smallest set of most likely tokens holding at least P of the
// probability. The MinTokensToKeep most likely tokens always stay (0 means 1).
// P = 1 removes only tokens of probability 0; P = 0 keeps MinTokensToKeep.
//
// Tied scores are sorted stably (lower index first, so removed first).
// HF's torch.sort is not stable, which leaves that choice unspecified there.
type TopP struct {
	P               float64
	MinTokensToKeep int
}

// Process filters a copy of scores.
func (t TopP) Process(inputIDs [][]int, scores *autograd.Tensor) (*autograd.Tensor, error) {
	if t.P < 0 || t.P > 1 || math.IsNaN(t.P) {
		return nil, fmt.Errorf("gpt2.TopP: top_p has to be a float in [0, 1], got %v", t.P)
	}
	keep, err := minTokensToKeep("TopP", t.MinTokensToKeep)
	if err != nil {
		return nil, err
	}
	rows, batch, vocab, err := scoreRows("TopP", scores)
	if err != nil {
		return nil, err
	}
	// torch compares the float32 cumulative sum with the Python float 1-top_p
	// cast to float32.
	threshold := float32(1 - t.P)
	order := make([]int, vocab)
	sortedScores := make([]float32, vocab)
	probs := make([]float32, vocab)
	negInf := float32(math.Inf(-1))
	for b := 0; b < batch; b++ {
		row := rows[b*vocab : (b+1)*vocab]
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return row[order[i]] < row[order[j]] })
		for i, idx := range order {
			sortedScores[i] = row[idx]
		}
		softmaxRow(sortedScores, probs)
		// torch's CPU cumsum accumulates float32 in float64 and rounds each
		// partial sum back to float32.
		var cumulative float64
		remove := make([]bool, vocab)
		for i, p := range probs {
			cumulative += float64(p)
			remove[i] = float32(cumulative) <= threshold
		}
		for i := max(vocab-keep, 0); i < vocab; i++ {
			remove[i] = false
		}
		for i, idx := range order {
			if remove[i] {
				row[idx] = negInf
			}
		}
	}
	return autograd.New(rows, batch, vocab), nil
}

// scoreRows checks that scores is [batch, vocab] and returns a copy of its
// values in row-major order.
func scoreRows(who string, scores *autograd.Tensor) (rows []float32, batch, vocab int, err error) {
	if scores == nil {
		return nil, 0, 0, fmt.Errorf("gpt2.%s: scores is nil", who)
	}
	shape := scores.Shape()
	if len(shape) != 2 || shape[1] == 0 {
		return nil, 0, 0, fmt.Errorf("gpt2.%s: scores must be [batch, vocab], got shape %v", who, shape)
	}
	return append([]float32(nil), scores.Data()...), shape[0], shape[1], nil
}

// minTokensToKeep resolves a MinTokensToKeep field: 0 is HF's default 1.
func minTokensToKeep(who string, n int) (int, error) {
	if n < 0 {
		return 0, fmt.Errorf("gpt2.%s: min_tokens_to_keep has to be a positive integer, got %d", who, n)
	}
	return max(n, 1), nil
}
