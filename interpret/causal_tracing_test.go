package interpret

import (
	"math"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

func TestCausalTraceKnownCells(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyMLM(t, 11)
	enc := encode(t, tok, "paris is the capital of [MASK] .")
	mask := 6
	target, err := MaskedTokenProbability(m, mask, id(t, tok, "france"))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := SubjectPositions(enc, "paris is the capital of [MASK] .", "Paris")
	if err != nil || len(subject) != 1 || subject[0] != 1 {
		t.Fatalf("subject positions %v, %v", subject, err)
	}
	r, err := CausalTrace(target, enc, subject, TraceOptions{Samples: 4, Seed: 1, BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Scores) != 3 || len(r.Scores[0]) != len(enc.IDs) {
		t.Fatalf("grid %dx%d", len(r.Scores), len(r.Scores[0]))
	}
	// Restoring the subject's clean embedding undoes the whole corruption.
	if math.Abs(r.Scores[0][1]-r.Clean) > 1e-6 {
		t.Fatalf("restoring the subject embedding: %v, clean %v", r.Scores[0][1], r.Clean)
	}
	// The MLM head reads only the last state at the mask: restoring it is exact.
	if math.Abs(r.Scores[2][mask]-r.Clean) > 1e-6 {
		t.Fatalf("restoring the last state at [MASK]: %v, clean %v", r.Scores[2][mask], r.Clean)
	}
	// Restoring a state the corruption cannot reach (the embedding of another
	// token) leaves the corrupted score.
	if math.Abs(r.Scores[0][3]-r.Corrupted) > 1e-6 {
		t.Fatalf("restoring an untouched embedding: %v, corrupted %v", r.Scores[0][3], r.Corrupted)
	}
	if r.Corrupted == r.Clean {
		t.Fatal("the noise did not change the prediction")
	}
	if png, err := r.HeatMap().PNG(); err != nil || len(png) == 0 {
		t.Fatal(err)
	}
}

func TestLogitLensLastLayerIsModelPrediction(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyMLM(t, 12)
	enc := encode(t, tok, "rome is the capital of [MASK] .")
	lens, err := RunLogitLens(m, tok, enc, 6, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(lens.Top) != 3 {
		t.Fatalf("%d layers", len(lens.Top))
	}
	target, _ := MaskedTokenProbability(m, 6, id(t, tok, lens.Top[2][0]))
	s, err := scoresOf(target, repeatInputs(enc, 1))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s[0]-lens.Probs[2][0]) > 1e-6 {
		t.Fatalf("lens top-1 prob %v, model %v", lens.Probs[2][0], s[0])
	}
	if lens.Probs[2][0] < lens.Probs[2][1] {
		t.Fatal("not sorted")
	}
}

func TestTraceResultAccessors(t *testing.T) {
	r := &TraceResult{Scores: [][]float64{{0.1, 0.2}, {0.5, 0.3}}}
	if r.At(-1, 1) != 0.3 || r.At(0, 1) != 0.2 {
		t.Fatal("At")
	}
	if l, p, s := r.BestAt([]int{1}); l != 1 || p != 1 || s != 0.3 {
		t.Fatalf("BestAt %d %d %v", l, p, s)
	}
	lens := &LogitLens{Top: [][]string{{"a", "b"}, {"c", "d"}}}
	if lens.Prediction(-1) != "c" || lens.Prediction(0) != "a" {
		t.Fatal("Prediction")
	}
	pr := &ProbeResult{TestAccuracy: []float64{0.5, 0.9, 0.7}}
	if l, a := pr.Best(); l != 1 || a != 0.9 {
		t.Fatal("Best")
	}
}

func TestSublayerTraces(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyMLM(t, 11)
	text := "paris is the capital of [MASK] ."
	enc := encode(t, tok, text)
	target, _ := MaskedTokenProbability(m, 6, id(t, tok, "france"))
	// Running through the sub-layer seam with a hook that copies every
	// output reproduces the model's forward pass.
	want, _ := scoresOf(target, repeatInputs(enc, 1))
	got, err := bertTraced{target, enc}.run(1, nil, func(_ int, _ string, out *autograd.Tensor) *autograd.Tensor {
		return autograd.New(append([]float32(nil), out.Contiguous().Data()...), out.Shape()...)
	})
	if err != nil || math.Abs(got[0]-want[0]) > 1e-6 {
		t.Fatalf("through the sub-layer hooks: %v vs %v (%v)", got, want, err)
	}
	hidden, err := CausalTrace(target, enc, []int{1}, TraceOptions{Samples: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"mlp", "attn"} {
		r, err := CausalTrace(target, enc, []int{1}, TraceOptions{Samples: 3, Seed: 2, Kind: kind, Window: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Scores) != 2 || math.Abs(r.Corrupted-hidden.Corrupted) > 1e-6 || math.Abs(r.Clean-hidden.Clean) > 1e-9 {
			t.Fatalf("%s: %d rows, corrupted %v vs %v", kind, len(r.Scores), r.Corrupted, hidden.Corrupted)
		}
		// Some restored sublayer must move the score off the corrupted value.
		moved := false
		for _, row := range r.Scores {
			for _, v := range row {
				if v < 0 || v > 1 {
					t.Fatalf("%s: probability %v", kind, v)
				}
				moved = moved || math.Abs(v-r.Corrupted) > 1e-7
			}
		}
		if !moved {
			t.Fatalf("%s: no restoration changed anything", kind)
		}
		if _, err := r.HeatMap().PNG(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := CausalTrace(target, enc, []int{1}, TraceOptions{Kind: "ffn"}); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func TestTraceNoiseReproducesTheCorruptedRun(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyMLM(t, 11)
	text := "alice is the capital of [MASK] ."
	enc := encode(t, tok, text)
	target, err := MaskedTokenProbability(m, 6, id(t, tok, "france"))
	if err != nil {
		t.Fatal(err)
	}
	opts := TraceOptions{Samples: 3, Seed: 5}
	r, err := CausalTrace(target, enc, []int{1}, opts)
	if err != nil {
		t.Fatal(err)
	}
	noise, std, err := TraceNoise(target, enc, []int{1}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if std != r.NoiseStd || noise.Select(1, 0).Abs().Sum().Item() != 0 || noise.Select(1, 1).Abs().Sum().Item() == 0 {
		t.Fatalf("noise std %v (trace %v), or noise outside the subject / none on it", std, r.NoiseStd)
	}
	// The corrupted run by hand: add the noise to hidden state 0 of 3 copies.
	in := repeatInputs(enc, 3)
	var s []float64
	err = withHook(m.Bert, func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == 0 {
			return h.Add(noise)
		}
		return nil
	}, func() error {
		s, err = scoresOf(target, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if mean := (s[0] + s[1] + s[2]) / 3; math.Abs(mean-r.Corrupted) > 1e-6 {
		t.Fatalf("corrupted by hand %v, trace %v", mean, r.Corrupted)
	}
}
