package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
)

// ForwardCausalLM runs a GPT-2 language model with the active adapter,
// PEFT's PeftModelForCausalLM.forward. LoRA, IA3 and the other methods work
// inside the base, so this equals the base's Forward; prompt learning puts
// its virtual tokens in front, as PEFT does:
//
//   - prefix tuning passes every layer's prefix keys and values as the
//     cache of earlier positions (HF's past_key_values, PEFT's
//     PrefixEncoder): the sequence's positions start at num_virtual_tokens
//     and every token attends to the prefix;
//   - prompt tuning puts the virtual tokens' embeddings before the
//     sequence's (inputs_embeds = [prompts; wte[input_ids]]) and labels
//     IgnoreLabel under them, so the logits have num_virtual_tokens more
//     positions.
//
// With either, the attention mask (if any) gets ones in front, and position
// ids are ignored with a warning (PEFT: "Position ids are not supported for
// parameter efficient tuning"). AdaLoRA's orthogonal regularisation is added
// to the loss as in Forward. The base must be a *gpt2.LMHeadModel.
func (m *Model) ForwardCausalLM(in *gpt2.Inputs, labels []int) (*gpt2.LMOutput, error) {
	lm, ok := m.Base.(*gpt2.LMHeadModel)
	if !ok {
		return nil, fmt.Errorf("peft: ForwardCausalLM needs a *gpt2.LMHeadModel base, have %T", m.Base)
	}
	if in == nil {
		return nil, fmt.Errorf("peft: ForwardCausalLM: inputs are nil")
	}
	a := m.adapters[m.active]
	if m.disabled {
		a = nil
	}
	var out *gpt2.LMOutput
	var err error
	if a != nil && a.prompt != nil {
		out, err = m.promptCausalLM(lm, a.prompt, in, labels)
	} else {
		out, err = lm.Forward(in, labels)
	}
	if err != nil {
		return nil, err
	}
	if out.Loss != nil && a != nil {
		if c, ok := a.cfg.(*AdaLoraConfig); ok && c.OrthRegWeight > 0 {
			out.Loss = out.Loss.Add(m.orthRegularization(a).MulScalar(float32(c.OrthRegWeight)))
		}
	}
	return out, nil
}

// promptCausalLM is the forward pass with prefix or prompt tuning's virtual
// tokens (see ForwardCausalLM).
func (m *Model) promptCausalLM(lm *gpt2.LMHeadModel, p *PromptEncoder, in *gpt2.Inputs, labels []int) (*gpt2.LMOutput, error) {
	if in.Past != nil {
		return nil, fmt.Errorf("peft: prompt learning puts its virtual tokens before the sequence; inputs with a cache of earlier positions (Past) are not supported")
	}
	if in.Batch <= 0 || in.SeqLen <= 0 {
		return nil, fmt.Errorf("peft: inputs have batch %d and sequence length %d; both must be positive", in.Batch, in.SeqLen)
	}
	B, T, P := in.Batch, in.SeqLen, p.NumVirtualTokens
	x := *in
	if x.PositionIDs != nil {
		m.warn("position ids are not supported for parameter-efficient tuning; ignoring them")
		x.PositionIDs = nil
	}
	if in.AttentionMask != nil {
		if len(in.AttentionMask) != B*T {
			return nil, fmt.Errorf("peft: attention mask has %d values, want batch %d × seq %d", len(in.AttentionMask), B, T)
		}
		x.AttentionMask = make([]int, 0, B*(P+T))
		for b := 0; b < B; b++ {
			for i := 0; i < P; i++ {
				x.AttentionMask = append(x.AttentionMask, 1)
			}
			x.AttentionMask = append(x.AttentionMask, in.AttentionMask[b*T:(b+1)*T]...)
		}
	}
	if p.Prefix {
		keys, values := p.KeyValues() // [heads, P, head_dim] per layer
		x.Past = &gpt2.Cache{Layers: make([]*gpt2.LayerCache, len(keys))}
		for l := range keys {
			s := keys[l].Shape()
			x.Past.Layers[l] = &gpt2.LayerCache{
				Key:   keys[l].Unsqueeze(0).Expand(B, s[0], s[1], s[2]),
				Value: values[l].Unsqueeze(0).Expand(B, s[0], s[1], s[2]),
			}
		}
		return lm.Forward(&x, labels)
	}
	// Prompt tuning: [prompts; wte[input_ids]] as inputs_embeds.
	if in.InputsEmbeds != nil {
		x.InputsEmbeds = in.InputsEmbeds
	} else {
		if len(in.InputIDs) != B*T {
			return nil, fmt.Errorf("peft: input ids have %d values, want batch %d × seq %d", len(in.InputIDs), B, T)
		}
		for i, id := range in.InputIDs {
			if id < 0 || id >= lm.Transformer.Config.VocabSize {
				return nil, fmt.Errorf("peft: input_ids[%d][%d] = %d is outside the vocabulary [0, %d)", i/T, i%T, id, lm.Transformer.Config.VocabSize)
			}
		}
		x.InputsEmbeds = lm.Transformer.Wte.Forward(in.InputIDs, B, T)
	}
	prompts := p.Table().Unsqueeze(0).Expand(B, P, p.hidden)
	x.InputsEmbeds = autograd.Cat([]*autograd.Tensor{prompts, x.InputsEmbeds}, 1)
	x.InputIDs, x.SeqLen = nil, P+T
	var shifted []int
	if labels != nil {
		if len(labels) != B*T {
			return nil, fmt.Errorf("peft: %d labels for batch %d × seq %d", len(labels), B, T)
		}
		shifted = make([]int, 0, B*(P+T))
		for b := 0; b < B; b++ {
			for i := 0; i < P; i++ {
				shifted = append(shifted, gpt2.IgnoreLabel)
			}
			shifted = append(shifted, labels[b*T:(b+1)*T]...)
		}
	}
	return lm.Forward(&x, shifted)
}
