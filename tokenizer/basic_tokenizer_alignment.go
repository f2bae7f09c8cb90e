package tokenizer

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// alignedRune is one character of text being normalized, together with the
// span [start, end) of original-text characters (runes, counted from 0) it
// came from. Normalization changes characters (lowercasing, NFC, dropping
// accents) and sometimes their number ('İ' lowers to two runes, 'e'+'◌́'
// composes to one); carrying the span along is how every final token knows
// its offsets in the original text.
type alignedRune struct {
	r          rune
	start, end int32 // 12 bytes a character: texts are long, keep it small
}

// alignedText is a run of aligned characters, e.g. one word.
type alignedText []alignedRune

// String returns the characters as a Go string.
func (t alignedText) String() string {
	n := 0
	for _, c := range t {
		n += utf8.RuneLen(c.r)
	}
	b := make([]byte, 0, n)
	for _, c := range t {
		b = utf8.AppendRune(b, c.r)
	}
	return string(b)
}

// equals reports whether the characters spell s exactly.
func (t alignedText) equals(s string) bool {
	i := 0
	for _, r := range s {
		if i >= len(t) || t[i].r != r {
			return false
		}
		i++
	}
	return i == len(t)
}

// appendUTF8 appends the characters to b as UTF-8.
func (t alignedText) appendUTF8(b []byte) []byte {
	for _, c := range t {
		b = utf8.AppendRune(b, c.r)
	}
	return b
}

// span returns the original-text span covered by the characters: from the
// start of the first to the end of the last.
func (t alignedText) span() (start, end int) {
	if len(t) == 0 {
		return 0, 0
	}
	return int(t[0].start), int(t[len(t)-1].end)
}

// normalizeAligned applies a Unicode normalization form (NFC or NFD) to t.
// Normalization works segment by segment (a starter and its combining marks);
// a segment that comes out unchanged keeps its per-character spans, and each
// character of a changed segment gets the span of the whole input segment.
func normalizeAligned(t alignedText, form norm.Form) alignedText {
	s := t.String()
	if form.IsNormalString(s) {
		return t
	}
	// runeAt[b] is the index in t of the rune starting at byte b of s.
	runeAt := make([]int, len(s)+1)
	i := 0
	for b := range s {
		runeAt[b] = i
		i++
	}
	runeAt[len(s)] = len(t)

	out := make(alignedText, 0, len(t)+4)
	var it norm.Iter
	it.InitString(form, s)
	prev := 0
	for !it.Done() {
		seg := it.Next()
		pos := it.Pos()
		in := t[runeAt[prev]:runeAt[pos]]
		prev = pos
		if sameRunes(seg, in) {
			out = append(out, in...)
			continue
		}
		start, end := in.span()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			out = append(out, alignedRune{r: r, start: int32(start), end: int32(end)})
		}
	}
	return out
}

// sameRunes reports whether the UTF-8 bytes b hold exactly the runes of t.
func sameRunes(b []byte, t alignedText) bool {
	for _, c := range t {
		r, size := utf8.DecodeRune(b)
		if size == 0 || r != c.r {
			return false
		}
		b = b[size:]
	}
	return len(b) == 0
}
