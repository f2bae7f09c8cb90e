package recipes

import (
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/train"
)

// tinyGPTRecipe is the course recipe scaled down to run in a test.
func tinyGPTRecipe() CourseGPTRecipe {
	r := DefaultCourseGPTRecipe
	r.World = data.SmallWorldOptions{Seed: 1, Countries: 3, PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 2, Reviews: 20}
	r.VocabSize, r.BlockSize, r.Embd, r.Layers, r.Heads, r.Steps, r.BatchSize, r.WarmupSteps = 300, 32, 16, 1, 2, 30, 8, 3
	return r
}

// The recipe's documents end with <|endoftext|>, every tenth is held out, and
// a short run lowers the held-out loss.
func TestCourseGPTRecipeTrains(t *testing.T) {
	r := tinyGPTRecipe()
	tok, trainDocs, devDocs, err := r.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	eos, _ := tok.TokenToID("<|endoftext|>")
	if eos != 0 || len(devDocs) == 0 || len(trainDocs) < 8*len(devDocs) {
		t.Fatalf("eos id %d, %d training and %d held-out documents", eos, len(trainDocs), len(devDocs))
	}
	for _, d := range append(trainDocs, devDocs...) {
		if d[len(d)-1] != eos {
			t.Fatalf("a document ends with %d, not <|endoftext|>", d[len(d)-1])
		}
	}
	c, err := r.GPTConfig(tok)
	if err != nil {
		t.Fatal(err)
	}
	m, err := gpt2.NewLMHeadModel(c, autograd.NewRNG(r.Seed))
	if err != nil {
		t.Fatal(err)
	}
	task, err := train.NewCausalLMTask(m, trainDocs, devDocs, r.BlockSize)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	before, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	trained, _, h, err := r.Train(true)
	if err != nil {
		t.Fatal(err)
	}
	task.Model = trained
	after, err := task.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Steps) != r.Steps || !(after["loss"] < before["loss"]-0.5) {
		t.Fatalf("%d steps; held-out loss %.3f before, %.3f after", len(h.Steps), before["loss"], after["loss"])
	}
}

// LoadOrTrainGPT trains and saves once, then loads the same weights and
// tokenizer; a recipe of another shape trains again.
func TestLoadOrTrainGPTSavesThenReuses(t *testing.T) {
	r := tinyGPTRecipe()
	r.Steps = 3
	dir := filepath.Join(t.TempDir(), "course-gpt")
	first, tok, err := LoadOrTrainGPT(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	second, tok2, err := LoadOrTrainGPT(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	text := "The capital of France is Paris."
	ids, ids2 := tok.EncodeIDs(text), tok2.EncodeIDs(text)
	if len(ids) != len(ids2) {
		t.Fatalf("tokenizer: %v saved, %v loaded", ids, ids2)
	}
	for i := range ids {
		if ids[i] != ids2[i] {
			t.Fatalf("tokenizer: %v saved, %v loaded", ids, ids2)
		}
	}
	in, err := gpt2.NewInputs([][]int{ids}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := first.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := second.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	x, y := a.Logits.Data(), b.Logits.Data()
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("logit %d: %v before saving, %v loaded", i, x[i], y[i])
		}
	}
	wider := r
	wider.Embd = 32
	third, _, err := LoadOrTrainGPT(dir, wider)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Transformer.Config.NEmbd; got != 32 {
		t.Fatalf("a recipe of width 32 got the saved model of width %d", got)
	}
}
