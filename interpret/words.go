package interpret

import (
	"strings"
	"unicode"
)

// textPiece is a run of a text: a word (letters, digits, apostrophes) or the
// characters between words. Joining the pieces gives the text back, so an
// attack can swap words and keep spacing and punctuation.
type textPiece struct {
	Text       string
	Word       bool
	Start, End int // byte offsets in the original text
}

// splitWords cuts text into alternating word and non-word pieces.
func splitWords(text string) []textPiece {
	var out []textPiece
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' }
	start := 0
	cur := false
	for i, r := range text {
		w := isWord(r)
		if i == 0 {
			cur = w
			continue
		}
		if w != cur {
			out = append(out, textPiece{Text: text[start:i], Word: cur, Start: start, End: i})
			start, cur = i, w
		}
	}
	if start < len(text) {
		out = append(out, textPiece{Text: text[start:], Word: cur, Start: start, End: len(text)})
	}
	return out
}

// joinPieces is the text of the pieces.
func joinPieces(ps []textPiece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String()
}

// wordIndexes are the indexes of the word pieces.
func wordIndexes(ps []textPiece) []int {
	var out []int
	for i, p := range ps {
		if p.Word {
			out = append(out, i)
		}
	}
	return out
}

// withWord returns a copy of ps with piece i's text replaced by w ("" deletes
// the word and one adjacent space).
func withWord(ps []textPiece, i int, w string) []textPiece {
	out := append([]textPiece(nil), ps...)
	out[i].Text = w
	if w == "" && i+1 < len(out) && strings.HasPrefix(out[i+1].Text, " ") {
		out[i+1].Text = out[i+1].Text[1:]
	} else if w == "" && i > 0 && strings.HasSuffix(out[i-1].Text, " ") {
		out[i-1].Text = out[i-1].Text[:len(out[i-1].Text)-1]
	}
	return out
}
