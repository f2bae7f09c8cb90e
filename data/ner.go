package data

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// NERLabels are the BIO tags of the NER dataset, in label-id order.
var NERLabels = []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"}

// TaggedSentence is one sentence for token classification: whitespace-level
// words (punctuation is its own word, as in CoNLL files) and one BIO tag each.
type TaggedSentence struct {
	Tokens []string
	Tags   []string
}

// NEROptions sizes the NER dataset and chooses its names.
type NEROptions struct {
	Seed uint64
	N    int // number of sentences (default 1000)
	// Names, if set, are the only entity names used (e.g. one side of
	// SplitNERNames); nil means every name of the world (WorldNERNames).
	Names *NERNames
}

// nerTemplates mention people, places and organisations of the small world;
// {PER}, {LOC} and {ORG} are filled with entities, the rest is tagged O.
var nerTemplates = []string{
	"{PER} visited {LOC} last spring .",
	"{PER} works for {ORG} in {LOC} .",
	"{ORG} opened an office in {LOC} .",
	"{PER} and {PER} met in {LOC} .",
	"The mayor of {LOC} , {PER} , praised {ORG} .",
	"Yesterday {ORG} hired {PER} .",
	"{PER} moved from {LOC} to {LOC} .",
	"A report by {ORG} says that {LOC} is growing .",
	"In {LOC} , {PER} founded {ORG} .",
	"{PER} thanked {PER} for the tour of {LOC} .",
}

// NER generates a named-entity dataset over the world w: people (PER), places —
// countries, cities and regions — (LOC) and companies (ORG), multi-word names
// tagged B-/I-. Deterministic for opts.Seed. With opts.Names set, only those
// names appear, and templates that need a type without names are left out
// (nothing is generated when no template is left).
func NER(w *World, opts NEROptions) []TaggedSentence {
	if opts.N == 0 {
		opts.N = 1000
	}
	rng := newRand(opts.Seed)
	names := opts.Names
	if names == nil {
		all := WorldNERNames(w)
		names = &all
	}
	entities := map[string][]string{"PER": names.PER, "LOC": names.LOC, "ORG": names.ORG}
	templates := fillableTemplates(entities)
	if len(templates) == 0 {
		return nil
	}
	sentences := make([]TaggedSentence, opts.N)
	for i := range sentences {
		sentences[i] = fillTemplate(rng, pick(rng, templates), entities)
	}
	return sentences
}

// fillableTemplates returns the templates all of whose slots have names.
func fillableTemplates(entities map[string][]string) []string {
	var out []string
	for _, tpl := range nerTemplates {
		ok := true
		for kind, names := range entities {
			if len(names) == 0 && strings.Contains(tpl, "{"+kind+"}") {
				ok = false
			}
		}
		if ok {
			out = append(out, tpl)
		}
	}
	return out
}

func fillTemplate(rng *rand.Rand, tpl string, entities map[string][]string) TaggedSentence {
	var s TaggedSentence
	for _, word := range strings.Fields(tpl) {
		kind := strings.TrimSuffix(strings.TrimPrefix(word, "{"), "}")
		names, isSlot := entities[kind]
		if !isSlot || len(word) != len(kind)+2 {
			s.Tokens = append(s.Tokens, word)
			s.Tags = append(s.Tags, "O")
			continue
		}
		for j, part := range strings.Fields(pick(rng, names)) {
			s.Tokens = append(s.Tokens, part)
			if j == 0 {
				s.Tags = append(s.Tags, "B-"+kind)
			} else {
				s.Tags = append(s.Tags, "I-"+kind)
			}
		}
	}
	return s
}

// WriteCoNLL writes sentences in the CoNLL token-per-line format: "token tag"
// per line, a blank line after each sentence.
func WriteCoNLL(w io.Writer, sentences []TaggedSentence) error {
	for _, s := range sentences {
		for i, tok := range s.Tokens {
			if _, err := fmt.Fprintf(w, "%s %s\n", tok, s.Tags[i]); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}
