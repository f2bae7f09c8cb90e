package gpt2

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestLogitsProcessorsMatchReference runs every processor case of the
// reference (each processor alone with several settings, and HF's pipeline
// order) on the same fixed logits and wants torch's float32 values bit for bit.
func TestLogitsProcessorsMatchReference(t *testing.T) {
	ref := loadGenerationRef(t)
	logits := ref.tensor(t, "proc.logits")
	inputIDs := ref.ids(t, "proc.input_ids")
	if len(ref.Processors) < 15 {
		t.Fatalf("only %d processor cases in the reference", len(ref.Processors))
	}
	for _, c := range ref.Processors {
		t.Run(c.Name, func(t *testing.T) {
			num := func(key string, def float64) float64 {
				if v, ok := c.Params[key].(float64); ok {
					return v
				}
				return def
			}
			var p LogitsProcessor
			switch c.Kind {
			case "repetition_penalty":
				p = RepetitionPenalty{Penalty: num("penalty", 0)}
			case "temperature":
				p = Temperature{Temperature: num("temperature", 0)}
			case "top_k":
				p = TopK{K: int(num("top_k", 0)), MinTokensToKeep: int(num("min_tokens_to_keep", 1))}
			case "top_p":
				p = TopP{P: num("top_p", 0), MinTokensToKeep: int(num("min_tokens_to_keep", 1))}
			case "pipeline":
				p = configFromRef(t, c.Params).LogitsProcessors()
			default:
				t.Fatalf("unknown kind %q", c.Kind)
			}
			before := append([]float32(nil), logits.Data()...)
			got, err := p.Process(inputIDs, logits)
			if err != nil {
				t.Fatal(err)
			}
			assertSameScores(t, c.Name, got, ref.tensor(t, "proc."+c.Name))
			for i, v := range logits.Data() {
				if math.Float32bits(v) != math.Float32bits(before[i]) {
					t.Fatalf("Process changed its input at %d", i)
				}
			}
		})
	}
}

// TestPipelineOrder checks the processors a config yields and their order:
// repetition penalty, then temperature, top-k and top-p, the warpers only
// when sampling, each only when it does something.
func TestPipelineOrder(t *testing.T) {
	c := DefaultGenerationConfig()
	c.DoSample, c.RepetitionPenalty, c.Temperature, c.TopK, c.TopP = true, 1.2, 0.7, 5, 0.9
	got := c.LogitsProcessors()
	want := LogitsProcessorList{RepetitionPenalty{1.2}, Temperature{0.7}, TopK{K: 5}, TopP{P: 0.9}}
	if len(got) != len(want) {
		t.Fatalf("processors %#v, want %#v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("processor %d is %#v, want %#v", i, got[i], want[i])
		}
	}
	c.DoSample = false
	if got := c.LogitsProcessors(); len(got) != 1 || got[0] != (RepetitionPenalty{1.2}) {
		t.Fatalf("greedy processors %#v, want the repetition penalty only", got)
	}
	if got := DefaultGenerationConfig().LogitsProcessors(); len(got) != 0 {
		t.Fatalf("default greedy config has processors %#v", got)
	}
	sampling := DefaultGenerationConfig()
	sampling.DoSample = true
	if got := sampling.LogitsProcessors(); len(got) != 1 || got[0] != (TopK{K: 50}) {
		t.Fatalf("default sampling processors %#v, want HF's top_k 50 only", got)
	}

	// The order matters: top-k before temperature would be the same, but a
	// penalty after top-p would revive nothing and rescale the survivors.
	scores := autograd.New([]float32{2, 1, 0.5, -1}, 1, 4)
	ids := [][]int{{0, 3}}
	inOrder, err := LogitsProcessorList{RepetitionPenalty{2}, TopP{P: 0.5}}.Process(ids, scores)
	if err != nil {
		t.Fatal(err)
	}
	reversed, err := LogitsProcessorList{TopP{P: 0.5}, RepetitionPenalty{2}}.Process(ids, scores)
	if err != nil {
		t.Fatal(err)
	}
	if inOrder.At(0, 0) == reversed.At(0, 0) && inOrder.At(0, 1) == reversed.At(0, 1) {
		t.Fatalf("penalty then top-p %v equals top-p then penalty %v", inOrder.Data(), reversed.Data())
	}
}

func row(values ...float32) *autograd.Tensor { return autograd.New(values, 1, len(values)) }

func isInf(v float32) bool { return math.IsInf(float64(v), -1) }

// kept lists the indices that a filter left finite.
func kept(t *testing.T, out *autograd.Tensor) []int {
	t.Helper()
	var idx []int
	for i, v := range out.Data() {
		if !isInf(v) {
			idx = append(idx, i)
		}
	}
	return idx
}

