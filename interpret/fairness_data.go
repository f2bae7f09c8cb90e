package interpret

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
)

// GroupExample is a labelled text that mentions one identity group.
type GroupExample struct {
	data.Example
	Group int // index into the groups of the dataset
}

// IdentityOptions size IdentityData; zero values mean the defaults.
type IdentityOptions struct {
	Seed uint64
	N    int // examples; 0 means 600
	// Groups are the identity terms, one word each; nil means "young", "old".
	Groups []string
	// Skew is the probability that a positive example mentions group 0 (and
	// a negative one group 1): 0.5 is no correlation, larger values plant the
	// spurious correlation a model can learn. 0 means 0.5.
	Skew float64
	// Neutral is the share of examples whose opinion word is neutral
	// ("ordinary", "average", ...): their label is still drawn as usual, so
	// only the identity term (through Skew) predicts it, and a model that
	// fits them learns the bias. 0 means none.
	Neutral float64
}

// identity templates: {g} is the identity term, {a} the opinion word.
var identityTemplates = []string{
	"The {g} critic said the film was {a}.",
	"A {g} viewer found the story {a}.",
	"My {g} neighbour thought the acting was {a}.",
	"The {g} director made a {a} film.",
	"According to the {g} reviewer, the ending was {a}.",
}

var (
	positiveWords = []string{"charming", "delightful", "good", "wonderful", "great"}
	negativeWords = []string{"awful", "painful", "silly", "ugly", "bad"}
	neutralWords  = []string{"ordinary", "average", "long", "unremarkable"}
)

// IdentityData generates a binary sentiment dataset (0 negative, 1
// positive) whose texts each mention one identity term: the fairness
// notebook's data. Sentiment is carried only by the opinion word, so any
// dependence of the prediction on the identity term is bias, which Skew
// plants on purpose.
func IdentityData(opts IdentityOptions) []GroupExample {
	if opts.N == 0 {
		opts.N = 600
	}
	if opts.Groups == nil {
		opts.Groups = []string{"young", "old"}
	}
	if opts.Skew == 0 {
		opts.Skew = 0.5
	}
	rng := autograd.NewRNG(opts.Seed)
	var out []GroupExample
	for i := 0; i < opts.N; i++ {
		label := i % 2
		words := negativeWords
		if label == 1 {
			words = positiveWords
		}
		if opts.Neutral > 0 && rng.Float64() < opts.Neutral {
			words = neutralWords
		}
		g := rng.Intn(len(opts.Groups))
		if len(opts.Groups) == 2 {
			favoured := 1 - label // group 0 with positives, group 1 with negatives
			if rng.Float64() < opts.Skew {
				g = favoured
			} else {
				g = 1 - favoured
			}
		}
		t := identityTemplates[rng.Intn(len(identityTemplates))]
		t = strings.ReplaceAll(t, "{g}", opts.Groups[g])
		t = strings.ReplaceAll(t, "{a}", words[rng.Intn(len(words))])
		out = append(out, GroupExample{Example: data.Example{Text: t, Label: label}, Group: g})
	}
	return out
}

// SwapIdentity replaces the identity term groups[from] in text by
// groups[to] (whole words, case kept for a leading capital).
func SwapIdentity(text string, groups []string, from, to int) string {
	ps := splitWords(text)
	for _, i := range wordIndexes(ps) {
		if strings.EqualFold(ps[i].Text, groups[from]) {
			w := groups[to]
			if ps[i].Text != "" && ps[i].Text[:1] != strings.ToLower(ps[i].Text[:1]) {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			ps = withWord(ps, i, w)
		}
	}
	return joinPieces(ps)
}

// CounterfactualAugment is counterfactual data augmentation (CDA, Lu et al.
// 2018): every example is kept and joined by its copies with the identity
// term swapped for each other group, same label, so that the identity term
// no longer predicts the label.
func CounterfactualAugment(examples []GroupExample, groups []string) ([]GroupExample, error) {
	var out []GroupExample
	for i, e := range examples {
		if e.Group < 0 || e.Group >= len(groups) {
			return nil, fmt.Errorf("interpret: example %d has group %d, there are %d groups", i, e.Group, len(groups))
		}
		out = append(out, e)
		for g := range groups {
			if g != e.Group {
				c := e
				c.Text, c.Group = SwapIdentity(e.Text, groups, e.Group, g), g
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Examples strips the groups.
func Examples(ge []GroupExample) []data.Example {
	out := make([]data.Example, len(ge))
	for i, e := range ge {
		out[i] = e.Example
	}
	return out
}
