package train

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
)

// TestGroupTexts checks run_clm's group_texts: concatenate, cut, drop the rest.
func TestGroupTexts(t *testing.T) {
	blocks, err := GroupTexts([][]int{{1, 2, 3}, {4, 5}, {6, 7, 8, 9}}, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{1, 2, 3, 4}, {5, 6, 7, 8}}
	if len(blocks) != len(want) {
		t.Fatalf("blocks %v, want %v", blocks, want)
	}
	for i := range want {
		for j := range want[i] {
			if blocks[i][j] != want[i][j] {
				t.Fatalf("blocks %v, want %v", blocks, want)
			}
		}
	}
	if _, err := GroupTexts(nil, 0); err == nil {
		t.Error("block size 0 was accepted")
	}
}

// TestCausalLMTaskLearns trains a tiny GPT-2 on a repeating sequence: the
// evaluated loss falls and perplexity is exp(loss).
func TestCausalLMTaskLearns(t *testing.T) {
	c := gpt2.DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = 16, 16, 32, 1, 2
	bos := 15
	c.BosTokenID, c.EosTokenID = &bos, &bos
	m, err := gpt2.NewLMHeadModel(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	var doc []int
	for i := 0; i < 400; i++ {
		doc = append(doc, i%7)
	}
	task, err := NewCausalLMTask(m, [][]int{doc}, [][]int{doc[:64]}, 8)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	before, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	history, err := task.Trainer(Config{Epochs: 10, BatchSize: 8, LearningRate: 1e-2, Schedule: "constant", Quiet: true}).Train()
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	after, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	if !(after["loss"] < before["loss"]/2) || math.Abs(after["perplexity"]-math.Exp(after["loss"])) > 1e-9 {
		t.Fatalf("loss %.3f -> %.3f (perplexity %.3f) after %d steps", before["loss"], after["loss"], after["perplexity"], len(history.Steps))
	}
}