func TestTopKEdgeCases(t *testing.T) {
	cases := []struct {
		name   string
		filter TopK
		scores *autograd.Tensor
		want   []int
	}{
		{"ties at the k-th value all stay", TopK{K: 2}, row(1, 3, 2, 2, 2, 0), []int{1, 2, 3, 4}},
		{"k beyond the vocabulary keeps all", TopK{K: 10}, row(1, 3, 2), []int{0, 1, 2}},
		{"min_tokens_to_keep raises k", TopK{K: 1, MinTokensToKeep: 3}, row(5, 4, 3, 2, 1), []int{0, 1, 2}},
		{"min_tokens_to_keep 0 means 1", TopK{K: 1}, row(1, 5, 3), []int{1}},
		{"already removed tokens stay removed", TopK{K: 3}, row(float32(math.Inf(-1)), 1, float32(math.Inf(-1)), 2), []int{1, 3}},
	}
	for _, c := range cases {
		out, err := c.filter.Process(nil, c.scores)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := kept(t, out); !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.want)
		}
		for _, i := range c.want {
			if out.At(0, i) != c.scores.At(0, i) {
				t.Errorf("%s: kept score %d changed from %v to %v", c.name, i, c.scores.At(0, i), out.At(0, i))
			}
		}
	}
	if _, err := (TopK{K: 0}).Process(nil, row(1, 2)); err == nil || !strings.Contains(err.Error(), "top_k") {
		t.Errorf("top_k 0: error %v, want one naming top_k", err)
	}
}

func TestTopPEdgeCases(t *testing.T) {
	// probabilities 0.5, 0.25, 0.125, 0.125 (ln-spaced logits)
	quarter := row(float32(math.Log(0.5)), float32(math.Log(0.25)), float32(math.Log(0.125)), float32(math.Log(0.125)))
	cases := []struct {
		name   string
		filter TopP
		scores *autograd.Tensor
		want   []int
	}{
		{"smallest set reaching p", TopP{P: 0.7}, quarter, []int{0, 1}},
		{"a set exactly at p is enough", TopP{P: 0.75}, quarter, []int{0, 1}},
		{"p = 1 keeps every token", TopP{P: 1}, quarter, []int{0, 1, 2, 3}},
		{"p = 0 keeps the most likely", TopP{P: 0}, quarter, []int{0}},
		// Of the tied 0.125s the later index sorts higher, so it is the one kept.
		{"min_tokens_to_keep", TopP{P: 0.1, MinTokensToKeep: 3}, quarter, []int{0, 1, 3}},
		// The tied 0.125s straddle the cut at p = 0.8: stable order removes the lower index.
		{"ties are sorted stably", TopP{P: 0.8}, quarter, []int{0, 1, 3}},
		{"one token", TopP{P: 0.5}, row(3), []int{0}},
	}
	for _, c := range cases {
		out, err := c.filter.Process(nil, c.scores)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := kept(t, out); !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.want)
		}
	}
	// top_p = 1 changes nothing at all on finite scores.
	scores := autograd.RandN(autograd.NewRNG(3), 4, 50)
	out, err := TopP{P: 1}.Process(nil, scores)
	if err != nil {
		t.Fatal(err)
	}
	assertSameScores(t, "top_p 1", out, scores)
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := (TopP{P: bad}).Process(nil, quarter); err == nil {
			t.Errorf("top_p %v accepted", bad)
		}
	}
}

func TestRepetitionPenaltyOncePerToken(t *testing.T) {
	scores := autograd.New([]float32{4, -4, 1, 0, 4, -4, 1, 0}, 2, 4)
	out, err := RepetitionPenalty{Penalty: 2}.Process([][]int{{0, 0, 0, 1}, {3}}, scores)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{2, -8, 1, 0, 4, -4, 1, 0}
	for i, w := range want {
		if out.Data()[i] != w {
			t.Fatalf("penalized %v, want %v", out.Data(), want)
		}
	}
	if _, err := (RepetitionPenalty{Penalty: 2}).Process([][]int{{7}, {0}}, scores); err == nil {
		t.Error("an id outside the vocabulary was accepted")
	}
	if _, err := (RepetitionPenalty{Penalty: 2}).Process([][]int{{0}}, scores); err == nil {
		t.Error("one sequence for two rows was accepted")
	}
	if _, err := (Temperature{}).Process(nil, scores); err == nil {
		t.Error("temperature 0 was accepted")
	}
	if _, err := (Temperature{Temperature: 1}).Process(nil, autograd.Zeros(4)); err == nil {
		t.Error("a 1-D score tensor was accepted")
	}
}
