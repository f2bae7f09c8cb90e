package interpret

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/tokenizer"
)

func TestFewShotPrompt(t *testing.T) {
	demos := []RelationPair{{"Gechath Ruzan", "Luxor"}, {"Ilsa Varn", "Lima"}}
	got, err := FewShotPrompt("{subject} was born in {object}.", demos, "Oda Pell")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Gechath Ruzan was born in Luxor. Ilsa Varn was born in Lima. Oda Pell was born in"; got != want {
		t.Errorf("prompt %q, want %q", got, want)
	}
	if zero, _ := FewShotPrompt("{subject} was born in {object}.", nil, "Oda Pell"); zero != "Oda Pell was born in" {
		t.Errorf("zero-shot prompt %q", zero)
	}
	if _, err := FewShotPrompt("{subject} was born", nil, "x"); err == nil || !strings.Contains(err.Error(), "{object}") {
		t.Errorf("a template without {object} gave %v", err)
	}
}

// tinyGPT is an untrained GPT-2 over a BPE vocabulary of a few sentences.
func tinyGPT(t *testing.T) (*gpt2.LMHeadModel, *tokenizer.GPT2) {
	t.Helper()
	tok, err := tokenizer.TrainBPE([]string{"Ana was born in Lima.", "Bo was born in Rome.", "Cy was born in Oslo.", "Di was born in Kyoto."},
		tokenizer.BPETrainerConfig{VocabSize: 300, SpecialTokens: []string{tokenizer.EndOfText}})
	if err != nil {
		t.Fatal(err)
	}
	c := gpt2.DefaultConfig()
	c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead = tok.Len(), 64, 16, 2, 2
	eos, _ := tok.TokenToID(tokenizer.EndOfText)
	c.BosTokenID, c.EosTokenID = &eos, &eos
	m, err := gpt2.NewLMHeadModel(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	return m, tok
}

func TestInContextAccuracy(t *testing.T) {
	m, tok := tinyGPT(t)
	pool := []RelationPair{{"Ana", "Lima"}, {"Bo", "Rome"}, {"Cy", "Oslo"}, {"Di", "Kyoto"}}
	run, err := InContextAccuracy(m, tok, "{subject} was born in {object}.", tokenizer.EndOfText, pool, 2, []uint64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if run.K != 2 || len(run.Accuracy) != 3 {
		t.Fatalf("run %+v, want k 2 and 3 seeds", run)
	}
	for _, a := range run.Accuracy {
		if a < 0 || a > 1 {
			t.Errorf("accuracy %v outside [0, 1]", a)
		}
	}
	if _, err := InContextAccuracy(m, tok, "{subject} was born in {object}.", "", pool, 4, []uint64{1}); err == nil {
		t.Error("k = pool size accepted")
	}
}

func TestRepeatedTokens(t *testing.T) {
	m, tok := tinyGPT(t)
	vocab := make([]int, 0, tok.Len())
	for id := 0; id < tok.Len(); id++ {
		if !tok.IsSpecial(id) {
			vocab = append(vocab, id)
		}
	}
	eos, _ := tok.TokenToID(tokenizer.EndOfText)
	res, err := RepeatedTokens(m, vocab, []int{eos}, 10, 4, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tokens) != 4 || len(res.Tokens[3]) != 10 || len(res.PositionLoss) != 19 || len(res.HeadScores) != 2 || len(res.HeadScores[0]) != 2 {
		t.Fatalf("%d position losses, %d×%d head scores; want 19, 2×2", len(res.PositionLoss), len(res.HeadScores), len(res.HeadScores[0]))
	}
	// An untrained model is near uniform: about log(vocab) nats on both copies.
	for _, l := range []float64{res.FirstLoss, res.SecondLoss} {
		if math.Abs(l-math.Log(float64(tok.Len()))) > 0.5 {
			t.Errorf("untrained loss %.3f, want about log V = %.3f", l, math.Log(float64(tok.Len())))
		}
	}
	for _, row := range res.HeadScores {
		for _, s := range row {
			if s < 0 || s > 1 {
				t.Errorf("head score %v outside [0, 1]", s)
			}
		}
	}
	again, _ := RepeatedTokens(m, vocab, []int{eos}, 10, 4, 7)
	if again.SecondLoss != res.SecondLoss {
		t.Error("RepeatedTokens is not deterministic for a seed")
	}
	if _, err := RepeatedTokens(m, vocab, nil, 40, 1, 1); err == nil {
		t.Error("a sequence longer than n_positions accepted")
	}
}
