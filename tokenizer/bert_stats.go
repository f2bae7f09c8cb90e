package tokenizer

import (
	"github.com/turinglab/turinglab/display"
)

// TokenStats describes how a tokenizer cuts up a corpus: how many tokens per
// word, how often it falls back to [UNK], how much of the vocabulary is used.
type TokenStats struct {
	// Texts, Words and Tokens count the texts, the basic tokenizer's words
	// (punctuation marks included) and the WordPiece tokens.
	Texts, Words, Tokens int
	// Unknown counts [UNK] tokens.
	Unknown int
	// SplitWords counts words that became two or more pieces.
	SplitWords int
	// Counts[id] is how often each vocabulary token occurs.
	Counts []int
}

// Stats tokenizes texts (without special tokens) and counts what happens.
// It stops with display.ErrInterrupted when the notebook's stop button is
// pressed.
func (t *BertTokenizer) Stats(texts []string) (TokenStats, error) {
	s := TokenStats{Texts: len(texts), Counts: make([]int, t.Vocab.Size())}
	var pieces []tokenPiece
	for i, text := range texts {
		if i%256 == 0 {
			if err := display.CheckInterrupt(); err != nil {
				return s, err
			}
		}
		pieces = t.tokenizeAligned(pieces[:0], text)
		s.Tokens += len(pieces)
		for j, p := range pieces {
			if p.id >= 0 {
				s.Counts[p.id]++
			}
			if p.id == t.UnkID {
				s.Unknown++
			}
			if j == 0 || p.word != pieces[j-1].word {
				s.Words++
				if j+1 < len(pieces) && pieces[j+1].word == p.word {
					s.SplitWords++
				}
			}
		}
	}
	return s, nil
}

// UnknownRate is the fraction of tokens that are [UNK].
func (s TokenStats) UnknownRate() float64 { return statsRatio(s.Unknown, s.Tokens) }

// TokensPerWord is the average number of pieces per word (1 means every
// word is in the vocabulary whole).
func (s TokenStats) TokensPerWord() float64 { return statsRatio(s.Tokens, s.Words) }

// SplitRate is the fraction of words split into two or more pieces.
func (s TokenStats) SplitRate() float64 { return statsRatio(s.SplitWords, s.Words) }

// Coverage is the fraction of the vocabulary that occurs at least once.
func (s TokenStats) Coverage() float64 {
	used := 0
	for _, c := range s.Counts {
		if c > 0 {
			used++
		}
	}
	return statsRatio(used, len(s.Counts))
}

// statsRatio is a/b, 0 when b is 0.
func statsRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Table lists the figures, one per row.
func (s TokenStats) Table() display.TableValue {
	return display.Table([]string{"statistic", "value"}, [][]any{
		{"texts", s.Texts}, {"words", s.Words}, {"tokens", s.Tokens},
		{"tokens per word", s.TokensPerWord()}, {"words split into pieces", s.SplitRate()},
		{"[UNK] rate", s.UnknownRate()}, {"vocabulary coverage", s.Coverage()},
	})
}

// MIMEBundle shows the statistics as their Table in a notebook.
func (s TokenStats) MIMEBundle() display.Bundle { return s.Table().MIMEBundle() }
