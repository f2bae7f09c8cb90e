package tokenizer

import (
	"fmt"
	"sort"
)

// EndOfText is GPT-2's one special token, used as BOS, EOS and unknown token.
const EndOfText = "<|endoftext|>"

// GPT2 is GPT-2's tokenizer (HF GPT2Tokenizer): added tokens split out
// first, then GPT-2's pre-tokenizer, byte-level mapping and BPE.
//
// Build one with LoadGPT2, NewGPT2 or TrainBPE; a GPT2 literal needs at
// least Model.
type GPT2 struct {
	// Model is the vocabulary and merges.
	Model *BPE
	// AddPrefixSpace puts a space in front of the text before tokenizing, so
	// that its first word is tokenized like a word inside a sentence ("Hello"
	// -> "ĠHello"). As GPT2Tokenizer (and unlike the fast tokenizer), the
	// space is added once, before the whole text, even if it already starts
	// with one.
	AddPrefixSpace bool
	// BOS, EOS, UNK and PAD are the contents of the special tokens of those
	// roles ("" for none). GPT-2 has no padding token: set PAD = EOS before
	// padding a batch, as HF users do.
	BOS, EOS, UNK, PAD string
	// ModelMaxLength is the longest sequence the model takes (HF
	// model_max_length); batches truncated or padded to "max length" without
	// an explicit length use it.
	ModelMaxLength int
	// PaddingSide and TruncationSide are the default sides of EncodeBatch.
	PaddingSide, TruncationSide Side

	added   map[int]*AddedToken
	matcher *addedTokenMatcher

	// config and specialMap hold tokenizer_config.json and
	// special_tokens_map.json as loaded, so that Save writes back what it
	// does not manage itself.
	config     map[string]any
	specialMap map[string]any
}

// NewGPT2 returns a tokenizer for model with GPT-2's conventions:
// `<|endoftext|>` as BOS, EOS and UNK (added as a special token if the
// vocabulary has it, or with the next free id otherwise), no padding token,
// ModelMaxLength 1024, right padding and truncation.
func NewGPT2(model *BPE) *GPT2 {
	t := &GPT2{Model: model, ModelMaxLength: 1024, PaddingSide: Right, TruncationSide: Right, added: map[int]*AddedToken{}}
	t.AddToken(AddedToken{Content: EndOfText, Special: true, Normalized: true})
	t.BOS, t.EOS, t.UNK = EndOfText, EndOfText, EndOfText
	return t
}

// AddToken adds an added token (HF add_tokens / add_special_tokens) and
// returns its id: tok.ID is ignored; the token keeps its id if it is already
// an added token or in the vocabulary, and gets the next free id otherwise.
func (t *GPT2) AddToken(tok AddedToken) int {
	if old := t.addedByContent(tok.Content); old != nil {
		tok.ID = old.ID
	} else if id, ok := t.Model.ID(tok.Content); ok {
		tok.ID = id
	} else {
		tok.ID = t.Len()
	}
	if t.added == nil {
		t.added = map[int]*AddedToken{}
	}
	t.added[tok.ID] = &tok
	t.rebuildMatcher()
	return tok.ID
}

// addedByContent returns the added token with content, or nil.
func (t *GPT2) addedByContent(content string) *AddedToken {
	for _, a := range t.added {
		if a.Content == content {
			return a
		}
	}
	return nil
}

// rebuildMatcher re-indexes the added tokens after a change.
func (t *GPT2) rebuildMatcher() {
	t.matcher = newAddedTokenMatcher(t.AddedTokens())
}

