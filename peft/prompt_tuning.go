package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// The prompt_tuning_init choices, PEFT's PromptTuningInit.
const (
	PromptInitRandom      = "RANDOM"       // N(0, 1), torch's nn.Embedding init
	PromptInitSampleVocab = "SAMPLE_VOCAB" // rows of the word embeddings of random vocabulary ids
	PromptInitText        = "TEXT"         // the word embeddings of a text's tokens, repeated to length
)

// PromptTuningConfig configures prompt tuning (Lester et al. 2021):
// num_virtual_tokens learned input embeddings are put before every sequence;
// the attention mask gets ones and the token types zeros in front, and the
// usable sequence length shrinks by num_virtual_tokens (positions are shared).
// The pooled output of a classifier is then the first virtual token's, as in
// HF. Field names are PEFT's PromptTuningConfig fields.
type PromptTuningConfig struct {
	PromptLearningConfig
	PromptTuningInit     string  `json:"prompt_tuning_init"`
	PromptTuningInitText *string `json:"prompt_tuning_init_text"`
	TokenizerNameOrPath  *string `json:"tokenizer_name_or_path"`
	TokenizerKwargs      any     `json:"tokenizer_kwargs"`

	// Tokenizer tokenizes prompt_tuning_init_text for TEXT init (PEFT loads it
	// from tokenizer_name_or_path; here the caller hands it over).
	Tokenizer *tokenizer.BertTokenizer `json:"-"`
	// InitTokenIDs, for TEXT init on a model without a BERT tokenizer
	// (GPT-2), are prompt_tuning_init_text's token ids as the model's own
	// tokenizer gives them; they are used instead of Tokenizer.
	InitTokenIDs []int `json:"-"`
}

// NewPromptTuningConfig makes a prompt-tuning config with n random virtual
// tokens for a sequence classifier.
func NewPromptTuningConfig(n int) *PromptTuningConfig {
	return &PromptTuningConfig{PromptLearningConfig: PromptLearningConfig{
		CommonConfig: CommonConfig{PeftType: TypePromptTuning, TaskType: TaskSeqCls}, NumVirtualTokens: n},
		PromptTuningInit: PromptInitRandom}
}

// injectPrompt builds the virtual-token table with the chosen init.
func (m *Model) injectPrompt(a *adapter, c *PromptTuningConfig) error {
	if err := c.fill(m); err != nil {
		return err
	}
	n, h := c.NumVirtualTokens, c.TokenDim
	words := m.wordEmbeddings()
	p := &PromptEncoder{NumVirtualTokens: n, layers: c.NumLayers, heads: c.NumAttentionHeads, hidden: h}
	switch c.PromptTuningInit {
	case "", PromptInitRandom:
		c.PromptTuningInit = PromptInitRandom
		p.Embedding = nn.NewEmbedding(n, h, -1, m.RNG)
	case PromptInitSampleVocab:
		ids := make([]int, n)
		r := autograd.Rand(m.RNG, n).Data()
		for i := range ids {
			ids[i] = int(r[i] * float32(words.Size(0)))
		}
		p.Embedding = &nn.Embedding{Weight: words.IndexSelect(0, ids).Detach().Clone(), NumEmbeddings: n, EmbeddingDim: h, PaddingIdx: -1}
	case PromptInitText:
		if c.PromptTuningInitText == nil || c.Tokenizer == nil && len(c.InitTokenIDs) == 0 {
			return fmt.Errorf("peft: prompt_tuning_init TEXT needs prompt_tuning_init_text and PromptTuningConfig.Tokenizer (or InitTokenIDs)")
		}
		textIDs := c.InitTokenIDs
		if len(textIDs) == 0 {
			enc, err := c.Tokenizer.Encode(*c.PromptTuningInitText, tokenizer.EncodeOptions{})
			if err != nil {
				return err
			}
			textIDs = enc.IDs
		}
		for _, id := range textIDs {
			if id < 0 || id >= words.Size(0) {
				return fmt.Errorf("peft: prompt_tuning_init_text token id %d is outside the vocabulary [0, %d)", id, words.Size(0))
			}
		}
		// As PEFT: the tokenizer's ids (special tokens included), repeated
		// until there are enough and cut to num_virtual_tokens.
		ids := make([]int, n)
		for i := range ids {
			ids[i] = textIDs[i%len(textIDs)]
		}
		p.Embedding = &nn.Embedding{Weight: words.IndexSelect(0, ids).Detach().Clone(), NumEmbeddings: n, EmbeddingDim: h, PaddingIdx: -1}
	default:
		return fmt.Errorf("peft: prompt_tuning_init %q, want RANDOM, SAMPLE_VOCAB or TEXT", c.PromptTuningInit)
	}
	p.Embedding.Weight.SetRequiresGrad(true)
	a.prompt = p
	return nil
}

