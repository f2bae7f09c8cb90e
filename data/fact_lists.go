package data

import (
	"fmt"
	"strings"
)

// FactListSeparator joins a subject and its object in a fact list: the
// relation is not named, only shown by the examples.
const FactListSeparator = ": "

// FactLine writes one line of a fact list: "Gechath Ruzan: Luxor.".
func FactLine(subject, object string) string {
	return subject + FactListSeparator + object + "."
}

// FactLists writes n documents that each list perList facts of one relation
// in the terse form "subject: object." — "Gechath Ruzan: Luxor. Ilsa Varn:
// Lima. ..." — without naming the relation. A person's line could be a
// birthplace or a profession, a country's a capital, a language or a
// currency: only the other lines of the document tell which. This is the
// structure that makes in-context learning pay off in training (Xie et al.
// 2022: each document has a latent concept the model must infer from the
// context). With probability repeat, each document also states one of its
// lines a second time, later ("bursty" text, Chan et al. 2022), which
// rewards copying from context. Deterministic for seed.
func (w *World) FactLists(n, perList int, repeat float64, seed uint64) ([]string, error) {
	byRelation := map[string][]Fact{}
	var relations []string
	for _, f := range w.Facts {
		if len(byRelation[f.Relation]) == 0 {
			relations = append(relations, f.Relation)
		}
		byRelation[f.Relation] = append(byRelation[f.Relation], f)
	}
	if perList < 1 {
		return nil, fmt.Errorf("data.FactLists: perList must be positive, got %d", perList)
	}
	rng := newRand(seed)
	docs := make([]string, 0, n)
	for len(docs) < n {
		facts := byRelation[relations[rng.IntN(len(relations))]]
		order := rng.Perm(len(facts))
		k := min(perList, len(facts))
		lines := make([]string, 0, k+1)
		for _, i := range order[:k] {
			lines = append(lines, FactLine(facts[i].Subject, facts[i].Object))
		}
		if k > 1 && rng.Float64() < repeat {
			at := 1 + rng.IntN(k)
			again := lines[rng.IntN(at)]
			lines = append(lines[:at], append([]string{again}, lines[at:]...)...)
		}
		docs = append(docs, strings.Join(lines, " "))
	}
	return docs, nil
}
