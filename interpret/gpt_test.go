package interpret

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/tokenizer"
)

// refGPT loads the small reference GPT-2 (random weights: these tests check
// mechanics and invariants, not what a trained model knows) and a prompt.
func refGPT(t testing.TB) (*gpt2.LMHeadModel, *tokenizer.GPT2, *tokenizer.Encoding) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "gpt2-ref-small")
	m, err := gpt2.LoadLMHeadModel(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.LoadGPT2(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok, tok.Encode("Once upon a time the model")
}

func TestGPTLogitLensLastLayerIsTheModel(t *testing.T) {
	m, tok, enc := refGPT(t)
	last := len(enc.IDs) - 1
	lens, err := GPTLogitLens(m, tok, enc, last, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(lens.Top) != m.Transformer.Config.NLayer+1 {
		t.Fatalf("%d rows, want embeddings + %d blocks", len(lens.Top), m.Transformer.Config.NLayer)
	}
	out, err := m.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: len(enc.IDs)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	probs := out.Logits.Select(1, last).Softmax(1).Float64s()
	best := topK(probs, 1)[0]
	name, _ := tok.IDToToken(best)
	if lens.Prediction(-1) != name || math.Abs(lens.Probs[len(lens.Probs)-1][0]-probs[best]) > 1e-6 {
		t.Fatalf("last row %s %.6f, the model %s %.6f", lens.Prediction(-1), lens.Probs[len(lens.Probs)-1][0], name, probs[best])
	}
}

func TestGPTAttentionsAreCausal(t *testing.T) {
	m, _, enc := refGPT(t)
	v, err := GPTAttentions(m, enc)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Weights) != 2 || len(v.Weights[0]) != 4 {
		t.Fatalf("%d layers × %d heads", len(v.Weights), len(v.Weights[0]))
	}
	for _, layer := range v.Weights {
		for _, head := range layer {
			for i, row := range head {
				sum := 0.0
				for j, w := range row {
					sum += w
					if j > i && w != 0 {
						t.Fatalf("token %d attends to the later token %d", i, j)
					}
				}
				if math.Abs(sum-1) > 1e-5 {
					t.Fatalf("row %d sums to %v", i, sum)
				}
			}
		}
	}
	if _, err := DecoderOf(m); err != nil {
		t.Fatal(err)
	}
	if _, err := EncoderOf(m); err == nil {
		t.Fatal("EncoderOf found BERT in GPT-2")
	}
}

func TestGPTIntegratedGradientsCompleteness(t *testing.T) {
	m, _, enc := refGPT(t)
	target, err := NextTokenLogit(m, 131)
	if err != nil {
		t.Fatal(err)
	}
	a, err := GPTIntegratedGradients(target, enc, nil, IGOptions{Steps: 64})
	if err != nil {
		t.Fatal(err)
	}
	gap := a.Score - a.Baseline
	if math.Abs(gap) < 1e-2 || math.Abs(a.Delta) > 1e-2*math.Abs(gap) {
		t.Fatalf("Σ attributions − (F(x) − F(x')) = %g for a gap of %g", a.Delta, gap)
	}
	// With a baseline equal to the prompt nothing is attributed.
	same, err := GPTIntegratedGradients(target, enc, enc.IDs, IGOptions{Steps: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range same.Scores {
		if s != 0 {
			t.Fatalf("baseline = input: attribution %v", same.Scores)
		}
	}
	out, _ := m.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: len(enc.IDs)}, nil)
	if want := float64(out.Logits.Select(1, len(enc.IDs)-1).Data()[131]); math.Abs(a.Score-want) > 1e-5 {
		t.Fatalf("F(x) = %v, the model's logit %v", a.Score, want)
	}
}

func TestGPTCausalTraceInvariants(t *testing.T) {
	m, _, enc := refGPT(t)
	T := len(enc.IDs)
	out, _ := m.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: T}, nil)
	best := topK(out.Logits.Select(1, T-1).Float64s(), 1)[0]
	target, err := NextTokenProbability(m, best)
	if err != nil {
		t.Fatal(err)
	}
	subject := []int{2} // one subject token: restoring its embedding undoes the noise
	r, err := GPTCausalTrace(target, enc, subject, TraceOptions{Samples: 4, Seed: 3, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	L := m.Transformer.Config.NLayer
	if len(r.Scores) != L+1 || len(r.Scores[0]) != T {
		t.Fatalf("grid %d×%d, want %d×%d", len(r.Scores), len(r.Scores[0]), L+1, T)
	}
	if r.Clean == r.Corrupted {
		t.Fatal("the noise changed nothing")
	}
	for l := 0; l <= L; l++ {
		// Tokens before the subject never see the noise (causal attention).
		for p := 0; p < subject[0]; p++ {
			if math.Abs(r.Scores[l][p]-r.Corrupted) > 1e-6 {
				t.Fatalf("state %d at token %d (before the subject): %v, corrupted %v", l, p, r.Scores[l][p], r.Corrupted)
			}
		}
	}
	// The last stream at the last token is all the head reads.
	if math.Abs(r.At(-1, T-1)-r.Clean) > 1e-6 || math.Abs(r.Scores[0][subject[0]]-r.Clean) > 1e-6 {
		t.Fatalf("restoring the last state at the last token %v / the subject embedding %v, clean %v", r.At(-1, T-1), r.Scores[0][subject[0]], r.Clean)
	}

	// Restoring every stream at every token gives the clean probability.
	var clean [][][]float32
	remove := m.Transformer.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		var rows [][]float32
		for p := 0; p < T; p++ {
			rows = append(rows, append([]float32(nil), h.Select(1, p).Contiguous().Data()...))
		}
		clean = append(clean, rows)
		return nil
	})
	m.Forward(&gpt2.Inputs{InputIDs: enc.IDs, Batch: 1, SeqLen: T}, nil)
	remove()
	noise := make([]float32, T*m.Transformer.Config.NEmbd)
	for i := range noise {
		noise[i] = 5
	}
	all, err := GPTRunWithPatches(target, enc, noise, clean)
	if err != nil || math.Abs(all-r.Clean) > 1e-6 {
		t.Fatalf("everything restored: %v, clean %v (%v)", all, r.Clean, err)
	}

	// MLP and attention traces over a window, through gpt2's sub-layer hook.
	for _, kind := range []string{"mlp", "attn"} {
		k, err := GPTCausalTrace(target, enc, subject, TraceOptions{Samples: 4, Seed: 3, Kind: kind, Window: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(k.Scores) != L || math.Abs(k.Corrupted-r.Corrupted) > 1e-9 || math.Abs(k.Clean-r.Clean) > 1e-9 {
			t.Fatalf("%s: %d rows, corrupted %v vs %v", kind, len(k.Scores), k.Corrupted, r.Corrupted)
		}
		for l := range k.Scores {
			for p := 0; p < subject[0]; p++ {
				if math.Abs(k.Scores[l][p]-k.Corrupted) > 1e-6 {
					t.Fatalf("%s: restoring before the subject moved the score", kind)
				}
			}
		}
		moved := false
		for _, row := range k.Scores {
			for p := subject[0]; p < T; p++ {
				moved = moved || math.Abs(row[p]-k.Corrupted) > 1e-7
			}
		}
		if !moved {
			t.Fatalf("%s: no restoration changed anything", kind)
		}
	}
}
