package gpt2

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// IgnoreLabel is the label of positions that contribute no loss (HF's −100).
const IgnoreLabel = autograd.DefaultIgnoreIndex

// LMHeadModel is GPT-2 with its language-modelling head, HF's
// GPT2LMHeadModel: logits = ln_f(h)·Wᵀ with W [vocab_size, n_embd] and no
// bias. With tie_word_embeddings (the default) W is the token-embedding
// matrix wte itself, one tensor under two names ("transformer.wte.weight",
// "lm_head.weight"), which receives both gradients; otherwise lm_head has its
// own weight.
type LMHeadModel struct {
	Transformer *Model     // transformer
	LMHead      *nn.Linear // lm_head: weight [vocab_size, n_embd], no bias
}

// NewLMHeadModel builds a GPT-2 language model from c with HF's
// initialisation (see NewModel); it starts in training mode.
func NewLMHeadModel(c *Config, rng *autograd.RNG) (*LMHeadModel, error) {
	t, err := NewModel(c, rng)
	if err != nil {
		return nil, err
	}
	m := &LMHeadModel{Transformer: t}
	if c.TieEmbeddings {
		m.LMHead = nn.LinearFrom(t.Wte.Weight, nil)
	} else {
		w := autograd.Normal(rng, 0, float32(c.InitRange), c.VocabSize, c.NEmbd).SetRequiresGrad(true)
		m.LMHead = nn.LinearFrom(w, nil)
	}
	return m, nil
}

// Tied reports whether the LM head is the token-embedding matrix.
func (m *LMHeadModel) Tied() bool { return m.LMHead.Weight == m.Transformer.Wte.Weight }

// LMOutput is what LMHeadModel.Forward computes (HF's
// CausalLMOutputWithCrossAttentions).
type LMOutput struct {
	// Loss is the mean cross-entropy of logits[:, t] against labels[:, t+1]
	// over every position whose shifted label is not IgnoreLabel (one mean
	// over the batch); nil without labels.
	Loss   *autograd.Tensor
	Logits *autograd.Tensor // [batch, T, vocab_size]
	// Cache, HiddenStates and Attentions are the transformer's (see Output).
	Cache        *Cache
	HiddenStates []*autograd.Tensor
	Attentions   []*autograd.Tensor
}

// Forward runs the model on in and, when labels ([Batch*SeqLen], IgnoreLabel
// where nothing is to be predicted; usually the input ids with IgnoreLabel on
// padding) is not nil, the loss. The labels are shifted inside, as HF does:
// position t predicts label t+1.
func (m *LMHeadModel) Forward(in *Inputs, labels []int) (*LMOutput, error) {
	if labels != nil {
		if len(labels) != in.Batch*in.SeqLen {
			return nil, fmt.Errorf("gpt2: %d labels for batch %d × seq %d", len(labels), in.Batch, in.SeqLen)
		}
		for i, l := range labels {
			if l != IgnoreLabel && (l < 0 || l >= m.Transformer.Config.VocabSize) {
				return nil, fmt.Errorf("gpt2: labels[%d][%d] = %d is neither a token id below %d nor %d (ignored)", i/in.SeqLen, i%in.SeqLen, l, m.Transformer.Config.VocabSize, IgnoreLabel)
			}
		}
	}
	t, err := m.Transformer.Forward(in)
	if err != nil {
		return nil, err
	}
	out := &LMOutput{Logits: m.LMHead.Forward(t.LastHiddenState), Cache: t.Cache, HiddenStates: t.HiddenStates, Attentions: t.Attentions}
	if labels != nil {
		out.Loss = CausalLMLoss(out.Logits, labels)
	}
	return out, nil
}

