package train

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// Entity is one labelled span of a tagged sentence: its type (PER, LOC, ...)
// and the token range [Start, End).
type Entity struct {
	Type       string
	Start, End int
}

// Entities extracts the entity spans of a BIO (or BIOES) tag sequence with
// conlleval's rules, as seqeval does by default: a chunk starts at B (or S), or
// at an I whose type differs from the previous tag's (so a stray I-LOC after O
// still starts an entity), and ends where the next tag cannot continue it.
func Entities(tags []string) []Entity {
	var entities []Entity
	prevTag, prevType := "O", ""
	start := -1
	for i := 0; i <= len(tags); i++ {
		tag, typ := "O", ""
		if i < len(tags) {
			tag, typ = splitTag(tags[i])
		}
		if start >= 0 && chunkEnds(prevTag, tag, prevType, typ) {
			entities = append(entities, Entity{Type: prevType, Start: start, End: i})
			start = -1
		}
		if chunkStarts(prevTag, tag, prevType, typ) {
			start = i
		}
		prevTag, prevType = tag, typ
	}
	return entities
}

// splitTag splits "B-PER" into ("B", "PER"); "O" has no type.
func splitTag(t string) (prefix, typ string) {
	if t == "O" || t == "" {
		return "O", ""
	}
	prefix, typ, found := strings.Cut(t, "-")
	if !found {
		return t, ""
	}
	return prefix, typ
}

func chunkEnds(prevTag, tag, prevType, typ string) bool {
	switch {
	case prevTag == "E" || prevTag == "S":
		return true
	case prevTag == "B" && (tag == "B" || tag == "S" || tag == "O"):
		return true
	case prevTag == "I" && (tag == "B" || tag == "S" || tag == "O"):
		return true
	}
	return prevTag != "O" && prevType != typ
}

func chunkStarts(prevTag, tag, prevType, typ string) bool {
	switch {
	case tag == "B" || tag == "S":
		return true
	case (prevTag == "E" || prevTag == "S" || prevTag == "O") && (tag == "E" || tag == "I"):
		return true
	}
	return tag != "O" && prevType != typ
}

// EntityReport holds entity-level precision, recall and F1 per type and
// micro-averaged over all types (seqeval's headline numbers): an entity counts
// only when its type and both boundaries are exactly right.
type EntityReport struct {
	Types   []string
	PerType []Scores
	Micro   Scores
	Macro   Scores
}

// EntityF1 scores predicted tag sequences against gold ones, sentence by sentence.
func EntityF1(predicted, gold [][]string) EntityReport {
	if len(predicted) != len(gold) {
		panic(fmt.Sprintf("train.EntityF1: %d predicted sentences for %d gold ones", len(predicted), len(gold)))
	}
	type counts struct{ tp, pred, gold int }
	byType := map[string]*counts{}
	get := func(t string) *counts {
		if byType[t] == nil {
			byType[t] = &counts{}
		}
		return byType[t]
	}
	for s := range gold {
		if len(predicted[s]) != len(gold[s]) {
			panic(fmt.Sprintf("train.EntityF1: sentence %d has %d predicted tags for %d gold tags", s, len(predicted[s]), len(gold[s])))
		}
		goldSet := map[Entity]bool{}
		for _, e := range Entities(gold[s]) {
			goldSet[e] = true
			get(e.Type).gold++
		}
		for _, e := range Entities(predicted[s]) {
			get(e.Type).pred++
			if goldSet[e] {
				get(e.Type).tp++
			}
		}
	}
	var r EntityReport
	for t := range byType {
		r.Types = append(r.Types, t)
	}
	sort.Strings(r.Types)
	var all counts
	for _, t := range r.Types {
		c := byType[t]
		s := scores(c.tp, c.pred, c.gold)
		r.PerType = append(r.PerType, s)
		all.tp, all.pred, all.gold = all.tp+c.tp, all.pred+c.pred, all.gold+c.gold
		r.Macro.Precision += s.Precision / float64(len(r.Types))
		r.Macro.Recall += s.Recall / float64(len(r.Types))
		r.Macro.F1 += s.F1 / float64(len(r.Types))
	}
	r.Micro = scores(all.tp, all.pred, all.gold)
	r.Macro.Support = all.gold
	return r
}

// String lays the report out like seqeval's classification_report.
func (r EntityReport) String() string {
	width := len("micro avg")
	for _, t := range r.Types {
		width = max(width, len(t))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support")
	row := func(name string, s Scores) {
		fmt.Fprintf(&b, "%*s  %9.2f %9.2f %9.2f %9d\n", width, name, s.Precision, s.Recall, s.F1, s.Support)
	}
	for i, t := range r.Types {
		row(t, r.PerType[i])
	}
	b.WriteString("\n")
	row("micro avg", r.Micro)
	row("macro avg", r.Macro)
	return b.String()
}

// MIMEBundle shows the report as preformatted text in HTML as well.
func (r EntityReport) MIMEBundle() display.Bundle {
	return display.Bundle{Data: map[string]any{display.MIMEText: r.String(), display.MIMEHTML: "<pre>" + r.String() + "</pre>"}}
}
