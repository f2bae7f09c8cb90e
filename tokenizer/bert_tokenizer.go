package tokenizer

import (
	"fmt"
	"strings"
	"sync"
)

// BertTokenizer is HF's BertTokenizer: a BasicTokenizer followed by WordPiece,
// with BERT's special tokens. Special tokens written literally in the text
// (exact case, e.g. "[MASK]") are kept as themselves, as HF does. When
// lowercasing, the text is first lowercased character by character, as HF's
// tokenize() does (so 'Σ' always becomes 'σ', never final 'ς'; HF's fast
// tokenizer agrees), then given to the basic tokenizer.
type BertTokenizer struct {
	// Vocab maps tokens to ids.
	Vocab *Vocab
	// Basic does cleaning, lowercasing, accent stripping and splitting into
	// words and punctuation.
	Basic *BasicTokenizer
	// DoBasicTokenize turns the basic step on (HF's do_basic_tokenize,
	// default true); when off, text is only split on whitespace.
	DoBasicTokenize bool
	// WordPiece splits words into vocabulary pieces.
	WordPiece *WordPiece

	// The special tokens (HF's unk_token, sep_token, pad_token, cls_token,
	// mask_token), all present in Vocab.
	UnkToken, SepToken, PadToken, ClsToken, MaskToken string
	// Their ids, looked up once.
	UnkID, SepID, PadID, ClsID, MaskID int

	// ModelMaxLength is the longest input the model takes (HF's
	// model_max_length), used by truncation and padding when no MaxLength is
	// given; 0 means unknown.
	ModelMaxLength int
	// CleanUpTokenizationSpaces makes Decode remove the spaces a
	// tokenizer puts before punctuation and contractions ("hello , world" ->
	// "hello, world"), HF's clean_up_tokenization_spaces (default true).
	CleanUpTokenizationSpaces bool
}

// NewBertTokenizer builds a BertTokenizer over vocab with HF's defaults and the
// standard special tokens [UNK] [SEP] [PAD] [CLS] [MASK], which must all be in
// the vocabulary. doLowerCase selects an uncased (true) or cased model.
func NewBertTokenizer(vocab *Vocab, doLowerCase bool) (*BertTokenizer, error) {
	t := &BertTokenizer{
		Vocab:                     vocab,
		Basic:                     NewBasicTokenizer(doLowerCase),
		DoBasicTokenize:           true,
		WordPiece:                 NewWordPiece(vocab),
		UnkToken:                  "[UNK]",
		SepToken:                  "[SEP]",
		PadToken:                  "[PAD]",
		ClsToken:                  "[CLS]",
		MaskToken:                 "[MASK]",
		CleanUpTokenizationSpaces: true,
	}
	if err := t.lookUpSpecialTokens(); err != nil {
		return nil, err
	}
	return t, nil
}

// lookUpSpecialTokens fills the special token ids from the vocabulary and
// points WordPiece at the unknown token; a missing token is an error.
func (t *BertTokenizer) lookUpSpecialTokens() error {
	for _, s := range []struct {
		name, token string
		id          *int
	}{
		{"unk_token", t.UnkToken, &t.UnkID},
		{"sep_token", t.SepToken, &t.SepID},
		{"pad_token", t.PadToken, &t.PadID},
		{"cls_token", t.ClsToken, &t.ClsID},
		{"mask_token", t.MaskToken, &t.MaskID},
	} {
		id, ok := t.Vocab.ID(s.token)
		if !ok {
			return fmt.Errorf("bert: tokenizer: %s %q is not in the vocabulary (%d tokens)", s.name, s.token, t.Vocab.Size())
		}
		*s.id = id
	}
	t.WordPiece.Unknown = t.UnkToken
	return nil
}

// SpecialTokens lists the special tokens: unk, sep, pad, cls, mask.
func (t *BertTokenizer) SpecialTokens() []string {
	return []string{t.UnkToken, t.SepToken, t.PadToken, t.ClsToken, t.MaskToken}
}

// IsSpecialID reports whether id is one of the special tokens' ids.
func (t *BertTokenizer) IsSpecialID(id int) bool {
	return id == t.UnkID || id == t.SepID || id == t.PadID || id == t.ClsID || id == t.MaskID
}

// Tokenize splits text into WordPiece tokens, without [CLS]/[SEP]:
// "Hello, world!" -> [hello , world !].
func (t *BertTokenizer) Tokenize(text string) []string {
	buf := tokenPieceBufferPool.Get().(*tokenPieceBuffers)
	defer tokenPieceBufferPool.Put(buf)
	buf.first = t.tokenizeAligned(buf.first[:0], text)
	out := make([]string, len(buf.first))
	for i, p := range buf.first {
		out[i] = p.token
	}
	return out
}

// tokenPiece is one token of a text with its place in it: the span of
// characters (runes) in the original text and the index of the word it
// belongs to (words are what the basic tokenizer produced, punctuation marks
// included, so the pieces of "playing" share a word index).
type tokenPiece struct {
	wordPiece
	word int
}

