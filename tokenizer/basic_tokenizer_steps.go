package tokenizer

import (
	"strings"

	"github.com/turinglab/turinglab/display"
	"golang.org/x/text/unicode/norm"
)

// BasicTokenizerStep is the text after one step of the basic tokenizer, for
// showing the pipeline step by step.
type BasicTokenizerStep struct {
	// Name says what the step does ("clean text", "lowercase", ...).
	Name string
	// Words is the result: the whole text (one element) before the
	// whitespace split, the words after it.
	Words []string
}

// BasicTokenizerSteps is the sequence of steps Explain returns; it shows as a
// table in a notebook.
type BasicTokenizerSteps []BasicTokenizerStep

// Explain runs the basic tokenizer on text one step at a time and returns
// what each step produced, in order; the last step's words are what Tokenize
// returns. Steps that are switched off are left out.
func (b *BasicTokenizer) Explain(text string) BasicTokenizerSteps {
	var steps BasicTokenizerSteps
	one := func(name string, t alignedText) {
		steps = append(steps, BasicTokenizerStep{Name: name, Words: []string{t.String()}})
	}
	many := func(name string, words []alignedText) {
		s := make([]string, len(words))
		for i, w := range words {
			s[i] = w.String()
		}
		steps = append(steps, BasicTokenizerStep{Name: name, Words: s})
	}
	one("input", appendAligned(nil, text, 0))
	t := b.cleanText(appendAligned(nil, text, 0))
	one("clean text (drop control characters, whitespace to spaces)", t)
	if b.TokenizeChineseChars {
		t = spaceOutChineseChars(t)
		one("spaces around CJK ideographs", t)
	}
	t = normalizeAligned(t, norm.NFC)
	one("NFC", t)
	words := splitOnWhitespace(t, nil)
	many("split on whitespace", words)
	keep := func(w alignedText) bool { return isOneOf(w, b.NeverSplit) }
	if b.DoLowerCase {
		for i, w := range words {
			if !keep(w) {
				words[i] = pythonLower(w)
			}
		}
		many("lowercase (Python str.lower)", words)
	}
	if b.StripAccents == AccentsStrip || (b.DoLowerCase && b.StripAccents == AccentsFollowLowerCase) {
		for i, w := range words {
			if !keep(w) {
				words[i] = stripAccents(w)
			}
		}
		many("strip accents (NFD, drop Mn)", words)
	}
	var split []alignedText
	for _, w := range words {
		if keep(w) {
			split = append(split, w)
			continue
		}
		split = splitOnPunctuation(w, split)
	}
	many("split on punctuation", split)
	return steps
}

// Table lays the steps out one per row, words separated by " | ".
func (s BasicTokenizerSteps) Table() display.TableValue {
	rows := make([][]any, len(s))
	for i, step := range s {
		rows[i] = []any{step.Name, strings.Join(step.Words, " | ")}
	}
	return display.Table([]string{"step", "result"}, rows)
}

// MIMEBundle shows the steps as their Table in a notebook.
func (s BasicTokenizerSteps) MIMEBundle() display.Bundle { return s.Table().MIMEBundle() }
