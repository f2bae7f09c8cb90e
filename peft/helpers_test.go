package peft

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// tinyBert builds a random 2-layer BERT sequence classifier (hidden 16, 2
// heads, 3 labels) in evaluation mode, and a batch with padding.
func tinyBert(t testing.TB, seed uint64) (*bert.ForSequenceClassification, *bert.Inputs) {
	t.Helper()
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = 50, 16, 2, 2
	c.IntermediateSize, c.MaxPositionEmbeddings = 32, 24
	c.SetNumLabels(3)
	m, err := bert.NewForSequenceClassification(c, autograd.NewRNG(seed))
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	in, err := bert.NewInputs(
		[][]int{{2, 5, 9, 11, 3, 0}, {2, 7, 8, 3, 0, 0}},
		[][]int{{0, 0, 0, 0, 0, 0}, {0, 0, 1, 1, 0, 0}},
		[][]int{{1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 0, 0}})
	if err != nil {
		t.Fatal(err)
	}
	return m, in
}

// logits runs the classifier without gradients.
func logits(t testing.TB, m *bert.ForSequenceClassification, in *bert.Inputs) *autograd.Tensor {
	t.Helper()
	var out *bert.ClassificationOutput
	var err error
	autograd.NoGrad(func() { out, err = m.Forward(in, nil) })
	if err != nil {
		t.Fatal(err)
	}
	return out.Logits
}

// checkGradientsOnlyTrainable runs a backward pass of loss and checks that
// exactly the trainable parameters received a gradient (and that at least one
// trainable parameter got a non-zero one).
func checkGradientsOnlyTrainable(t *testing.T, pm *Model, loss *autograd.Tensor) {
	t.Helper()
	loss.Backward()
	nonzero := 0
	for _, p := range pm.NamedParameters("") {
		g := p.Tensor.Grad()
		switch {
		case !p.Tensor.RequiresGrad() && g != nil:
			t.Errorf("frozen parameter %s received a gradient", p.Name)
		case p.Tensor.RequiresGrad() && g == nil:
			t.Errorf("trainable parameter %s received no gradient", p.Name)
		case g != nil:
			for _, v := range g.Data() {
				if v != 0 {
					nonzero++
					break
				}
			}
		}
	}
	if nonzero == 0 {
		t.Error("no trainable parameter got a non-zero gradient")
	}
}

// checkRoundTrip saves adapter "default" of pm (on base m built by
// tinyBert(seed)), checks the config's peft_type and that both files are
// 0644 like the base model's (adapter_config.json came out 0600 when peft had
// its own temporary-file code), loads it onto a fresh base and checks equal
// logits.
func checkRoundTrip(t *testing.T, pm *Model, m *bert.ForSequenceClassification, in *bert.Inputs, seed uint64, peftType string) {
	t.Helper()
	want := logits(t, m, in)
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ConfigFileName, WeightsFileName} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Fatalf("%s has mode %v, want 0644", name, st.Mode().Perm())
		}
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Common().PeftType != peftType {
		t.Fatalf("saved peft_type %q, want %q", cfg.Common().PeftType, peftType)
	}
	fresh, _ := tinyBert(t, seed)
	if _, err := FromPretrained(fresh, dir, false); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(want, logits(t, fresh, in)); d > 1e-6 {
		t.Errorf("%s: loaded adapter gives logits %g away", peftType, d)
	}
}

// trainStep runs the classifier in training mode with labels and returns the
// loss.
func trainLoss(t *testing.T, pm *Model, m *bert.ForSequenceClassification, in *bert.Inputs) *autograd.Tensor {
	t.Helper()
	pm.SetTraining(true)
	defer pm.SetTraining(false)
	out, err := pm.Forward(in, &bert.SequenceLabels{Classes: []int{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Loss
}

// nnEmbedding wraps a table as an embedding.
func nnEmbedding(w *autograd.Tensor) *nn.Embedding {
	return &nn.Embedding{Weight: w, NumEmbeddings: w.Size(0), EmbeddingDim: w.Size(1), PaddingIdx: -1}
}

// sentimentTask builds a tiny classifier with its own WordPiece vocabulary on
// the course's sentiment data.
func sentimentTask(t *testing.T, n int) *train.SequenceClassificationTask {
	t.Helper()
	ex := data.Sentiment(data.SentimentOptions{Seed: 1, N: n})
	var texts []string
	for _, e := range ex {
		texts = append(texts, e.Text)
	}
	vocab, err := tokenizer.NewWordPieceTrainer(200).Train(texts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = vocab.Size(), 16, 2, 2
	c.IntermediateSize, c.MaxPositionEmbeddings = 32, 64
	c.SetLabels(data.SentimentLabels...)
	m, err := bert.NewForSequenceClassification(c, autograd.NewRNG(5))
	if err != nil {
		t.Fatal(err)
	}
	return &train.SequenceClassificationTask{Model: m, Tokenizer: tok, Train: ex[:n*3/4], Dev: ex[n*3/4:], Labels: data.SentimentLabels, MaxLength: 48}
}

// moduleAt returns the module at path under root, failing the test if there
// is none.
func moduleAt(t testing.TB, root nn.Module, path string) nn.Module {
	t.Helper()
	mod, err := nn.GetModule(root, path)
	if err != nil {
		t.Fatal(err)
	}
	return mod
}
