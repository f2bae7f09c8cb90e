package train

import (
	"sort"

	"github.com/turinglab/turinglab/data"
)

// MostFrequentTag is the tagging baseline: every word gets the tag it had
// most often in training (ties go to the tag first in sorted order), and a
// word never seen gets the most frequent tag overall. Words are matched as
// written (case matters: "May" and "may" are different words).
type MostFrequentTag struct {
	Tags     map[string]string // the tag of each training word
	Fallback string            // the most frequent tag overall, for unseen words
}

// TrainMostFrequentTag counts the tags of every word of sentences.
func TrainMostFrequentTag(sentences []data.TaggedSentence) *MostFrequentTag {
	perWord := map[string]map[string]int{}
	overall := map[string]int{}
	for _, s := range sentences {
		for i, w := range s.Tokens {
			if perWord[w] == nil {
				perWord[w] = map[string]int{}
			}
			perWord[w][s.Tags[i]]++
			overall[s.Tags[i]]++
		}
	}
	m := &MostFrequentTag{Tags: make(map[string]string, len(perWord)), Fallback: mostFrequent(overall)}
	for w, counts := range perWord {
		m.Tags[w] = mostFrequent(counts)
	}
	return m
}

// mostFrequent returns the key with the highest count, the smallest on ties.
func mostFrequent(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || counts[k] > counts[best] {
			best = k
		}
	}
	return best
}

// Predict tags every word of every sentence.
func (m *MostFrequentTag) Predict(sentences []data.TaggedSentence) [][]string {
	out := make([][]string, len(sentences))
	for i, s := range sentences {
		out[i] = make([]string, len(s.Tokens))
		for j, w := range s.Tokens {
			tag, ok := m.Tags[w]
			if !ok {
				tag = m.Fallback
			}
			out[i][j] = tag
		}
	}
	return out
}
