package multimodal

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// TextEncoder is the text tower: a BERT (the course's pretrained small BERT,
// e.g. recipes.LoadOrPretrain's model.Bert, or a fresh tiny one) and its
// tokenizer. A caption's embedding is the mean of its tokens' last hidden
// states (padding excluded), which works from the first step even when the
// model was never trained to summarise into [CLS]. Names: those of
// bert.Model ("embeddings.*", "encoder.*").
type TextEncoder struct {
	Bert      *bert.Model
	Tok       *tokenizer.BertTokenizer
	MaxLength int // captions are truncated to this many tokens (default 32)
}

// NewTextEncoder pairs a BERT with its tokenizer.
func NewTextEncoder(m *bert.Model, tok *tokenizer.BertTokenizer) (*TextEncoder, error) {
	if m == nil || tok == nil {
		return nil, fmt.Errorf("multimodal.NewTextEncoder: model and tokenizer are required")
	}
	if tok.Vocab.Size() > m.Config.VocabSize {
		return nil, fmt.Errorf("multimodal.NewTextEncoder: tokenizer has %d tokens, model vocab_size is %d", tok.Vocab.Size(), m.Config.VocabSize)
	}
	return &TextEncoder{Bert: m, Tok: tok, MaxLength: 32}, nil
}

// CaptionTokenizer builds a word-level BERT tokenizer whose vocabulary is
// BERT's special tokens plus every lowercased word of the texts (sorted):
// the tokenizer of a text tower trained from scratch on generated captions.
func CaptionTokenizer(texts []string) (*tokenizer.BertTokenizer, error) {
	seen := map[string]bool{}
	var words []string
	basic := tokenizer.NewBasicTokenizer(true)
	for _, t := range texts {
		for _, w := range basic.Tokenize(strings.ToLower(t)) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	sort.Strings(words)
	v, err := tokenizer.NewVocab(append(append([]string{}, tokenizer.BertSpecialTokens...), words...))
	if err != nil {
		return nil, err
	}
	return tokenizer.NewBertTokenizer(v, true)
}

// Inputs tokenizes texts into one padded batch.
func (t *TextEncoder) Inputs(texts []string) (*bert.Inputs, error) {
	if len(texts) == 0 {
		return nil, fmt.Errorf("multimodal.TextEncoder: no texts")
	}
	encs, err := t.Tok.EncodeBatch(texts, tokenizer.EncodeOptions{MaxLength: t.maxLength(), Truncation: tokenizer.TruncateLongestFirst, Padding: tokenizer.PadLongest})
	if err != nil {
		return nil, err
	}
	return bert.InputsFromEncodings(encs)
}

func (t *TextEncoder) maxLength() int {
	if t.MaxLength == 0 {
		return 32
	}
	return t.MaxLength
}

// Forward encodes texts into [len(texts), hidden] mean-pooled embeddings.
func (t *TextEncoder) Forward(texts []string) (*autograd.Tensor, error) {
	in, err := t.Inputs(texts)
	if err != nil {
		return nil, err
	}
	out, err := t.Bert.Forward(in)
	if err != nil {
		return nil, err
	}
	return MeanPool(out.LastHiddenState, in.AttentionMask), nil
}

// MeanPool averages hidden [batch, T, hidden] over the positions whose mask
// [batch*T] is 1.
func MeanPool(hidden *autograd.Tensor, mask []int) *autograd.Tensor {
	s := hidden.Shape()
	if len(mask) != s[0]*s[1] {
		panic(fmt.Sprintf("multimodal.MeanPool: mask has %d entries, hidden %v needs %d", len(mask), s, s[0]*s[1]))
	}
	m := make([]float32, len(mask))
	counts := make([]float32, s[0])
	for i, v := range mask {
		m[i] = float32(v)
		counts[i/s[1]] += float32(v)
	}
	for i, c := range counts {
		if c == 0 {
			panic(fmt.Sprintf("multimodal.MeanPool: row %d has no unmasked token", i))
		}
	}
	w := autograd.New(m, s[0], s[1], 1)
	return hidden.Mul(w).Sum(1).Div(autograd.New(counts, s[0], 1))
}

// Children lists the BERT model.
func (t *TextEncoder) Children() []nn.NamedModule {
	return t.Bert.Children()
}

// SetChild replaces a child of the BERT model.
func (t *TextEncoder) SetChild(name string, m nn.Module) error { return t.Bert.SetChild(name, m) }

// NamedParameters are the BERT model's.
func (t *TextEncoder) NamedParameters(prefix string) []nn.NamedParameter {
	return t.Bert.NamedParameters(prefix)
}

// SetTraining switches the BERT model's dropout.
func (t *TextEncoder) SetTraining(train bool) { t.Bert.SetTraining(train) }
