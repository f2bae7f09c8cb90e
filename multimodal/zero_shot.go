package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// ZeroShot classifies each media item by the most similar of the prompts
// (one per class, or several per class with promptClass mapping a prompt to
// its class): no classifier is trained, the captions are the classifier.
// It returns the predicted class of every item.
func ZeroShot(m *DualEncoder, patches *autograd.Tensor, prompts []string, promptClass []int) ([]int, error) {
	if promptClass != nil && len(promptClass) != len(prompts) {
		return nil, fmt.Errorf("multimodal.ZeroShot: %d prompts but %d prompt classes", len(prompts), len(promptClass))
	}
	sim, err := m.Similarity(patches, prompts)
	if err != nil {
		return nil, err
	}
	n, p := sim.Size(0), sim.Size(1)
	data := sim.Contiguous().Data()
	pred := make([]int, n)
	for i := range pred {
		best := TopK(data[i*p:(i+1)*p], 1)[0]
		pred[i] = best
		if promptClass != nil {
			pred[i] = promptClass[best]
		}
	}
	return pred, nil
}

// PairwiseWins is the hard-negative test: the fraction of items i for
// which the model finds positives[i] more similar to item i than
// negatives[i] (e.g. the true caption against the relation swapped one).
// 0.5 is chance.
func PairwiseWins(m *DualEncoder, patches *autograd.Tensor, positives, negatives []string) (float64, error) {
	n := patches.Size(0)
	if len(positives) != n || len(negatives) != n {
		return 0, fmt.Errorf("multimodal.PairwiseWins: %d items, %d positives, %d negatives", n, len(positives), len(negatives))
	}
	a, err := m.EmbedAllMedia(patches)
	if err != nil {
		return 0, err
	}
	p, err := m.EmbedAllText(positives)
	if err != nil {
		return 0, err
	}
	q, err := m.EmbedAllText(negatives)
	if err != nil {
		return 0, err
	}
	var sp, sq []float32
	autograd.NoGrad(func() {
		sp = a.Mul(p).Sum(1).Data()
		sq = a.Mul(q).Sum(1).Data()
	})
	wins := 0
	for i := range sp {
		if sp[i] > sq[i] {
			wins++
		}
	}
	return float64(wins) / float64(n), nil
}

// Answer predicts the answer to each question about patches[i] (the
// fusion model's evaluation), without gradients.
func (f *FusionModel) Answer(patches *autograd.Tensor, questions []string) ([]string, error) {
	var out []string
	var err error
	f.SetTraining(false)
	autograd.NoGrad(func() {
		for s := 0; s < len(questions) && err == nil; s += evalChunk {
			e := min(s+evalChunk, len(questions))
			var logits *autograd.Tensor
			logits, err = f.Forward(patches.Narrow(0, s, e-s), questions[s:e])
			if err == nil {
				for _, k := range logits.ArgMax(1) {
					out = append(out, f.Answers[k])
				}
			}
		}
	})
	return out, err
}

// AnswerAccuracy is the fraction of qas the fusion model answers right,
// each about patches[qa.Index].
func (f *FusionModel) AnswerAccuracy(patches *autograd.Tensor, qas []QA) (float64, []string, error) {
	if len(qas) == 0 {
		return 0, nil, fmt.Errorf("multimodal.AnswerAccuracy: no questions")
	}
	idx := make([]int, len(qas))
	for i, q := range qas {
		idx[i] = q.Index
	}
	pred, err := f.Answer(patches.IndexSelect(0, idx), QuestionTexts(qas))
	if err != nil {
		return 0, nil, err
	}
	right := 0
	for i, q := range qas {
		if pred[i] == q.Answer {
			right++
		}
	}
	return float64(right) / float64(len(qas)), pred, nil
}

// Predict is the fusion model's answer to each of qas, each about
// patches[qa.Index].
func (f *FusionModel) Predict(patches *autograd.Tensor, qas []QA) ([]string, error) {
	_, pred, err := f.AnswerAccuracy(patches, qas)
	return pred, err
}

// AccuracyByKind is the fusion model's accuracy on the questions of each
// kind (e.g. "colour", "relation"): the per-skill report card.
func (f *FusionModel) AccuracyByKind(patches *autograd.Tensor, qas []QA, kinds []string) ([]float64, error) {
	out := make([]float64, len(kinds))
	for i, k := range kinds {
		acc, _, err := f.AnswerAccuracy(patches, FilterQA(qas, k))
		if err != nil {
			return nil, fmt.Errorf("%s questions: %w", k, err)
		}
		out[i] = acc
	}
	return out, nil
}
