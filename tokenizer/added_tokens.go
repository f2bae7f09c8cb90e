package tokenizer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AddedToken is a token matched in the raw text before pre-tokenization,
// like GPT-2's `<|endoftext|>`: wherever its content occurs it becomes this
// one token, never split by BPE. The fields are those of HF's AddedToken
// (tokenizer_config.json's added_tokens_decoder).
type AddedToken struct {
	// Content is the token's text.
	Content string
	// ID is the token's id.
	ID int
	// Special marks special tokens (BOS, EOS, padding, ...): decoding can skip
	// them.
	Special bool
	// LStrip makes the token swallow the whitespace on its left.
	LStrip bool
	// RStrip makes the token swallow the whitespace on its right.
	RStrip bool
	// SingleWord makes the token match only as a whole word: GPT2Tokenizer
	// glues it back onto a neighbouring piece that does not end (begin) with
	// a space, which then goes through BPE as ordinary text.
	SingleWord bool
	// Normalized is kept for saving; byte-level BPE has no normalizer.
	Normalized bool
}

// textPiece is a piece of the text between (or one of) the added tokens.
type textPiece struct {
	text string
	// start is the byte offset of text in the original text; when pieces
	// were glued together (SingleWord) orig holds the original offset of
	// every byte of text plus the end offset instead.
	start int
	orig  []int
	added *AddedToken
}

// offset returns the original offset of byte k of the piece (k may be
// len(p.text), for the end).
func (p textPiece) offset(k int) int {
	if p.orig != nil {
		return p.orig[k]
	}
	return p.start + k
}

// origMap returns the piece's offsets as an explicit slice.
func (p textPiece) origMap() []int {
	if p.orig != nil {
		return p.orig
	}
	m := make([]int, len(p.text)+1)
	for k := range m {
		m[k] = p.start + k
	}
	return m
}

// trimLeft drops the piece's leading whitespace (Python's str.lstrip).
func (p textPiece) trimLeft() textPiece {
	t := strings.TrimLeftFunc(p.text, pyIsSpace)
	cut := len(p.text) - len(t)
	if p.orig != nil {
		p.orig = p.orig[cut:]
	} else {
		p.start += cut
	}
	p.text = t
	return p
}

// trimRight drops the piece's trailing whitespace (Python's str.rstrip).
func (p textPiece) trimRight() textPiece {
	t := strings.TrimRightFunc(p.text, pyIsSpace)
	if p.orig != nil {
		// Keep the end offset of the last kept byte.
		p.orig = p.orig[:len(t)+1]
	}
	p.text = t
	return p
}

// glue concatenates two pieces into one text piece.
func glue(a, b textPiece) textPiece {
	am, bm := a.origMap(), b.origMap()
	orig := append(append([]int(nil), am[:len(a.text)]...), bm...)
	return textPiece{text: a.text + b.text, orig: orig}
}

// pyIsSpace is Python's str.isspace for one character, which strip() uses:
// Unicode White_Space plus U+001C..U+001F (the information separators).
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1C && r <= 0x1F)
}

// addedTokenMatcher finds added tokens in text: at the leftmost position
// where some token occurs, the longest one (as both HF implementations do).
type addedTokenMatcher struct {
	// byFirstByte lists, for each first byte, the tokens starting with it,
	// longest first.
	byFirstByte map[byte][]*AddedToken
}

// newAddedTokenMatcher indexes tokens (empty contents are ignored).
func newAddedTokenMatcher(tokens []*AddedToken) *addedTokenMatcher {
	m := &addedTokenMatcher{byFirstByte: map[byte][]*AddedToken{}}
	for _, t := range tokens {
		if t.Content == "" {
			continue
		}
		m.byFirstByte[t.Content[0]] = append(m.byFirstByte[t.Content[0]], t)
	}
	for _, list := range m.byFirstByte {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].Content) > len(list[j].Content) })
	}
	return m
}

// split cuts text into text pieces and added-token pieces, then applies the
// tokens' LStrip, RStrip and SingleWord exactly as GPT2Tokenizer.tokenize
// does (pieces left empty are dropped).
func (m *addedTokenMatcher) split(text string, base int) []textPiece {
	var pieces []textPiece
	last := 0
	for i := 0; i < len(text); {
		var found *AddedToken
		for _, t := range m.byFirstByte[text[i]] {
			if strings.HasPrefix(text[i:], t.Content) {
				found = t
				break
			}
		}
		if found == nil {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		}
		if i > last {
			pieces = append(pieces, textPiece{text: text[last:i], start: base + last})
		}
		pieces = append(pieces, textPiece{text: found.Content, start: base + i, added: found})
		i += len(found.Content)
		last = i
	}
	if last < len(text) {
		pieces = append(pieces, textPiece{text: text[last:], start: base + last})
	}
	for i := range pieces {
		t := pieces[i].added
		if t == nil {
			continue
		}
		hasLeft, hasRight := i > 0, i < len(pieces)-1
		// Like GPT2Tokenizer, the SingleWord checks look at the neighbours
		// as they were before stripping.
		var left, right textPiece
		if hasLeft {
			left = pieces[i-1]
		}
		if hasRight {
			right = pieces[i+1]
		}
		if t.RStrip && hasRight && right.text != "" {
			pieces[i+1] = right.trimLeft()
		}
		if t.LStrip && hasLeft && left.text != "" {
			pieces[i-1] = left.trimRight()
		}
		switch {
		case t.SingleWord && hasLeft && left.text != "" && !strings.HasSuffix(left.text, " "):
			pieces[i-1] = glue(pieces[i-1], textPiece{text: t.Content, start: pieces[i].start})
			pieces[i] = textPiece{start: pieces[i].start + len(t.Content)}
		case t.SingleWord && hasRight && right.text != "" && !strings.HasPrefix(right.text, " "):
			pieces[i+1] = glue(textPiece{text: t.Content, start: pieces[i].start}, pieces[i+1])
			pieces[i] = textPiece{start: pieces[i].start + len(t.Content)}
		}
	}
	out := pieces[:0]
	for _, p := range pieces {
		if p.text != "" {
			out = append(out, p)
		}
	}
	return out
}