// tokenizeAligned tokenizes text, appending to out, and keeps each token's
// span and word.
// Special tokens found in the text are split out first (as HF's slow
// tokenizer does with its trie of added tokens); the rest goes through the
// basic tokenizer and WordPiece.
func (t *BertTokenizer) tokenizeAligned(out []tokenPiece, text string) []tokenPiece {
	sc := tokenizeScratchPool.Get().(*tokenizeScratch)
	defer tokenizeScratchPool.Put(sc)
	specials := [...]string{t.UnkToken, t.SepToken, t.PadToken, t.ClsToken, t.MaskToken}
	wordIndex := 0
	runeOffset := 0
	for len(text) > 0 {
		at, special := findSpecialToken(text, specials[:])
		plain := text[:at]
		sc.text = appendAligned(sc.text[:0], plain, runeOffset)
		if t.DoBasicTokenize && t.Basic.DoLowerCase {
			sc.text = lowerEachChar(sc.text)
		}
		if t.DoBasicTokenize {
			sc.words = t.Basic.tokenizeAligned(sc.text, sc.words[:0], specials[:])
		} else {
			sc.words = splitOnWhitespace(sc.text, sc.words[:0])
		}
		for _, w := range sc.words {
			if special := whichOf(w, specials[:]); special != "" {
				start, end := w.span()
				out = append(out, tokenPiece{wordPiece{special, t.specialID(special), start, end}, wordIndex})
			} else {
				sc.pieces = t.WordPiece.split(w, sc.pieces[:0], &sc.wordPiece)
				for _, p := range sc.pieces {
					out = append(out, tokenPiece{p, wordIndex})
				}
			}
			wordIndex++
		}
		runeOffset += countRunes(plain)
		if special == "" {
			break
		}
		n := countRunes(special)
		out = append(out, tokenPiece{wordPiece{special, t.specialID(special), runeOffset, runeOffset + n}, wordIndex})
		wordIndex++
		runeOffset += n
		text = text[at+len(special):]
	}
	return out
}

// tokenizeScratch holds the buffers one tokenizeAligned call works in; they
// are pooled so that tokenizing many short texts does not allocate them
// again and again.
type tokenizeScratch struct {
	text      alignedText
	words     []alignedText
	pieces    []wordPiece
	wordPiece wordPieceScratch
}

var tokenizeScratchPool = sync.Pool{New: func() any { return new(tokenizeScratch) }}

// tokenPieceBuffers are the token lists of the two texts of an input while
// it is being encoded, pooled like tokenizeScratch.
type tokenPieceBuffers struct {
	first, second []tokenPiece
}

var tokenPieceBufferPool = sync.Pool{New: func() any { return new(tokenPieceBuffers) }}

// specialID is the id of one of the special tokens.
func (t *BertTokenizer) specialID(special string) int {
	switch special {
	case t.UnkToken:
		return t.UnkID
	case t.SepToken:
		return t.SepID
	case t.PadToken:
		return t.PadID
	case t.ClsToken:
		return t.ClsID
	}
	return t.MaskID
}

// whichOf returns the string of list the word spells, or "".
func whichOf(word alignedText, list []string) string {
	for _, s := range list {
		if word.equals(s) {
			return s
		}
	}
	return ""
}

// findSpecialToken returns the byte index of the first special token in text
// and which one it is (the longest, if several start there), or len(text)
// and "" if there is none.
func findSpecialToken(text string, specials []string) (int, string) {
	best, which := len(text), ""
	for _, s := range specials {
		if s == "" {
			continue
		}
		i := strings.Index(text[:min(len(text), best+len(s))], s)
		if i < 0 {
			continue
		}
		if i < best || (i == best && len(s) > len(which)) {
			best, which = i, s
		}
	}
	return best, which
}

// countRunes counts the characters of s as Go's range loop does (one per
// invalid byte), matching appendAligned.
func countRunes(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// ConvertTokensToIDs maps tokens to ids; tokens not in the vocabulary map to
// the unknown token's id, as in HF.
func (t *BertTokenizer) ConvertTokensToIDs(tokens []string) []int {
	ids := make([]int, len(tokens))
	for i, tok := range tokens {
		id, ok := t.Vocab.ID(tok)
		if !ok {
			id = t.UnkID
		}
		ids[i] = id
	}
	return ids
}

// ConvertIDsToTokens maps ids to tokens; an id outside the vocabulary maps to
// the unknown token, as in HF.
func (t *BertTokenizer) ConvertIDsToTokens(ids []int) []string {
	toks := make([]string, len(ids))
	for i, id := range ids {
		if id < 0 || id >= t.Vocab.Size() {
			toks[i] = t.UnkToken
			continue
		}
		toks[i] = t.Vocab.tokens[id]
	}
	return toks
}

// String summarizes the tokenizer's settings (printing the struct would dump
// the whole vocabulary).
func (t *BertTokenizer) String() string {
	casing := "cased"
	if t.Basic.DoLowerCase {
		casing = "uncased"
	}
	maxLen := "no model_max_length"
	if t.ModelMaxLength > 0 {
		maxLen = fmt.Sprintf("model_max_length %d", t.ModelMaxLength)
	}
	return fmt.Sprintf("tokenizer.BertTokenizer(%s, %d tokens, %s)", casing, t.Vocab.Size(), maxLen)
}
