package train

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
)

// TestResponseLMTaskLossCoversTheResponse checks instruction tuning's loss on
// a tiny fresh GPT-2: positive, refusing an example longer than the model's
// positions, and falling by half when the model learns two pairs.
func TestResponseLMTaskLossCoversTheResponse(t *testing.T) {
	c := gpt2.DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 16, 16, 16, 1, 2
	eos := 15
	c.BosTokenID, c.EosTokenID = &eos, &eos
	m, err := gpt2.NewLMHeadModel(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewResponseLMTask(m, [][]int{{1, 2}, {3}}, [][]int{{4, 0}, {5, 6, 0}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := task.Loss([]int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewResponseLMTask(m, [][]int{{1}}, [][]int{make([]int, 16)}, 0); err == nil {
		t.Error("an example longer than n_positions accepted")
	}
	if l := loss.Item(); !(l > 0) {
		t.Errorf("loss %v, want positive", l)
	}
	h, err := task.Trainer(m, Config{MaxSteps: 30, BatchSize: 2, LearningRate: 1e-2, Quiet: true}).Train()
	if err != nil {
		t.Fatal(err)
	}
	if ls := h.Losses(); ls[len(ls)-1] >= ls[0]/2 {
		t.Errorf("the response loss did not halve on two examples: %v -> %v", ls[0], ls[len(ls)-1])
	}
}
