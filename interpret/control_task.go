package interpret

import "github.com/turinglab/turinglab/autograd"

// ControlTask is Hewitt & Liang's (2019) control task for a word-level
// probe: every word type gets one label drawn from the empirical
// distribution of labels (the label of a uniformly drawn example, word
// types in order of first occurrence, random draws from seed), and every
// occurrence of the word gets its type's label. The labels are then a
// function of the word alone, unrelated to the property: a probe can only
// reach high accuracy on them by memorising word types, so its control
// accuracy measures the probe's capacity, and accuracy − control accuracy
// (the selectivity) what the representation adds.
func ControlTask(words []string, labels []int, seed uint64) []int {
	rng := autograd.NewRNG(seed)
	byType := map[string]int{}
	out := make([]int, len(words))
	for i, w := range words {
		l, seen := byType[w]
		if !seen {
			l = labels[rng.Intn(len(labels))]
			byType[w] = l
		}
		out[i] = l
	}
	return out
}
