package recipes

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
