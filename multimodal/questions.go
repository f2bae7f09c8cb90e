package multimodal

import (
	"fmt"
	"sort"
)

// QA is one question about the picture or clip at Index of its data set,
// with its one-word answer: the training data of the fusion model.
type QA struct {
	Index            int
	Question, Answer string
	Kind             string // what the question is about: "colour", "shape", "relation", "pitch", ...
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// ShapeQuestions asks questions about every scene whose answers the
// picture decides: colour, shape, size and position of a single object;
// the count of a counting scene; and for pairs, whether one object is in a
// relation to the other, asked half the time with the true relation and
// half with its inverse (so "yes" and "no" are equally likely).
func ShapeQuestions(scenes []*ShapeScene, seed uint64) []QA {
	rng := newSplitMix(seed ^ 0x9A)
	var out []QA
	for i, s := range scenes {
		o := s.Objects[0]
		switch s.Kind {
		case SceneSingle:
			out = append(out,
				QA{i, fmt.Sprintf("what colour is the %s?", o.Shape), o.Color, "colour"},
				QA{i, fmt.Sprintf("what shape is the %s object?", o.Color), o.Shape, "shape"},
				QA{i, fmt.Sprintf("is the %s large?", o.Shape), yesNo(o.Size == "large"), "size"},
				QA{i, fmt.Sprintf("where is the %s %s?", o.Color, o.Shape), s.Position, "position"})
		case SceneCount:
			out = append(out, QA{i, fmt.Sprintf("how many %s %ss are there?", o.Color, o.Shape), CountWords[s.Count-1], "count"})
		case ScenePair:
			b := s.Objects[1]
			rel, truth := s.Relation, true
			if rng.intn(2) == 1 {
				rel, truth = inverse(s.Relation), false
			}
			out = append(out,
				QA{i, fmt.Sprintf("is the %s %s %s the %s %s?", o.Color, o.Shape, rel, b.Color, b.Shape), yesNo(truth), "relation"})
		}
	}
	return out
}

// ClipQuestions asks about every clip: its kind, its loudness, and when it
// has them its pitch, its direction ("is the pitch rising?") and tempo.
func ClipQuestions(clips []*AudioClip) []QA {
	var out []QA
	for i, c := range clips {
		out = append(out,
			QA{i, "what kind of sound is it?", c.Kind, "kind"},
			QA{i, "is it loud?", yesNo(c.Loudness == "loud"), "loudness"})
		if c.Pitch != "" && c.Kind != "chirp" {
			out = append(out, QA{i, "is the pitch high?", yesNo(c.Pitch == "high"), "pitch"})
		}
		if c.Kind == "chirp" {
			out = append(out, QA{i, "is the pitch rising?", yesNo(c.Direction == "rising"), "direction"})
		}
		if c.Kind == "rhythm" {
			out = append(out, QA{i, "is the rhythm fast?", yesNo(c.Tempo == "fast"), "tempo"})
		}
	}
	return out
}

// AnswerSet is the sorted list of distinct answers: the fusion model's
// classes.
func AnswerSet(qas []QA) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range qas {
		if !seen[q.Answer] {
			seen[q.Answer] = true
			out = append(out, q.Answer)
		}
	}
	sort.Strings(out)
	return out
}

// FilterQA keeps the questions of one kind.
func FilterQA(qas []QA, kind string) []QA {
	var out []QA
	for _, q := range qas {
		if q.Kind == kind {
			out = append(out, q)
		}
	}
	return out
}

// QuestionTexts returns the questions' texts (for building a tokenizer).
func QuestionTexts(qas []QA) []string {
	out := make([]string, len(qas))
	for i, q := range qas {
		out[i] = q.Question
	}
	return out
}

// QAAnswers returns the questions' gold answers.
func QAAnswers(qas []QA) []string {
	out := make([]string, len(qas))
	for i, q := range qas {
		out[i] = q.Answer
	}
	return out
}
