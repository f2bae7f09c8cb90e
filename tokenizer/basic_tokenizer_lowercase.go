package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// pythonLower lowercases a word exactly as Python's str.lower does, which is
// what HF's BertTokenizer calls. Go's unicode.ToLower is the one-to-one
// "simple" mapping; Python uses the full mapping, which differs in two ways
// that matter for real text:
//
//   - 'İ' (U+0130, Turkish dotted capital I) becomes two characters,
//     'i' + U+0307 COMBINING DOT ABOVE (the dot is then dropped by accent
//     stripping, leaving "i").
//   - 'Σ' becomes final sigma 'ς' at the end of a word (preceded by a cased
//     letter and not followed by one, ignoring case-ignorable characters such
//     as apostrophes and combining marks), and 'σ' elsewhere.
//
// Every other character maps like unicode.ToLower. Both new characters of 'İ'
// keep the original character's span. Words without 'İ' or 'Σ' (nearly all)
// are lowercased in place; the others are copied.
func pythonLower(w alignedText) alignedText {
	inPlace := true
	for _, c := range w {
		if c.r == 'İ' || c.r == 'Σ' {
			inPlace = false
			break
		}
	}
	if inPlace {
		for i, c := range w {
			if c.r < utf8.RuneSelf {
				if 'A' <= c.r && c.r <= 'Z' {
					w[i].r += 'a' - 'A'
				}
			} else {
				w[i].r = unicode.ToLower(c.r)
			}
		}
		return w
	}
	out := make(alignedText, 0, len(w)+1)
	for i, c := range w {
		switch {
		case c.r < utf8.RuneSelf:
			if 'A' <= c.r && c.r <= 'Z' {
				c.r += 'a' - 'A'
			}
		case c.r == 'İ':
			out = append(out, alignedRune{r: 'i', start: c.start, end: c.end})
			c.r = '\u0307'
		case c.r == 'Σ':
			if isFinalSigma(w, i) {
				c.r = 'ς'
			} else {
				c.r = 'σ'
			}
		default:
			c.r = unicode.ToLower(c.r)
		}
		out = append(out, c)
	}
	return out
}

// isFinalSigma implements Unicode's Final_Sigma condition for the 'Σ' at
// position i of w, the way CPython does: a cased letter before it and no
// cased letter after it, skipping case-ignorable characters both ways.
func isFinalSigma(w alignedText, i int) bool {
	j := i - 1
	for j >= 0 && isCaseIgnorable(w[j].r) {
		j--
	}
	if j < 0 || !isCased(w[j].r) {
		return false
	}
	j = i + 1
	for j < len(w) && isCaseIgnorable(w[j].r) {
		j++
	}
	return j == len(w) || !isCased(w[j].r)
}

// isCased is Unicode's derived property Cased: uppercase, lowercase or
// titlecase letters, including Other_Lowercase / Other_Uppercase.
func isCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// isCaseIgnorable is Unicode's derived property Case_Ignorable: marks,
// format characters, modifier letters and symbols, and the word-internal
// punctuation of Word_Break MidLetter, MidNumLet and Single_Quote.
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '·', '\u0387', '\u055F', '\u05F4', '\u2018', '\u2019',
		'\u2024', '\u2027', '\uFE13', '\uFE52', '\uFE55', '\uFF07', '\uFF0E', '\uFF1A':
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// lowerEachChar lowercases every character on its own, with Python's full
// mapping ('İ' -> 'i' + U+0307) but without context, so 'Σ' always becomes
// 'σ'. This is what HF's tokenize() does to the whole text (except special
// tokens) before tokenizing when do_lower_case is set: a regular expression
// that lowercases one character per match. The fast Rust tokenizer also
// lowercases character by character, so neither ever produces final sigma
// 'ς' from 'Σ'; pythonLower on the words afterwards then changes nothing.
func lowerEachChar(t alignedText) alignedText {
	expands := false
	for _, c := range t {
		if c.r == 'İ' {
			expands = true
			break
		}
	}
	if !expands {
		for i := range t {
			t[i].r = lowerChar(t[i].r)
		}
		return t
	}
	out := make(alignedText, 0, len(t)+4)
	for _, c := range t {
		if c.r == 'İ' {
			out = append(out, alignedRune{r: 'i', start: c.start, end: c.end})
			c.r = '\u0307'
		} else {
			c.r = lowerChar(c.r)
		}
		out = append(out, c)
	}
	return out
}

// lowerChar is the one-character lowercase mapping (unicode.ToLower, which
// agrees with Python for every character but 'İ'; 'Σ' gives 'σ').
func lowerChar(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}
