package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// GPT2Pattern is the regular expression GPT-2 pre-tokenizes with, in Python
// `regex` syntax. Go's regexp cannot run it (it has no lookahead, and its \s
// is ASCII only), so PreTokenizeGPT2 implements it as a scanner.
const GPT2Pattern = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`

// Span is a half-open range [Start, End) of a text, in bytes unless the field
// that holds it says otherwise (BertEncoding.Offsets counts runes).
type Span struct {
	Start, End int
}

// PreTokenizeGPT2 splits text into GPT-2's pre-tokens: the matches of
// GPT2Pattern, left to right, which together cover the whole text.
//
//	PreTokenizeGPT2("Hello, world!  It's") = ["Hello" "," " world" "!" " " " It" "'s"]
func PreTokenizeGPT2(text string) []string {
	spans := PreTokenizeGPT2Spans(text)
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = text[s.Start:s.End]
	}
	return out
}

// PreTokenizeGPT2Spans returns the byte spans of PreTokenizeGPT2's pieces.
func PreTokenizeGPT2Spans(text string) []Span {
	var spans []Span
	for i := 0; i < len(text); {
		n := gpt2MatchAt(text, i)
		spans = append(spans, Span{i, i + n})
		i += n
	}
	return spans
}

// charClass is how GPT2Pattern sees one character.
type charClass uint8

const (
	classOther  charClass = iota // [^\s\p{L}\p{N}]
	classLetter                  // \p{L}
	classNumber                  // \p{N}
	classSpace                   // \s
)

// classify returns the class of the character at text[i] and its length in
// bytes. The classes are those of Python's `regex` module: \p{L} is every
// letter category (unicode.IsLetter), \p{N} every number category
// (unicode.IsNumber: digits, but also ½, ², Ⅷ), and \s is Unicode
// White_Space (unicode.IsSpace: includes U+0085, U+00A0, U+2000–U+200A,
// U+3000; excludes U+200B, U+FEFF and U+001C–U+001F). A byte that is not
// valid UTF-8 counts as one "other" character.
func classify(text string, i int) (charClass, int) {
	r, size := utf8.DecodeRuneInString(text[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return classOther, 1
	case unicode.IsLetter(r):
		return classLetter, size
	case unicode.IsNumber(r):
		return classNumber, size
	case unicode.IsSpace(r):
		return classSpace, size
	}
	return classOther, size
}

// gpt2Contractions are the pattern's first seven alternatives, in order.
var gpt2Contractions = []string{"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"}

// gpt2MatchAt returns the length of the match of GPT2Pattern at text[i:]
// (i < len(text)), trying the alternatives in order as a backtracking regex
// engine does. Some alternative always matches at least one character.
func gpt2MatchAt(text string, i int) int {
	rest := text[i:]
	// 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
	if rest[0] == '\'' {
		for _, c := range gpt2Contractions {
			if len(rest) >= len(c) && rest[:len(c)] == c {
				return len(c)
			}
		}
	}
	// ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional U+0020, then
	// a run of one class. The optional space is taken only if the run can
	// follow it; otherwise the run must start at i.
	start := i
	if rest[0] == ' ' && i+1 < len(text) {
		if class, _ := classify(text, i+1); class != classSpace {
			start = i + 1
		}
	}
	if class, _ := classify(text, start); class != classSpace {
		end := start
		for end < len(text) {
			c, size := classify(text, end)
			if c != class {
				break
			}
			end += size
		}
		return end - i
	}
	// \s+(?!\S): the whole whitespace run if it ends the text; otherwise all
	// of it but its last character (which must then be whitespace, so the run
	// needs at least two characters). \s+: a single whitespace character
	// before a non-space.
	end, last := i, i
	for end < len(text) {
		c, size := classify(text, end)
		if c != classSpace {
			break
		}
		last = end
		end += size
	}
	if end == len(text) || last == i {
		return end - i
	}
	return last - i
}
