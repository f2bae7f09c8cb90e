package tokenizer

import (
	"fmt"
	"math"
	"slices"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// AccentStripping says whether the basic tokenizer removes accents. It mirrors
// HF's strip_accents argument, which is None, True or False.
type AccentStripping int

const (
	// AccentsFollowLowerCase (HF strip_accents=None, the default) strips
	// accents exactly when lowercasing is on.
	AccentsFollowLowerCase AccentStripping = iota
	// AccentsStrip (HF strip_accents=True) always strips accents.
	AccentsStrip
	// AccentsKeep (HF strip_accents=False) never strips accents, even when
	// lowercasing.
	AccentsKeep
)

// BasicTokenizer is the first half of BERT tokenization (HF's
// BasicTokenizer): it turns raw text into words and punctuation, before
// WordPiece splits the words into vocabulary pieces. In order:
//
//  1. clean: drop NUL, U+FFFD and control/format/unassigned characters
//     (Unicode category C*, except tab, newline and carriage return), turn
//     every whitespace character (space, \t, \n, \r, Unicode Zs) into a space;
//  2. put spaces around CJK ideographs, so each becomes its own word;
//  3. normalize to NFC;
//  4. split on whitespace;
//  5. for each word not in NeverSplit: lowercase (Python str.lower) and strip
//     accents (NFD, then drop nonspacing marks, category Mn) as configured,
//     then split off every punctuation character as its own token.
type BasicTokenizer struct {
	// DoLowerCase lowercases words (the "uncased" BERT models).
	DoLowerCase bool
	// StripAccents removes accents; see AccentStripping.
	StripAccents AccentStripping
	// TokenizeChineseChars splits CJK ideographs into single characters.
	TokenizeChineseChars bool
	// NeverSplit lists words (special tokens such as "[MASK]") that are kept
	// exactly as written: not lowercased, not split on punctuation.
	NeverSplit []string
}

// NewBasicTokenizer returns a basic tokenizer with HF's defaults: CJK
// splitting on, accents stripped when lowercasing.
func NewBasicTokenizer(doLowerCase bool) *BasicTokenizer {
	return &BasicTokenizer{DoLowerCase: doLowerCase, TokenizeChineseChars: true}
}

// Tokenize splits text into words and punctuation marks, normalized as
// configured (step 1-5 in the type's comment).
func (b *BasicTokenizer) Tokenize(text string) []string {
	words := b.tokenizeAligned(appendAligned(nil, text, 0), nil, nil)
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.String()
	}
	return out
}

// appendAligned appends the characters of text to dst as aligned
// characters whose spans count runes from first (so a piece of a larger text
// keeps offsets into the whole).
func appendAligned(dst alignedText, text string, first int) alignedText {
	if len(text) >= math.MaxInt32 {
		panic(fmt.Sprintf("bert: text of %d bytes is too long to tokenize (limit 2 GiB)", len(text)))
	}
	t := slices.Grow(dst, len(text))
	i := int32(first)
	for _, r := range text {
		t = append(t, alignedRune{r: r, start: i, end: i + 1})
		i++
	}
	return t
}

// tokenizeAligned is Tokenize on aligned characters; it appends the words to
// out, each carrying the original spans of its characters. Words listed in
// neverSplit are kept whole, like those in b.NeverSplit (the full tokenizer
// passes its special tokens here, as HF's BertTokenizer does).
func (b *BasicTokenizer) tokenizeAligned(t alignedText, out []alignedText, neverSplit []string) []alignedText {
	t = b.cleanText(t)
	if b.TokenizeChineseChars {
		t = spaceOutChineseChars(t)
	}
	if !allBelow(t, firstNonNFCStable) {
		t = normalizeAligned(t, norm.NFC)
	}
	for i := 0; ; {
		var word alignedText
		if word, i = nextWord(t, i); word == nil {
			break
		}
		if isOneOf(word, b.NeverSplit) || isOneOf(word, neverSplit) {
			out = append(out, word)
			continue
		}
		if b.DoLowerCase {
			word = pythonLower(word)
		}
		if b.StripAccents == AccentsStrip || (b.DoLowerCase && b.StripAccents == AccentsFollowLowerCase) {
			word = stripAccents(word)
		}
		out = splitOnPunctuation(word, out)
	}
	return out
}

// isOneOf reports whether the word is one of the strings in list.
func isOneOf(word alignedText, list []string) bool {
	for _, s := range list {
		if word.equals(s) {
			return true
		}
	}
	return false
}

// Characters below these code points are left unchanged by NFC (and NFD):
// the first ones that are not are the combining marks at U+0300 (and the
// precomposed letters from U+00C0).
const (
	firstNonNFCStable rune = 0x300
	firstNonNFDStable rune = 0xC0
)

// allBelow reports whether every character of t is below limit.
func allBelow(t alignedText, limit rune) bool {
	for _, c := range t {
		if c.r >= limit {
			return false
		}
	}
	return true
}

