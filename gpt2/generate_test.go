package gpt2

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// refModel loads the gpt2-ref-small checkpoint (model, generation config,
// tokenizer) and its expected.safetensors.
func refModel(t testing.TB) (*LMHeadModel, *Checkpoint, *safetensors.File) {
	t.Helper()
	dir := testref.GPT2RefDir(t)
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := ck.LMHeadModel(autograd.NewRNG(0), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	expected, err := safetensors.Open(filepath.Join(dir, "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	return m, ck, expected
}

func int64Row(t testing.TB, f *safetensors.File, name string) []int {
	t.Helper()
	values, _, err := f.Int64(name)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int, len(values))
	for i, v := range values {
		out[i] = int(v)
	}
	return out
}

// assertClose compares float32 values with the reference folder's logits
// tolerance, |got − want| ≤ 1e-4 + 1e-4·|want| (-inf only against -inf).
func assertClose(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := float64(got[i]), float64(want[i])
		if math.IsInf(w, 0) || math.IsInf(g, 0) {
			if g != w {
				t.Fatalf("%s[%d] = %v, want %v", what, i, g, w)
			}
			continue
		}
		if math.Abs(g-w) > 1e-4+1e-4*math.Abs(w) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, g, w)
		}
	}
}

// TestGreedyContinuationMatchesReference is the reference folder's greedy
// generate(): the same 12 tokens, and every step's logits.
func TestGreedyContinuationMatchesReference(t *testing.T) {
	m, ck, expected := refModel(t)
	cfg := ck.Generation
	cfg.MaxNewTokens = 12
	prompt := int64Row(t, expected, "gen_input_ids")
	out, err := m.Generate([][]int{prompt}, cfg, &GenerateOptions{OutputLogits: true})
	if err != nil {
		t.Fatal(err)
	}
	want := int64Row(t, expected, "gen_output_ids")
	if !slices.Equal(out.Sequences[0], want) {
		t.Fatalf("greedy continuation %v, want %v", out.Sequences[0], want)
	}
	stepLogits, _, err := expected.Float32("gen_step_logits")
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Logits) != 12 {
		t.Fatalf("%d steps of logits, want 12", len(out.Logits))
	}
	vocab := m.Transformer.Config.VocabSize
	for s, l := range out.Logits {
		assertClose(t, "gen_step_logits", l.Data(), stepLogits[s*vocab:(s+1)*vocab])
	}
}

