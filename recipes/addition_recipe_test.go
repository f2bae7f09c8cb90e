package recipes

import (
	"testing"

	"github.com/turinglab/turinglab/data"
)

// tinyAddition is a recipe small enough for a unit test.
func tinyAddition(f data.AdditionFormat) AdditionRecipe {
	return AdditionRecipe{Format: f, TrainDigits: 2, Examples: 64, Embd: 16, Inner: 32, Layers: 1, Heads: 2,
		Steps: 30, BatchSize: 16, LearningRate: 1e-2, Seed: 3}
}

func TestAdditionRecipeTrainsSavesAndSolves(t *testing.T) {
	for _, f := range []data.AdditionFormat{data.AdditionDirect, data.AdditionScratchpad} {
		r := tinyAddition(f)
		if got, want := r.GPTConfig().NPositions, len(data.AdditionProblem{A: 99999, B: 99999, Digits: 5}.Text(f)); got != want {
			t.Errorf("%v: n_positions %d, want %d (the longest 5-digit text)", f, got, want)
		}
		dir := t.TempDir()
		m, err := LoadOrTrainAddition(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := LoadOrTrainAddition(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		for d := 1; d <= r.MaxTestDigits(); d++ {
			ps, _ := data.AdditionProblems(8, d, 5)
			a, err := SolveAddition(m, f, ps)
			if err != nil {
				t.Fatal(err)
			}
			b, err := SolveAddition(loaded, f, ps)
			if err != nil {
				t.Fatal(err)
			}
			for i := range a {
				if a[i].Generated != b[i].Generated {
					t.Fatalf("%v: the reloaded model writes %q, the trained one %q", f, b[i].Generated, a[i].Generated)
				}
				if sum, ok := data.ParseAdditionAnswer(a[i].Generated); a[i].Correct != (ok && sum == ps[i].Sum()) {
					t.Fatalf("%v: %q graded %v", f, a[i].Generated, a[i].Correct)
				}
			}
		}
		other := r
		other.Embd = 32
		if _, err := LoadOrTrainAddition(dir, other); err == nil {
			t.Errorf("%v: a checkpoint of another recipe loaded", f)
		}
	}
}

func TestAdditionLossIsOnTheAnswerOnly(t *testing.T) {
	r := tinyAddition(data.AdditionScratchpad)
	ps, _ := r.TrainingSet()
	if len(ps) != r.Examples {
		t.Fatalf("%d problems, want %d", len(ps), r.Examples)
	}
	counts := map[int]int{}
	for _, p := range ps {
		counts[p.Digits]++
	}
	if counts[1] != 32 || counts[2] != 32 {
		t.Errorf("digit counts %v, want 32 of each", counts)
	}
	_, h, err := r.Train(true)
	if err != nil {
		t.Fatal(err)
	}
	ls := h.Losses()
	if ls[len(ls)-1] >= ls[0] {
		t.Errorf("loss did not fall: %v -> %v", ls[0], ls[len(ls)-1])
	}
}

func TestSolveAdditionRefusesMixedLengths(t *testing.T) {
	m, _, err := tinyAddition(data.AdditionDirect).Train(true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SolveAddition(m, data.AdditionDirect, []data.AdditionProblem{{A: 1, B: 2, Digits: 1}, {A: 10, B: 20, Digits: 2}}); err == nil {
		t.Error("mixed lengths accepted")
	}
}
