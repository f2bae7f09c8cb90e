package kernel

import "unicode/utf8"

// globMatch reports whether the whole of s matches pattern, with the rules of
// SQLite's GLOB operator (which IPython's history search uses): '*' matches
// any run of characters, '?' exactly one, "[abc]" / "[a-z]" one of a set and
// "[^abc]" one outside it; everything else matches itself, case-sensitively.
// Unlike path.Match, '*' also crosses '/', and newlines are ordinary characters.
func globMatch(pattern, s string) bool {
	// Iterative matching with backtracking to the last '*': linear in practice.
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch pattern[p] {
			case '*':
				starP, starI = p, i
				p++
				continue
			case '?':
				_, w := utf8.DecodeRuneInString(s[i:])
				p, i = p+1, i+w
				continue
			case '[':
				r, w := utf8.DecodeRuneInString(s[i:])
				ok, next := matchSet(pattern, p, r)
				if next == 0 { // an unclosed '[' is an ordinary character
					ok, next = r == '[', p+1
				}
				if ok {
					p, i = next, i+w
					continue
				}
			default:
				r, w := utf8.DecodeRuneInString(s[i:])
				pr, pw := utf8.DecodeRuneInString(pattern[p:])
				if r == pr {
					p, i = p+pw, i+w
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Let the last '*' swallow one more character and retry.
		_, w := utf8.DecodeRuneInString(s[starI:])
		starI += w
		p, i = starP+1, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchSet matches r against the set that starts at pattern[p] == '['. It
// returns whether r is in the set and the index just after the closing ']'
// (0 when the set is not closed, in which case '[' is not special).
func matchSet(pattern string, p int, r rune) (bool, int) {
	j := p + 1
	negate := j < len(pattern) && pattern[j] == '^'
	if negate {
		j++
	}
	in := false
	first := true
	for j < len(pattern) && (first || pattern[j] != ']') {
		first = false
		lo, w := utf8.DecodeRuneInString(pattern[j:])
		j += w
		hi := lo
		if j+1 < len(pattern) && pattern[j] == '-' && pattern[j+1] != ']' {
			hi, w = utf8.DecodeRuneInString(pattern[j+1:])
			j += 1 + w
		}
		if lo <= r && r <= hi {
			in = true
		}
	}
	if j >= len(pattern) {
		return false, 0
	}
	return in != negate, j + 1
}
