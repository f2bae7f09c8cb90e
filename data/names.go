package data

import (
	"math/rand/v2"
	"strings"
)

// Invented names are built from syllables so that the world's entities are new
// to any model: what the model knows about them, it learned from our corpus.
var (
	onsets  = []string{"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "tr", "th", "sh", "ch"}
	vowels  = []string{"a", "e", "i", "o", "u", "a", "ei", "ou"}
	codas   = []string{"", "", "", "n", "r", "l", "s", "m", "th"}
	endings = []string{"ia", "or", "an", "el", "is", "ova", "und", "ar"}
)

// nameMaker invents distinct capitalised names; it never repeats a name and
// avoids a blocklist (real names and common words used elsewhere in the corpus).
type nameMaker struct {
	rng  *rand.Rand
	used map[string]bool
}

func newNameMaker(rng *rand.Rand, reserved []string) *nameMaker {
	m := &nameMaker{rng: rng, used: map[string]bool{}}
	for _, r := range reserved {
		m.used[strings.ToLower(r)] = true
	}
	return m
}

// make invents a name of the given number of syllables, optionally with a
// place-like ending ("-ia", "-or", ...).
func (m *nameMaker) make(syllables int, placeEnding bool) string {
	for {
		var b strings.Builder
		for i := 0; i < syllables; i++ {
			b.WriteString(pick(m.rng, onsets))
			b.WriteString(pick(m.rng, vowels))
			if i == syllables-1 && !placeEnding {
				b.WriteString(pick(m.rng, codas))
			}
		}
		if placeEnding {
			b.WriteString(pick(m.rng, endings))
		}
		name := b.String()
		if len(name) < 4 || m.used[name] {
			continue
		}
		m.used[name] = true
		return strings.ToUpper(name[:1]) + name[1:]
	}
}