// cleanText drops NUL, U+FFFD (the replacement character, also what invalid
// UTF-8 decodes to) and control characters, and maps whitespace to ' '. It
// works in place: the result shares t's storage.
func (b *BasicTokenizer) cleanText(t alignedText) alignedText {
	out := t[:0]
	for _, c := range t {
		switch {
		case c.r == 0 || c.r == '\uFFFD' || isControlChar(c.r):
			continue
		case isWhitespaceChar(c.r):
			c.r = ' '
		}
		out = append(out, c)
	}
	return out
}

// isWhitespaceChar is HF's _is_whitespace: space, tab, newline, carriage
// return and the Unicode space separators (Zs, e.g. NBSP, U+3000).
func isWhitespaceChar(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r':
		return true
	}
	if r < 0x80 {
		return false
	}
	return unicode.Is(unicode.Zs, r)
}

// isControlChar is HF's _is_control: any character of Unicode category C
// (control Cc, format Cf such as zero-width space and soft hyphen, private
// use Co, surrogates Cs, and unassigned Cn) except tab, newline and carriage
// return, which count as whitespace.
func isControlChar(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	if r < 0x80 {
		return r < 0x20 || r == 0x7F
	}
	if unicode.Is(unicode.C, r) {
		return true
	}
	return !isAssigned(r)
}

// isAssigned reports whether r has a Unicode category other than Cn
// (unassigned); Go's unicode.C table does not list Cn, Python's does.
func isAssigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}

// isChineseChar reports whether r is a CJK ideograph, in the ranges original
// BERT uses (CJK Unified Ideographs, Extensions A-E, Compatibility
// Ideographs and their Supplement). Hiragana, Katakana and Hangul are not
// included: Japanese and Korean are written with spaces.
func isChineseChar(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) ||
		(r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) ||
		(r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0x2F800 && r <= 0x2FA1F)
}

// spaceOutChineseChars puts a space before and after every CJK ideograph.
func spaceOutChineseChars(t alignedText) alignedText {
	n := 0
	for _, c := range t {
		if isChineseChar(c.r) {
			n++
		}
	}
	if n == 0 {
		return t
	}
	out := make(alignedText, 0, len(t)+2*n)
	for _, c := range t {
		if isChineseChar(c.r) {
			sp := alignedRune{r: ' ', start: c.start, end: c.start}
			out = append(out, sp, c, sp)
			continue
		}
		out = append(out, c)
	}
	return out
}

// splitOnWhitespace appends to out the maximal runs of non-space characters
// of t.
func splitOnWhitespace(t alignedText, out []alignedText) []alignedText {
	for i := 0; ; {
		var word alignedText
		if word, i = nextWord(t, i); word == nil {
			return out
		}
		out = append(out, word)
	}
}

// nextWord returns the first word of t at or after position from, and where
// to continue; word is nil when there is none. Words are maximal runs of
// non-space characters, as Python's str.split() finds them.
func nextWord(t alignedText, from int) (word alignedText, next int) {
	start := from
	for start < len(t) && isPythonSpace(t[start].r) {
		start++
	}
	if start == len(t) {
		return nil, start
	}
	end := start + 1
	for end < len(t) && !isPythonSpace(t[end].r) {
		end++
	}
	return t[start:end], end
}

// isPythonSpace is Python's str.isspace for one character: the ASCII
// whitespace \t \n \v \f \r and space, the separators U+001C-U+001F, and
// Unicode's White_Space characters (NBSP, U+3000, U+2028, ...). After
// cleaning only ' ', U+2028 and U+2029 can remain; the others matter when
// the basic tokenizer is off.
func isPythonSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || ('\t' <= r && r <= '\r') || (0x1C <= r && r <= 0x1F)
	}
	return unicode.IsSpace(r)
}

// stripAccents decomposes the word (NFD) and drops the nonspacing marks
// (category Mn): "café" -> "cafe", "İ" lowered to "i̇" -> "i".
func stripAccents(word alignedText) alignedText {
	if allBelow(word, firstNonNFDStable) {
		return word
	}
	d := normalizeAligned(word, norm.NFD)
	out := make(alignedText, 0, len(d))
	for _, c := range d {
		if !unicode.Is(unicode.Mn, c.r) {
			out = append(out, c)
		}
	}
	return out
}

// isPunctuationChar is HF's _is_punctuation: every non-alphanumeric ASCII
// symbol (33-47, 58-64, 91-96, 123-126: so '$', '+', '^', '`' count too) and
// every Unicode punctuation character (category P*).
func isPunctuationChar(r rune) bool {
	if (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126) {
		return true
	}
	if r < 0x80 {
		return false
	}
	return unicode.Is(unicode.P, r)
}

// splitOnPunctuation appends to out the pieces of word split around
// punctuation: each punctuation character is a piece of its own, the runs
// between them are the other pieces.
func splitOnPunctuation(word alignedText, out []alignedText) []alignedText {
	start := 0
	for i, c := range word {
		if isPunctuationChar(c.r) {
			if i > start {
				out = append(out, word[start:i])
			}
			out = append(out, word[i:i+1])
			start = i + 1
		}
	}
	if start < len(word) {
		out = append(out, word[start:])
	}
	return out
}
