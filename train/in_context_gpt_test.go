package train

import (
	"testing"

	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

func TestInContextGPTRecipeTrainsAndReloads(t *testing.T) {
	r := InContextGPTRecipe{World: data.SmallWorldOptions{Seed: 1, Countries: 2}, Lists: 40, PerList: 4, Repeat: 0.5,
		VocabSize: 300, BlockSize: 32, Embd: 16, Layers: 1, Heads: 2, Steps: 20, BatchSize: 4, LearningRate: 1e-2, Seed: 1}
	dir := t.TempDir()
	m, tok, err := LoadOrTrainInContextGPT(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	again, tok2, err := LoadOrTrainInContextGPT(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	prompt := tok.EncodeIDs("Gechath: Luxor.")
	if got := tok2.EncodeIDs("Gechath: Luxor."); len(got) != len(prompt) {
		t.Fatalf("the reloaded tokenizer encodes differently: %v vs %v", got, prompt)
	}
	eos, _ := tok.TokenToID(tokenizer.EndOfText)
	a, err := m.Generate([][]int{append([]int{eos}, prompt...)}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := again.Generate([][]int{append([]int{eos}, prompt...)}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Sequences[0] {
		if a.Sequences[0][i] != b.Sequences[0][i] {
			t.Fatalf("the reloaded model generates %v, the trained one %v", b.Sequences[0], a.Sequences[0])
		}
	}
}

func TestResponseLMTaskLossCoversTheResponse(t *testing.T) {
	r := InContextGPTRecipe{World: data.SmallWorldOptions{Seed: 1, Countries: 2}, Lists: 10, PerList: 3,
		VocabSize: 280, BlockSize: 16, Embd: 16, Layers: 1, Heads: 2, Steps: 1, BatchSize: 2, LearningRate: 1e-3, Seed: 1}
	m, _, _, err := r.Train(true)
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