// AddedTokens returns copies of the added tokens, by id.
func (t *GPT2) AddedTokens() []*AddedToken {
	out := make([]*AddedToken, 0, len(t.added))
	for _, a := range t.added {
		c := *a
		out = append(out, &c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len returns the number of ids the tokenizer can produce: one past the
// largest id of the vocabulary and the added tokens (HF len(tokenizer) when
// ids have no gaps).
func (t *GPT2) Len() int {
	n := len(t.Model.idToToken)
	for id := range t.added {
		if id+1 > n {
			n = id + 1
		}
	}
	return n
}

// TokenToID returns the id of a token (added or in the vocabulary), and
// false if there is none.
func (t *GPT2) TokenToID(token string) (int, bool) {
	if a := t.addedByContent(token); a != nil {
		return a.ID, true
	}
	return t.Model.ID(token)
}

// IDToToken returns the token string of id (as in vocab.json, byte
// characters and all), and false if no token has it.
func (t *GPT2) IDToToken(id int) (string, bool) {
	if a, ok := t.added[id]; ok {
		return a.Content, true
	}
	return t.Model.Token(id)
}

// IsSpecial reports whether id is a special added token.
func (t *GPT2) IsSpecial(id int) bool {
	a, ok := t.added[id]
	return ok && a.Special
}

// Encoding is one tokenized text.
type Encoding struct {
	// IDs are the token ids.
	IDs []int
	// Tokens are the token strings, as in vocab.json (byte characters: "Ġworld").
	Tokens []string
	// Offsets are the byte spans of the text each token comes from. A token
	// made of part of a multi-byte character gets the bytes it holds; the
	// space AddPrefixSpace adds is not in the text, so a first token that
	// begins with it starts at 0; padding gets {0, 0}.
	Offsets []Span
	// AttentionMask is 1 for every token (0 for padding in a batch).
	AttentionMask []int
}

// Len returns the number of tokens.
func (e *Encoding) Len() int { return len(e.IDs) }

// Encode tokenizes text. No BOS or EOS is added (GPT-2's add_bos_token is
// false).
func (t *GPT2) Encode(text string) *Encoding {
	// Byte-level BPE gives roughly one token per 3 to 4 bytes of English.
	n := len(text)/3 + 1
	enc := &Encoding{IDs: make([]int, 0, n), Tokens: make([]string, 0, n), Offsets: make([]Span, 0, n), AttentionMask: make([]int, 0, n)}
	base := 0
	if t.AddPrefixSpace {
		text = " " + text
		base = -1
	}
	matcher := t.matcher
	if matcher == nil { // a GPT2 literal: no added tokens indexed yet
		matcher = newAddedTokenMatcher(t.AddedTokens())
	}
	for _, p := range matcher.split(text, base) {
		if p.added != nil {
			enc.add(p.added.ID, p.added.Content, Span{p.offset(0), p.offset(len(p.text))})
			continue
		}
		for _, s := range PreTokenizeGPT2Spans(p.text) {
			pos := s.Start
			for _, id := range t.Model.encodeShared(p.text[s.Start:s.End]) {
				tok := t.Model.idToToken[id]
				n := byteLen(tok)
				enc.add(id, tok, Span{p.offset(pos), p.offset(pos + n)})
				pos += n
			}
		}
	}
	for i := range enc.Offsets {
		if enc.Offsets[i].Start < 0 {
			enc.Offsets[i].Start = 0
		}
		if enc.Offsets[i].End < 0 {
			enc.Offsets[i].End = 0
		}
	}
	return enc
}

// add appends one token.
func (e *Encoding) add(id int, tok string, span Span) {
	e.IDs = append(e.IDs, id)
	e.Tokens = append(e.Tokens, tok)
	e.Offsets = append(e.Offsets, span)
	e.AttentionMask = append(e.AttentionMask, 1)
}

// byteLen returns how many bytes a byte-level token stands for (its number
// of characters).
func byteLen(tok string) int {
	n := 0
	for range tok {
		n++
	}
	return n
}

// EncodeIDs returns only the ids of Encode(text).
func (t *GPT2) EncodeIDs(text string) []int { return t.Encode(text).IDs }

// Tokenize returns only the token strings of Encode(text).
func (t *GPT2) Tokenize(text string) []string { return t.Encode(text).Tokens }

// Decode turns ids back into text: the bytes of consecutive vocabulary
// tokens are joined and decoded as UTF-8, each maximal invalid byte sequence
// becoming one U+FFFD (Python's errors="replace"); an added token stands for
// its content. Special tokens are kept (HF skip_special_tokens=False); an id
// that no token has is an error.
func (t *GPT2) Decode(ids []int) (string, error) { return t.decode(ids, false) }

// DecodeSkippingSpecial is Decode without the special tokens (HF
// skip_special_tokens=True).
func (t *GPT2) DecodeSkippingSpecial(ids []int) (string, error) { return t.decode(ids, true) }

// decode implements Decode and DecodeSkippingSpecial.
func (t *GPT2) decode(ids []int, skipSpecial bool) (string, error) {
	var out, run []byte
	flush := func() {
		out = append(out, decodeUTF8Replace(run)...)
		run = run[:0]
	}
	for i, id := range ids {
		if a, ok := t.added[id]; ok {
			if skipSpecial && a.Special {
				continue
			}
			flush()
			out = append(out, a.Content...)
			continue
		}
		tok, ok := t.Model.Token(id)
		if !ok {
			return "", fmt.Errorf("decode: ids[%d] = %d is not a token id (the tokenizer has ids 0..%d)", i, id, t.Len()-1)
		}
		var complete bool
		if run, complete = appendByteLevelBytes(run, tok); !complete {
			return "", fmt.Errorf("decode: ids[%d] = %d is the token %q, which is not made of byte-level characters", i, id, tok)
		}
	}
	flush()
	return string(out), nil
}
