package interpret

import (
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// Typos is CheckList's add_typos: n copies of the text, each with two
// adjacent characters of one random word (of 3+ letters) swapped.
func Typos(n int, seed uint64) Perturbation {
	return func(text string) []string {
		rng := autograd.NewRNG(seed + uint64(len(text)))
		ps := splitWords(text)
		var long []int
		for _, i := range wordIndexes(ps) {
			if len(ps[i].Text) >= 3 {
				long = append(long, i)
			}
		}
		if len(long) == 0 {
			return nil
		}
		var out []string
		for k := 0; k < n; k++ {
			w := long[rng.Intn(len(long))]
			b := []byte(ps[w].Text)
			j := rng.Intn(len(b) - 1)
			b[j], b[j+1] = b[j+1], b[j]
			out = append(out, joinPieces(withWord(ps, w, string(b))))
		}
		return out
	}
}

// SwapWords replaces every word of the text that is in group by each of the
// other words of group, one perturbation per replacement (CheckList's
// change_names and change_location, for a given list of names or places).
func SwapWords(group []string) Perturbation {
	in := map[string]bool{}
	for _, g := range group {
		in[strings.ToLower(g)] = true
	}
	return func(text string) []string {
		ps := splitWords(text)
		var out []string
		for _, i := range wordIndexes(ps) {
			if !in[strings.ToLower(ps[i].Text)] {
				continue
			}
			for _, g := range group {
				if !strings.EqualFold(g, ps[i].Text) {
					out = append(out, joinPieces(withWord(ps, i, g)))
				}
			}
		}
		return out
	}
}

// Punctuation is CheckList's punctuation perturbation: the text without its
// final punctuation mark, or with a "." or "!" added when it has none.
func Punctuation() Perturbation {
	return func(text string) []string {
		t := strings.TrimRight(text, " ")
		if t == "" {
			return nil
		}
		switch t[len(t)-1] {
		case '.', '!', '?':
			return []string{strings.TrimRight(t[:len(t)-1], " ")}
		}
		return []string{t + ".", t + "!"}
	}
}

// AddNegation inserts "not" after the first "is", "was", "are" or "were"
// (the sentiment DIR test: negating a review should move its sentiment).
// Texts already negated there are left alone.
func AddNegation() Perturbation {
	return func(text string) []string {
		ps := splitWords(text)
		ws := wordIndexes(ps)
		for k, i := range ws {
			switch strings.ToLower(ps[i].Text) {
			case "is", "was", "are", "were":
				if k+1 < len(ws) && strings.EqualFold(ps[ws[k+1]].Text, "not") {
					return nil
				}
				return []string{joinPieces(withWord(ps, i, ps[i].Text+" not"))}
			}
		}
		return nil
	}
}