// CausalLMLoss is HF's shifted language-modelling loss: logits [batch, T, V]
// at position t against labels [batch·T] at t+1, cross-entropy averaged over
// the positions whose shifted label is not IgnoreLabel. With reduction
// "none" semantics per position use CausalLMTokenLoss.
//
// The logits are not sliced to [:, :-1] and copied: every position keeps
// its row, the last one of each sequence with the target IgnoreLabel, which
// gives the same mean (ignored rows add nothing, in the same order) and the
// same gradient (zero on the last rows) without a copy of the [batch, T, V]
// logits and its gradient.
func CausalLMLoss(logits *autograd.Tensor, labels []int) *autograd.Tensor {
	b, t, v := lmShape(logits, labels)
	targets := make([]int, b*t)
	for r := 0; r < b; r++ {
		copy(targets[r*t:], labels[r*t+1:(r+1)*t])
		targets[(r+1)*t-1] = IgnoreLabel
	}
	return autograd.CrossEntropy(logits.Reshape(b*t, v), targets, autograd.CrossEntropyOptions{})
}

// CausalLMTokenLoss is the per-position loss [batch, T−1]: entry [b, t] is
// the cross-entropy of logits[b, t] against labels[b, t+1] (0 where that
// label is IgnoreLabel).
func CausalLMTokenLoss(logits *autograd.Tensor, labels []int) *autograd.Tensor {
	shifted, targets := shiftForLM(logits, labels)
	b, t := logits.Size(0), logits.Size(1)
	return autograd.CrossEntropy(shifted, targets, autograd.CrossEntropyOptions{Reduction: "none"}).Reshape(b, t-1)
}

// shiftForLM returns logits[:, :-1] as [batch·(T−1), V] and labels[:, 1:].
func shiftForLM(logits *autograd.Tensor, labels []int) (*autograd.Tensor, []int) {
	b, t, v := lmShape(logits, labels)
	targets := make([]int, 0, b*(t-1))
	for r := 0; r < b; r++ {
		targets = append(targets, labels[r*t+1:(r+1)*t]...)
	}
	return logits.Slice(1, 0, t-1).Contiguous().Reshape(b*(t-1), v), targets
}

// lmShape checks that logits are [batch, T ≥ 2, vocab] with batch·T labels
// and returns the three sizes.
func lmShape(logits *autograd.Tensor, labels []int) (b, t, v int) {
	s := logits.Shape()
	if len(s) != 3 || s[1] < 2 || len(labels) != s[0]*s[1] {
		panic(fmt.Sprintf("gpt2: causal LM loss needs logits [batch, T ≥ 2, vocab] and batch·T labels, got logits %v and %d labels", s, len(labels)))
	}
	return s[0], s[1], s[2]
}

// Children names the sub-modules as HF does.
func (m *LMHeadModel) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: BaseModelPrefix, Module: m.Transformer}, {Name: "lm_head", Module: m.LMHead}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (m *LMHeadModel) SetChild(name string, c nn.Module) error {
	switch name {
	case BaseModelPrefix:
		if t, ok := c.(*Model); ok {
			m.Transformer = t
			return nil
		}
	case "lm_head":
		if l, ok := c.(*nn.Linear); ok {
			m.LMHead = l
			return nil
		}
	}
	return noChild("LMHeadModel", name+" of that type", m.Children())
}

// NamedParameters lists every parameter with its HF GPT2LMHeadModel name
// under prefix. A tied lm_head.weight is not listed again: it is
// transformer.wte.weight (torch's named_parameters and HF's save_pretrained
// list it once too), so optimizers and checkpoints see one tensor.
func (m *LMHeadModel) NamedParameters(prefix string) []nn.NamedParameter {
	ps := m.Transformer.NamedParameters(nn.Join(prefix, BaseModelPrefix))
	if !m.Tied() {
		ps = append(ps, m.LMHead.NamedParameters(nn.Join(prefix, "lm_head"))...)
	}
	return ps
}

// SetTraining switches every dropout on (training) or off (evaluation).
func (m *LMHeadModel) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *LMHeadModel) String() string { return nn.Repr(m) }
