package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// GPTAttentions runs a GPT-2 model (any module holding one, see DecoderOf)
// on a prompt and collects every layer's causal attention probabilities.
func GPTAttentions(m nn.Module, enc *tokenizer.Encoding) (*AttentionView, error) {
	g, err := DecoderOf(m)
	if err != nil {
		return nil, err
	}
	if err := checkPrompt(g, enc); err != nil {
		return nil, err
	}
	nn.Eval(m)
	var out *gpt2.Output
	autograd.NoGrad(func() {
		out, err = g.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: len(enc.IDs), OutputAttentions: true})
	})
	if err != nil {
		return nil, err
	}
	return AttentionViewOf(out.Attentions, enc.Tokens, 0)
}

// GPTLogitLens decodes GPT-2's residual stream at position through the
// model's own final LayerNorm and tied LM head (nostalgebraist's logit lens):
// row 0 reads the embedding output, row i the output of block i−1, and the
// last row (the output of the last block, before ln_f) gives exactly the
// model's own prediction. It keeps the top k tokens, named by tok.
func GPTLogitLens(m *gpt2.LMHeadModel, tok *tokenizer.GPT2, enc *tokenizer.Encoding, position, k int) (*LogitLens, error) {
	if m == nil || tok == nil {
		return nil, fmt.Errorf("interpret: the logit lens needs a model and its tokenizer")
	}
	if err := checkPrompt(m.Transformer, enc); err != nil {
		return nil, err
	}
	if position < 0 || position >= len(enc.IDs) {
		return nil, fmt.Errorf("interpret: logit lens position %d out of range: the prompt has %d tokens", position, len(enc.IDs))
	}
	nn.Eval(m)
	var stream []*autograd.Tensor
	remove := m.Transformer.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		stream = append(stream, h.Select(1, position).Detach())
		return nil
	})
	defer remove()
	lens := &LogitLens{Position: position, Token: enc.Tokens[position]}
	var err error
	autograd.NoGrad(func() {
		if _, err = m.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: len(enc.IDs)}, nil); err != nil {
			return
		}
		for _, h := range stream {
			probs := m.LMHead.Forward(m.Transformer.LnF.Forward(h)).Softmax(1).Float64s()
			ids := topK(probs, k)
			var names []string
			var ps []float64
			for _, id := range ids {
				name, _ := tok.IDToToken(id)
				names = append(names, name)
				ps = append(ps, probs[id])
			}
			lens.Top = append(lens.Top, names)
			lens.Probs = append(lens.Probs, ps)
		}
	})
	return lens, err
}
