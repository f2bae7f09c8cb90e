package data

import (
	"fmt"
	"sort"
)

// Batches splits example indices 0..n-1 into batches of batchSize (the last
// may be smaller), shuffled with seed when shuffle is set — one epoch's order.
func Batches(n, batchSize int, shuffle bool, seed uint64) [][]int {
	if batchSize <= 0 {
		panic(fmt.Sprintf("data.Batches: batchSize must be positive, got %d", batchSize))
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if shuffle {
		rng := newRand(seed)
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	var batches [][]int
	for start := 0; start < n; start += batchSize {
		batches = append(batches, order[start:min(start+batchSize, n)])
	}
	return batches
}

// LengthBucketedBatches groups examples of similar length so that padding to
// the longest in a batch wastes little: indices are sorted by length within
// shuffled windows of 50 batches, cut into batches, and the batches shuffled.
func LengthBucketedBatches(lengths []int, batchSize int, seed uint64) [][]int {
	rng := newRand(seed)
	order := rng.Perm(len(lengths))
	window := 50 * batchSize
	for start := 0; start < len(order); start += window {
		part := order[start:min(start+window, len(order))]
		sort.SliceStable(part, func(i, j int) bool { return lengths[part[i]] < lengths[part[j]] })
	}
	var batches [][]int
	for start := 0; start < len(order); start += batchSize {
		batches = append(batches, order[start:min(start+batchSize, len(order))])
	}
	rng.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
	return batches
}

// Split shuffles indices 0..n-1 with seed and cuts them into consecutive parts
// with the given fractions (e.g. 0.8, 0.1, 0.1 for train/dev/test); the last
// part takes the rounding remainder.
func Split(n int, seed uint64, fractions ...float64) [][]int {
	order := newRand(seed).Perm(n)
	parts := make([][]int, len(fractions))
	start := 0
	for i, f := range fractions {
		end := start + int(f*float64(n)+0.5)
		if i == len(fractions)-1 || end > n {
			end = n
		}
		parts[i] = order[start:end]
		start = end
	}
	return parts
}

// PadBatch pads sequences of ids to the longest one with padID and returns the
// padded ids and the attention mask (1 on real tokens, 0 on padding), flattened
// row-major with the batch shape [len(seqs), longest] — what a model's forward
// takes.
func PadBatch(seqs [][]int, padID int) (ids []int, mask []int, longest int) {
	for _, s := range seqs {
		longest = max(longest, len(s))
	}
	ids = make([]int, len(seqs)*longest)
	mask = make([]int, len(seqs)*longest)
	for b, s := range seqs {
		row := ids[b*longest : (b+1)*longest]
		for i := range row {
			if i < len(s) {
				row[i] = s[i]
				mask[b*longest+i] = 1
			} else {
				row[i] = padID
			}
		}
	}
	return ids, mask, longest
}