// TestBatchedGenerationMatchesReference runs the reference's left-padded
// batches (greedy; EOS lists with a pad token; EOS with the default pad; a
// repetition penalty) and wants the same sequences and the same processed
// scores at every step, and each prompt generated alone gives its row.
func TestBatchedGenerationMatchesReference(t *testing.T) {
	m, _, _ := refModel(t)
	ref := loadGenerationRef(t)
	if len(ref.Generation) < 4 {
		t.Fatalf("only %d generation cases in the reference", len(ref.Generation))
	}
	for _, c := range ref.Generation {
		t.Run(c.Name, func(t *testing.T) {
			cfg := configFromRef(t, c.Config)
			// The reference pads with <|endoftext|> whatever the pad token
			// (the tokenizer's padding, not generate()'s).
			ids, mask := LeftPad(c.Prompts, 519)
			out, err := m.GeneratePadded(ids, mask, cfg, &GenerateOptions{OutputScores: true})
			if err != nil {
				t.Fatal(err)
			}
			for b := range c.Sequences {
				if !slices.Equal(out.Sequences[b], c.Sequences[b]) {
					t.Fatalf("row %d: %v, want %v", b, out.Sequences[b], c.Sequences[b])
				}
			}
			want := ref.tensor(t, c.Scores)
			if len(out.Scores) != want.Size(0) {
				t.Fatalf("%d steps of scores, want %d", len(out.Scores), want.Size(0))
			}
			per := want.Size(1) * want.Size(2)
			for s, got := range out.Scores {
				assertClose(t, "scores", got.Data(), want.Data()[s*per:(s+1)*per])
			}
			for b, p := range c.Prompts {
				alone, err := m.Generate([][]int{p}, cfg, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(alone.Sequences[0], c.Alone[b]) {
					t.Fatalf("prompt %d alone: %v, want %v", b, alone.Sequences[0], c.Alone[b])
				}
			}
		})
	}
}

// TestLeftPaddedBatchEqualsEachPromptAlone checks the batch against the
// prompts run one by one in Go (not only against the reference): the new
// tokens of every row are the ones that prompt gets by itself.
func TestLeftPaddedBatchEqualsEachPromptAlone(t *testing.T) {
	m, _, _ := refModel(t)
	prompts := [][]int{{7, 300, 12}, {441, 297, 367, 0, 380, 287, 288, 390, 13}, {54}}
	cfg := DefaultGenerationConfig()
	cfg.MaxNewTokens = 9
	cfg.EOSTokenID = []int{519}
	batch, err := m.Generate(prompts, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for b, p := range prompts {
		alone, err := m.Generate([][]int{p}, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := batch.NewTokens(b), alone.NewTokens(0); !slices.Equal(got, want) {
			t.Fatalf("row %d in the batch generated %v, alone %v", b, got, want)
		}
		pad := len(batch.Sequences[b]) - len(p) - len(alone.NewTokens(0))
		for i := 0; i < pad; i++ {
			if batch.Sequences[b][i] != 519 {
				t.Fatalf("row %d is not left-padded with 519: %v", b, batch.Sequences[b])
			}
		}
	}
}

// TestCacheEqualsFullRecompute generates with the KV cache (one new token per
// step) and without it (the whole sequence every step): same tokens, same
// logits within float32 noise, for a left-padded batch.
func TestCacheEqualsFullRecompute(t *testing.T) {
	m, _, _ := refModel(t)
	prompts := [][]int{{394, 338, 414, 480, 258, 358, 259, 287}, {54, 264, 67}}
	cfg := DefaultGenerationConfig()
	cfg.MaxNewTokens = 15
	cfg.EOSTokenID = []int{519}
	cfg.RepetitionPenalty = 1.2
	cached, err := m.Generate(prompts, cfg, &GenerateOptions{OutputLogits: true})
	if err != nil {
		t.Fatal(err)
	}
	full, err := m.Generate(prompts, cfg, &GenerateOptions{OutputLogits: true, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for b := range prompts {
		if !slices.Equal(cached.Sequences[b], full.Sequences[b]) {
			t.Fatalf("row %d: cached %v, recomputed %v", b, cached.Sequences[b], full.Sequences[b])
		}
	}
	for s := range cached.Logits {
		assertClose(t, "step logits", cached.Logits[s].Data(), full.Logits[s].Data())
	}
}

// TestEOSStopsAndPads checks the stopping rules by themselves: a row that
// produced an EOS token gets the pad token from then on, generation goes on
// while any row is unfinished and stops as soon as none is.
func TestEOSStopsAndPads(t *testing.T) {
	m, _, _ := refModel(t)
	prompts := [][]int{{394, 338, 414, 480, 258, 358, 259, 287}, {54, 264, 67, 82, 315, 418}}
	// Alone, row 0 continues 131 131 281 ..., row 1 continues 471 471 92 ...
	cfg := DefaultGenerationConfig()
	cfg.MaxNewTokens = 10
	cfg.EOSTokenID = []int{281, 92}
	pad := 5
	cfg.PadTokenID = &pad
	out, err := m.Generate(prompts, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.NewTokens(0), []int{131, 131, 281}; !slices.Equal(got, want) {
		t.Fatalf("row 0 generated %v, want %v (stop at 281 when row 1 stops)", got, want)
	}
	if got, want := out.NewTokens(1), []int{471, 471, 92}; !slices.Equal(got, want) {
		t.Fatalf("row 1 generated %v, want %v", got, want)
	}
	// With 92 alone, row 1 ends at step 3 and is padded while row 0 goes
	// on to its own 92 at step 8; then both are done, before max_new_tokens.
	cfg.EOSTokenID = []int{92}
	out, err = m.Generate(prompts, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.NewTokens(0), []int{131, 131, 281, 281, 281, 281, 281, 92}; !slices.Equal(got, want) {
		t.Fatalf("row 0 generated %v, want %v", got, want)
	}
	if got, want := out.NewTokens(1), []int{471, 471, 92, 5, 5, 5, 5, 5}; !slices.Equal(got, want) {
		t.Fatalf("row 1 generated %v, want %v", got, want)
	}
	// max_length counts the prompt (here the padded width 8).
	cfg.MaxNewTokens, cfg.MaxLength = 0, 11
	if out, err = m.Generate(prompts, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if len(out.Sequences[0]) != 11 {
		t.Fatalf("max_length 11 gave %d tokens", len(out.Sequences[0]))
	}
}

func TestGenerateErrors(t *testing.T) {
	m, _, _ := refModel(t)
	base := DefaultGenerationConfig()
	base.MaxNewTokens = 3
	plain := func() *GenerationConfig { c := *base; return &c }
	with := func(change func(c *GenerationConfig)) func() *GenerationConfig {
		return func() *GenerationConfig { c := plain(); change(c); return c }
	}
	cases := []struct {
		name    string
		prompts [][]int
		cfg     func() *GenerationConfig
		opts    *GenerateOptions
		want    string
	}{
		{"ragged without pad", [][]int{{1, 2}, {3}}, plain, nil, "padding"},
		{"empty prompt", [][]int{{}}, plain, nil, "empty"},
		{"sampling without rng", [][]int{{1}}, with(func(c *GenerationConfig) { c.DoSample = true }), nil, "RNG"},
		{"streamer with a batch", [][]int{{1}, {2}}, plain, &GenerateOptions{Streamer: NewTextStreamer(nil, false, func(string, bool) {})}, "streamer"},
		{"past n_positions", [][]int{{1}}, with(func(c *GenerationConfig) { c.MaxNewTokens = 64 }), nil, "n_positions"},
		{"prompt at max_length", [][]int{make([]int, 20)}, with(func(c *GenerationConfig) { c.MaxNewTokens = 0 }), nil, "max_length"},
		{"token outside the vocabulary", [][]int{{600}}, plain, nil, "vocabulary"},
		{"beam search", [][]int{{1}}, with(func(c *GenerationConfig) { c.NumBeams = 2 }), nil, "beam"},
		{"a processor HF would apply", [][]int{{1}}, with(func(c *GenerationConfig) {
			c.Extra = map[string]json.RawMessage{"no_repeat_ngram_size": json.RawMessage("3"), "transformers_version": json.RawMessage(`"4.44.2"`)}
		}), nil, "no_repeat_ngram_size=3"},
	}
	for _, c := range cases {
		_, err := m.Generate(c.prompts, c.cfg(), c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	// Settings at HF's defaults, and keys that do not change tokens, pass.
	ok := plain()
	ok.Extra = map[string]json.RawMessage{"typical_p": json.RawMessage("1"), "min_length": json.RawMessage("0"),
		"_from_model_config": json.RawMessage("true"), "use_cache": json.RawMessage("true")}
	if _, err := m.Generate([][]int{{1}}, ok, nil); err != nil {
		t.Errorf("default-valued settings refused: %v", err)
	}
}

// TestNilConfigIsTheModelConfigs checks that without a generation config the
// model config's special tokens apply, as HF's model.generation_config: here
// eos 519 = pad, so ragged prompts are padded with 519 and the continuation
// is the reference's greedy one (max_length 20).
func TestNilConfigIsTheModelConfigs(t *testing.T) {
	m, _, expected := refModel(t)
	out, err := m.Generate([][]int{int64Row(t, expected, "gen_input_ids"), {54}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.Sequences[0], int64Row(t, expected, "gen_output_ids"); !slices.Equal(got, want) {
		t.Fatalf("nil config generated %v, want %v", got, want)
	}
	if out.Sequences[1][0] != 519 {
		t.Fatalf("row 1 %v is not padded with eos 519", out.Sequences[1])
	}
}

// TestSeededSamplingIsReproducible samples twice with the same seed (same
// tokens) and once with another (other tokens), and checks that every
// sampled token survived top-k/top-p (its processed score is finite).
func TestSeededSamplingIsReproducible(t *testing.T) {
	m, _, _ := refModel(t)
	cfg := DefaultGenerationConfig()
	cfg.DoSample, cfg.MaxNewTokens, cfg.Temperature, cfg.TopK, cfg.TopP = true, 20, 1.5, 40, 0.9
	pad := 519
	cfg.PadTokenID = &pad
	prompts := [][]int{{394, 338, 414}, {54, 264, 67, 82}}
	run := func(seed uint64) *GenerateOutput {
		out, err := m.Generate(prompts, cfg, &GenerateOptions{RNG: autograd.NewRNG(seed), OutputScores: true})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	same := true
	for r := range prompts {
		if !slices.Equal(a.Sequences[r], b.Sequences[r]) {
			t.Fatalf("seed 7 gave %v, then %v", a.Sequences[r], b.Sequences[r])
		}
		same = same && slices.Equal(a.Sequences[r], c.Sequences[r])
		for s, scores := range a.Scores {
			tok := a.NewTokens(r)[s]
			if v := scores.At(r, tok); math.IsInf(float64(v), -1) {
				t.Fatalf("row %d step %d sampled token %d, which top-k/top-p removed", r, s, tok)
			}
		}
	}
	if same {
		t.Fatalf("seeds 7 and 8 sampled the same 40 tokens")
	}
}

// interruptAfter is a streamer that presses the stop button once it has
// received n generated tokens.
type interruptAfter struct {
	n, seen int
	ended   bool
}

func (s *interruptAfter) Put(ids []int) error {
	if s.seen++; s.seen == s.n+1 { // the first Put is the prompt
		display.Interrupt()
	}
	return nil
}

func (s *interruptAfter) End() error { s.ended = true; return nil }

// TestInterruptReturnsPartialOutput presses the stop button after 4 tokens:
// generation ends at the next step, returns the 4 tokens (the reference's
// first 4) with Interrupted set and an error that is display.ErrInterrupted,
// and the streamer is ended.
func TestInterruptReturnsPartialOutput(t *testing.T) {
	m, ck, expected := refModel(t)
	display.BeginRun()
	t.Cleanup(func() { display.BeginRun() })
	cfg := ck.Generation
	cfg.MaxNewTokens = 12
	s := &interruptAfter{n: 4}
	out, err := m.Generate([][]int{int64Row(t, expected, "gen_input_ids")}, cfg, &GenerateOptions{Streamer: s})
	if !errors.Is(err, display.ErrInterrupted) {
		t.Fatalf("error %v, want display.ErrInterrupted", err)
	}
	if out == nil || !out.Interrupted {
		t.Fatalf("output %+v, want the partial output marked Interrupted", out)
	}
	if got, want := out.Sequences[0], int64Row(t, expected, "gen_output_ids")[:8+4]; !slices.Equal(got, want) {
		t.Fatalf("partial output %v, want %v", got, want)
	}
	if !s.ended {
		t.Fatal("the streamer was not ended")
	}
}
