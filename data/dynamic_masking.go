package data

import "math/rand/v2"

// IgnoreLabel marks a position that the loss ignores (PyTorch's ignore_index).
const IgnoreLabel = -100

// DynamicMasker re-masks token ids every time a batch is drawn, as HF's
// DataCollatorForLanguageModeling does: each maskable position is chosen with
// probability Prob; a chosen one becomes MaskID 80% of the time, a random id
// in [0, VocabSize) 10%, and stays itself 10%. Unlike the static masks of
// CreatePretrainingInstances, every epoch sees new masks (RoBERTa's finding).
type DynamicMasker struct {
	Prob      float64
	MaskID    int
	VocabSize int
	// Unmaskable lists ids never chosen: [CLS], [SEP], [PAD] and other specials.
	Unmaskable []int

	rng *rand.Rand
}

// NewDynamicMasker returns a masker with HF's defaults (15%) and its own seeded
// random source.
func NewDynamicMasker(maskID, vocabSize int, unmaskable []int, seed uint64) *DynamicMasker {
	return &DynamicMasker{Prob: 0.15, MaskID: maskID, VocabSize: vocabSize, Unmaskable: unmaskable, rng: newRand(seed)}
}

// Mask returns the model's inputs and the labels for one sequence: labels hold
// the original id at chosen positions and IgnoreLabel elsewhere.
func (m *DynamicMasker) Mask(ids []int) (inputs, labels []int) {
	special := map[int]bool{}
	for _, id := range m.Unmaskable {
		special[id] = true
	}
	inputs = append([]int(nil), ids...)
	labels = make([]int, len(ids))
	for i, id := range ids {
		labels[i] = IgnoreLabel
		if special[id] || m.rng.Float64() >= m.Prob {
			continue
		}
		labels[i] = id
		switch {
		case m.rng.Float64() < 0.8:
			inputs[i] = m.MaskID
		case m.rng.Float64() < 0.5:
			inputs[i] = m.rng.IntN(m.VocabSize)
		}
	}
	return inputs, labels
}
