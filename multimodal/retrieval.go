package multimodal

import (
	"fmt"
	"sort"

	"github.com/turinglab/turinglab/autograd"
)

// evalChunk is how many items are embedded at once during evaluation.
const evalChunk = 64

// EmbedAllMedia embeds every item of patches [N, ...] without gradients,
// in chunks: [N, dim], normalised.
func (m *DualEncoder) EmbedAllMedia(patches *autograd.Tensor) (*autograd.Tensor, error) {
	var parts []*autograd.Tensor
	var err error
	m.SetTraining(false)
	autograd.NoGrad(func() {
		for s := 0; s < patches.Size(0) && err == nil; s += evalChunk {
			var e *autograd.Tensor
			e, err = m.EmbedMedia(patches.Narrow(0, s, min(evalChunk, patches.Size(0)-s)))
			parts = append(parts, e)
		}
	})
	if err != nil {
		return nil, err
	}
	return autograd.Cat(parts, 0), nil
}

// EmbedAllText embeds every text without gradients, in chunks: [N, dim].
func (m *DualEncoder) EmbedAllText(texts []string) (*autograd.Tensor, error) {
	var parts []*autograd.Tensor
	var err error
	m.SetTraining(false)
	autograd.NoGrad(func() {
		for s := 0; s < len(texts) && err == nil; s += evalChunk {
			var e *autograd.Tensor
			e, err = m.EmbedText(texts[s:min(s+evalChunk, len(texts))])
			parts = append(parts, e)
		}
	})
	if err != nil {
		return nil, err
	}
	return autograd.Cat(parts, 0), nil
}

// Similarity is the cosine similarity of every media item to every text:
// [N media, M texts], the matrix the notebook shows as a heat map.
func (m *DualEncoder) Similarity(patches *autograd.Tensor, texts []string) (*autograd.Tensor, error) {
	a, err := m.EmbedAllMedia(patches)
	if err != nil {
		return nil, err
	}
	b, err := m.EmbedAllText(texts)
	if err != nil {
		return nil, err
	}
	var s *autograd.Tensor
	autograd.NoGrad(func() { s = a.MatMul(b.T()) })
	return s, nil
}

// TopK is the indices of the k largest values of row, largest first (ties
// by index).
func TopK(row []float32, k int) []int {
	idx := make([]int, len(row))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return row[idx[a]] > row[idx[b]] })
	return idx[:min(k, len(idx))]
}

// RecallAtK scores retrieval with sim [rows, cols]: the fraction of rows
// for which one of the k most similar columns has the row's key
// (rowKeys[i] == colKeys[j]). With keys the captions, several pictures
// sharing a caption all count as right. For text→image retrieval pass the
// transposed matrix and swap the keys.
func RecallAtK(sim *autograd.Tensor, rowKeys, colKeys []string, k int) float64 {
	s := sim.Shape()
	if len(s) != 2 || s[0] != len(rowKeys) || s[1] != len(colKeys) {
		panic(fmt.Sprintf("multimodal.RecallAtK: similarity %v does not match %d row keys and %d column keys", s, len(rowKeys), len(colKeys)))
	}
	data := sim.Contiguous().Data()
	hits := 0
	for i := 0; i < s[0]; i++ {
		for _, j := range TopK(data[i*s[1]:(i+1)*s[1]], k) {
			if colKeys[j] == rowKeys[i] {
				hits++
				break
			}
		}
	}
	return float64(hits) / float64(s[0])
}

// Distinct returns the distinct strings of xs in first-seen order: the
// caption gallery of a retrieval test.
func Distinct(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
