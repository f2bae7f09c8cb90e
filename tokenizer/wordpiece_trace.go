package tokenizer

import (
	"fmt"
	"html"

	"github.com/turinglab/turinglab/display"
)

// WordPieceStep is one vocabulary lookup of WordPiece's greedy loop: the
// candidate tried (with "##" after the first piece), which characters of
// the word it covers, and whether the vocabulary has it.
type WordPieceStep struct {
	Candidate  string
	Start, End int
	Found      bool
}

// WordPieceTrace is every lookup WordPiece makes on one word, in order, and
// the pieces it ends with; it shows as a table in a notebook.
type WordPieceTrace struct {
	Word   string
	Steps  []WordPieceStep
	Pieces []string
}

// Trace splits word the way HF's WordpieceTokenizer loop reads: at each
// position try the whole rest of the word, then one character less, and so
// on, until the vocabulary has the candidate; give up with one unknown
// token if no candidate matches. It records every candidate tried, to show
// WordPiece working by hand; Tokenize finds the same pieces with a trie.
func (wp *WordPiece) Trace(word string) WordPieceTrace {
	tr := WordPieceTrace{Word: word}
	chars := []rune(word)
	if len(chars) > wp.MaxInputCharsPerWord {
		tr.Pieces = []string{wp.Unknown}
		return tr
	}
	for start := 0; start < len(chars); {
		found := false
		end := len(chars)
		for ; end > start; end-- {
			candidate := string(chars[start:end])
			if start > 0 {
				candidate = ContinuationPrefix + candidate
			}
			found = wp.Vocab.Has(candidate)
			tr.Steps = append(tr.Steps, WordPieceStep{Candidate: candidate, Start: start, End: end, Found: found})
			if found {
				tr.Pieces = append(tr.Pieces, candidate)
				break
			}
		}
		if !found {
			tr.Pieces = []string{wp.Unknown}
			return tr
		}
		start = end
	}
	return tr
}

// Table lists the lookups, one per row.
func (tr WordPieceTrace) Table() display.TableValue {
	rows := make([][]any, len(tr.Steps))
	for i, s := range tr.Steps {
		verdict := "no"
		if s.Found {
			verdict = "yes: take it"
		}
		rows[i] = []any{i + 1, s.Candidate, fmt.Sprintf("%d:%d", s.Start, s.End), verdict}
	}
	return display.Table([]string{"lookup", "candidate", "characters", "in vocabulary"}, rows)
}

// MIMEBundle shows the trace as its Table, with the resulting pieces.
func (tr WordPieceTrace) MIMEBundle() display.Bundle {
	b := tr.Table().MIMEBundle()
	summary := fmt.Sprintf("%q -> %q", tr.Word, tr.Pieces)
	b.Data["text/html"] = fmt.Sprintf("<p>%s</p>\n%s", html.EscapeString(summary), b.Data["text/html"])
	b.Data["text/plain"] = summary + "\n" + fmt.Sprint(b.Data["text/plain"])
	return b
}
