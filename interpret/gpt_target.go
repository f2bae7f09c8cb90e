package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// NextToken is the output explained on a GPT-2 language model: the logit
// (or, with Probability, the softmax probability) of Token as the next token
// after a prompt, read at the prompt's last position. It is the GPT
// counterpart of Target; the GPT entry points (GPTAttentions, GPTLogitLens,
// GPTIntegratedGradients, GPTCausalTrace) run the model through its own hook
// seams (gpt2.Model.AddHook and AddSublayerHook).
type NextToken struct {
	Name        string
	Model       *gpt2.LMHeadModel
	Token       int
	Probability bool
}

// NextTokenLogit explains the logit of token after the prompt (captum's
// usual choice: logits are linear in the last residual stream).
func NextTokenLogit(m *gpt2.LMHeadModel, token int) (*NextToken, error) {
	return newNextToken(m, token, false)
}

// NextTokenProbability explains the probability of token after the prompt
// (ROME traces this one).
func NextTokenProbability(m *gpt2.LMHeadModel, token int) (*NextToken, error) {
	return newNextToken(m, token, true)
}

func newNextToken(m *gpt2.LMHeadModel, token int, prob bool) (*NextToken, error) {
	if m == nil {
		return nil, fmt.Errorf("interpret: the language model is nil")
	}
	if v := m.Transformer.Config.VocabSize; token < 0 || token >= v {
		return nil, fmt.Errorf("interpret: token id %d out of range: the vocabulary has %d tokens", token, v)
	}
	name := fmt.Sprintf("logit[%d] next", token)
	if prob {
		name = fmt.Sprintf("P(token %d next)", token)
	}
	return &NextToken{Name: name, Model: m, Token: token, Probability: prob}, nil
}

// score runs the model on batch copies of ids, with inputs_embeds when emb
// is not nil, and returns the [batch] scores at the last position.
func (t *NextToken) score(ids []int, batch int, emb *autograd.Tensor) (*autograd.Tensor, error) {
	in := &gpt2.Inputs{Batch: batch, SeqLen: len(ids)}
	if emb != nil {
		in.InputsEmbeds = emb
	} else {
		for b := 0; b < batch; b++ {
			in.InputIDs = append(in.InputIDs, ids...)
		}
	}
	out, err := t.Model.Forward(in, nil)
	if err != nil {
		return nil, err
	}
	last := out.Logits.Select(1, len(ids)-1) // [batch, vocab]
	if t.Probability {
		last = last.Softmax(1)
	}
	return last.Select(1, t.Token), nil
}

// gptTraced runs a NextToken target on one prompt for causal tracing (see
// traced).
type gptTraced struct {
	t   *NextToken
	ids []int
}

func (g gptTraced) run(batch int, stream func(int, *autograd.Tensor) *autograd.Tensor, sub func(int, string, *autograd.Tensor) *autograd.Tensor) ([]float64, error) {
	tr := g.t.Model.Transformer
	if stream != nil {
		defer tr.AddHook(stream)()
	}
	if sub != nil {
		defer tr.AddSublayerHook(func(layer int, kind gpt2.Sublayer, out *autograd.Tensor) *autograd.Tensor {
			return sub(layer, kind.String(), out)
		})()
	}
	var s []float64
	var err error
	autograd.NoGrad(func() {
		var out *autograd.Tensor
		if out, err = g.t.score(g.ids, batch, nil); err == nil {
			s = out.Float64s()
		}
	})
	return s, err
}

// DecoderOf finds the GPT-2 transformer in m's module tree (m itself, a
// *gpt2.LMHeadModel, or any model holding one), as EncoderOf finds BERT's.
func DecoderOf(m nn.Module) (*gpt2.Model, error) {
	for _, nm := range nn.NamedModules(m, "") {
		if g, ok := nm.Module.(*gpt2.Model); ok {
			return g, nil
		}
	}
	return nil, fmt.Errorf("interpret: %T holds no GPT-2 model", m)
}

// checkPrompt rejects an empty prompt or one whose ids and tokens disagree
// or do not fit the model.
func checkPrompt(m *gpt2.Model, enc *tokenizer.Encoding) error {
	if enc == nil || len(enc.IDs) == 0 {
		return fmt.Errorf("interpret: empty prompt")
	}
	if len(enc.Tokens) != len(enc.IDs) {
		return fmt.Errorf("interpret: prompt has %d ids but %d tokens", len(enc.IDs), len(enc.Tokens))
	}
	if n := m.Config.NPositions; len(enc.IDs) > n {
		return fmt.Errorf("interpret: prompt has %d tokens, the model at most n_positions %d", len(enc.IDs), n)
	}
	for i, id := range enc.IDs {
		if id < 0 || id >= m.Config.VocabSize {
			return fmt.Errorf("interpret: prompt token %d has id %d, outside the vocabulary [0, %d)", i, id, m.Config.VocabSize)
		}
	}
	return nil
}
