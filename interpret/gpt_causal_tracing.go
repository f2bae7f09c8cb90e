package interpret

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// GPTCausalTrace runs ROME's causal tracing (Meng et al. 2022) on GPT-2 in
// ROME's own setting: the subject tokens' embeddings get Gaussian noise of
// NoiseMultiplier (3) × the standard deviation of the subject tokens' token
// embeddings (ROME's collect_embedding_std, here over this prompt's
// subject), then each clean state is restored in turn and the target (the
// next token's probability, usually) measured. Kind "hidden" restores the
// residual stream (row 0 = the embedding output, row l = the output of block
// l−1); "mlp" and "attn" restore a window of blocks' MLP or attention
// outputs (ROME's window, see TraceOptions) through gpt2's sub-layer hook.
// The grid is averaged over Samples noise draws and batched as CausalTrace's.
func GPTCausalTrace(t *NextToken, enc *tokenizer.Encoding, subject []int, opts TraceOptions) (*TraceResult, error) {
	if t == nil {
		return nil, fmt.Errorf("interpret: the target is nil")
	}
	if err := checkPrompt(t.Model.Transformer, enc); err != nil {
		return nil, err
	}
	for _, p := range subject {
		if p < 0 || p >= len(enc.IDs) {
			return nil, fmt.Errorf("interpret: subject position %d out of range: the prompt has %d tokens", p, len(enc.IDs))
		}
	}
	nn.Eval(t.Model)
	std := func(*ActivationCache) float64 { return subjectEmbeddingStd(t, enc.IDs, subject) }
	return causalTrace(gptTraced{t, enc.IDs}, enc.Tokens, t.Name, subject, std, opts)
}

// subjectEmbeddingStd is the standard deviation of the token embeddings
// (wte rows) of the subject's tokens, over every token and unit.
func subjectEmbeddingStd(t *NextToken, ids, subject []int) float64 {
	w := t.Model.Transformer.Wte.Weight.Contiguous().Data()
	E := t.Model.Transformer.Config.NEmbd
	var n, sum, sq float64
	for _, p := range subject {
		for _, v := range w[ids[p]*E : (ids[p]+1)*E] {
			sum += float64(v)
			sq += float64(v) * float64(v)
			n++
		}
	}
	mean := sum / n
	return math.Sqrt(math.Max(0, sq/n-mean*mean))
}

// GPTRunWithPatches runs the target on the prompt with noise added to the
// embedding output (noise [T·n_embd] values, or nil) and with residual
// stream l at token p replaced by restore[l][p] wherever that is not nil,
// and returns the score. CausalTrace's cells are such runs; restoring every
// stream at every token from a clean run gives the clean score back.
func GPTRunWithPatches(t *NextToken, enc *tokenizer.Encoding, noise []float32, restore [][][]float32) (float64, error) {
	if err := checkPrompt(t.Model.Transformer, enc); err != nil {
		return 0, err
	}
	nn.Eval(t.Model)
	T, E := len(enc.IDs), t.Model.Transformer.Config.NEmbd
	if noise != nil && len(noise) != T*E {
		return 0, fmt.Errorf("interpret: noise has %d values, want %d tokens × %d", len(noise), T, E)
	}
	s, err := gptTraced{t, enc.IDs}.run(1, func(i int, h *autograd.Tensor) *autograd.Tensor {
		data := append([]float32(nil), h.Contiguous().Data()...)
		if i == 0 && noise != nil {
			for j := range data {
				data[j] += noise[j]
			}
		}
		if i < len(restore) {
			for p, v := range restore[i] {
				if v != nil && p < T && len(v) == E {
					copy(data[p*E:(p+1)*E], v)
				}
			}
		}
		return autograd.New(data, h.Shape()...)
	}, nil)
	if err != nil {
		return 0, err
	}
	return s[0], nil
}
