package interpret

import (
	"fmt"
	"math/rand/v2"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
)

// InductionResult is what a model does on random token sequences repeated
// twice (prefix, r₀…r_{L−1}, r₀…r_{L−1}): the simplest in-context learning.
// The first copy is unpredictable (random tokens); in the second, a model
// that has learned to copy from context predicts r_{j+1} by finding the
// earlier r_j and reading the token after it — what an induction head does
// (Olsson et al. 2022, "In-context learning and induction heads").
type InductionResult struct {
	Length int // L, tokens per copy
	// Tokens holds each row's random sequence r₀…r_{L−1} (the input is
	// prefix, Tokens[b], Tokens[b]).
	Tokens [][]int
	// FirstLoss and SecondLoss are the mean cross-entropy of predicting
	// r₁…r_{L−1} in the first and in the second copy; FirstAccuracy and
	// SecondAccuracy the fraction predicted exactly (arg max).
	FirstLoss, SecondLoss         float64
	FirstAccuracy, SecondAccuracy float64
	// PositionLoss is the mean loss of predicting the token at each position
	// 1..2L−1 of the repeated sequence (0 is r₀ of the first copy).
	PositionLoss []float64
	// HeadScores [layer][head] is each head's induction score: its mean
	// attention, from r_j in the second copy, to r_{j+1} in the first — the
	// token that followed the earlier occurrence.
	HeadScores [][]float64
}

// RepeatedTokens runs the induction test: batch sequences of length random
// tokens drawn from vocab (token ids), each repeated twice after prefix (e.g.
// the end-of-text token), deterministically for seed.
func RepeatedTokens(m *gpt2.LMHeadModel, vocab, prefix []int, length, batch int, seed uint64) (*InductionResult, error) {
	if m == nil {
		return nil, fmt.Errorf("interpret.RepeatedTokens: no model")
	}
	if length < 2 || batch < 1 || len(vocab) < 2 {
		return nil, fmt.Errorf("interpret.RepeatedTokens: need length ≥ 2, batch ≥ 1 and at least 2 tokens to draw from (length %d, batch %d, %d tokens)", length, batch, len(vocab))
	}
	p, L := len(prefix), length
	T := p + 2*L
	if T > m.Transformer.Config.NPositions {
		return nil, fmt.Errorf("interpret.RepeatedTokens: prefix + 2 × %d tokens = %d exceeds the model's %d positions", L, T, m.Transformer.Config.NPositions)
	}
	rng := rand.New(rand.NewPCG(seed, 0x1d))
	ids := make([]int, 0, batch*T)
	tokens := make([][]int, 0, batch)
	for b := 0; b < batch; b++ {
		r := make([]int, L)
		for j := range r {
			r[j] = vocab[rng.IntN(len(vocab))]
		}
		ids = append(ids, prefix...)
		ids = append(ids, r...)
		ids = append(ids, r...)
		tokens = append(tokens, r)
	}
	nn.Eval(m)
	var out *gpt2.LMOutput
	var err error
	autograd.NoGrad(func() {
		out, err = m.Forward(&gpt2.Inputs{InputIDs: ids, Batch: batch, SeqLen: T, OutputAttentions: true}, nil)
	})
	if err != nil {
		return nil, err
	}
	var losses []float32
	autograd.NoGrad(func() { losses = gpt2.CausalLMTokenLoss(out.Logits, ids).Contiguous().Data() })
	best, err := gpt2.ArgMax(out.Logits.Reshape(batch*T, -1))
	if err != nil {
		return nil, err
	}
	res := &InductionResult{Length: L, Tokens: tokens, PositionLoss: make([]float64, 2*L-1)}
	var firstHit, secondHit int
	for b := 0; b < batch; b++ {
		for j := 1; j < 2*L; j++ {
			t := p + j // position of the predicted token
			loss := float64(losses[b*(T-1)+t-1])
			res.PositionLoss[j-1] += loss / float64(batch)
			hit := best[b*T+t-1] == ids[b*T+t]
			switch {
			case j < L:
				res.FirstLoss += loss
				if hit {
					firstHit++
				}
			case j > L:
				res.SecondLoss += loss
				if hit {
					secondHit++
				}
			}
		}
	}
	n := float64(batch * (L - 1))
	res.FirstLoss, res.SecondLoss = res.FirstLoss/n, res.SecondLoss/n
	res.FirstAccuracy, res.SecondAccuracy = float64(firstHit)/n, float64(secondHit)/n
	for _, a := range out.Attentions { // [batch, heads, T, T]
		heads := a.Size(1)
		data := a.Contiguous().Data()
		scores := make([]float64, heads)
		for b := 0; b < batch; b++ {
			for h := 0; h < heads; h++ {
				for j := 0; j < L-1; j++ {
					q, k := p+L+j, p+j+1
					scores[h] += float64(data[((b*heads+h)*T+q)*T+k])
				}
			}
		}
		for h := range scores {
			scores[h] /= n
		}
		res.HeadScores = append(res.HeadScores, scores)
	}
	return res, nil
}