// promptForward is BertForSequenceClassification with the virtual tokens in
// front: inputs_embeds = [prompts; word embeddings], then HF's BertEmbeddings
// on inputs_embeds (+ token types, zeros for the prompts, + positions
// 0..P+T-1, LayerNorm, dropout), the encoder with the mask extended by ones,
// the pooler on position 0, dropout and the classifier.
func (m *Model) promptForward(cls *bert.ForSequenceClassification, p *PromptEncoder, in *bert.Inputs, labels *bert.SequenceLabels) (*bert.ClassificationOutput, error) {
	bc := cls.Bert.Config
	if err := in.Validate(bc); err != nil {
		return nil, err
	}
	B, T, P := in.Batch, in.SeqLen, p.NumVirtualTokens
	if P+T > bc.MaxPositionEmbeddings {
		return nil, fmt.Errorf("peft: prompt tuning: %d virtual tokens + sequence length %d exceed max_position_embeddings %d (truncate inputs to %d)", P, T, bc.MaxPositionEmbeddings, bc.MaxPositionEmbeddings-P)
	}
	e := cls.Bert.Embeddings
	words := e.WordEmbeddings.Forward(in.InputIDs, B, T)
	prompts := p.Table().Unsqueeze(0).Expand(B, P, p.hidden)
	x := autograd.Cat([]*autograd.Tensor{prompts, words}, 1)
	types := make([]int, B*(P+T))
	mask := make([]int, B*(P+T))
	for b := 0; b < B; b++ {
		for t := 0; t < P+T; t++ {
			mask[b*(P+T)+t] = 1
			if t >= P {
				if in.TokenTypeIDs != nil {
					types[b*(P+T)+t] = in.TokenTypeIDs[b*T+t-P]
				}
				if in.AttentionMask != nil {
					mask[b*(P+T)+t] = in.AttentionMask[b*T+t-P]
				}
			}
		}
	}
	x = x.Add(e.TokenTypeEmbeddings.Forward(types, B, P+T))
	x = x.Add(e.PositionEmbeddings.Weight.Slice(0, 0, P+T))
	x = e.Dropout.Forward(e.LayerNorm.Forward(x))
	enc, err := cls.Bert.Encoder.Forward(x, mask, in.OutputHiddenStates, in.OutputAttentions)
	if err != nil {
		return nil, err
	}
	if cls.Bert.Pooler == nil {
		return nil, fmt.Errorf("peft: prompt tuning a classifier needs the pooler")
	}
	out := &bert.ClassificationOutput{HiddenStates: enc.HiddenStates, Attentions: enc.Attentions}
	out.Logits = cls.Classifier.Forward(cls.Dropout.Forward(cls.Bert.Pooler.Forward(enc.LastHiddenState)))
	if labels != nil {
		switch {
		case labels.Classes != nil && bc.NumLabels() > 1:
			out.Loss = autograd.CrossEntropy(out.Logits, labels.Classes, autograd.CrossEntropyOptions{})
		case labels.Values != nil && bc.NumLabels() == 1:
			out.Loss = autograd.MSE(out.Logits, autograd.New(labels.Values, B, 1), "mean")
		default:
			return nil, fmt.Errorf("peft: prompt tuning supports single-label classification (Classes) and regression (Values, one label)")
		}
	}
	return out, nil
}
