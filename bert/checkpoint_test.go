package bert

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
	"github.com/turinglab/turinglab/tokenizer"
)

// rewriteReference writes a copy of the reference weights with each name
// passed through rename (return "" to drop a tensor) plus the extra entries.
func rewriteReference(t *testing.T, ck *Checkpoint, rename func(string) string, extra ...safetensors.Entry) string {
	t.Helper()
	var entries []safetensors.Entry
	for _, n := range ck.Weights.Names() {
		newName := rename(n)
		if newName == "" {
			continue
		}
		raw, info, err := ck.Weights.Raw(n)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, safetensors.RawEntry(newName, info.DType, info.Shape, raw))
	}
	entries = append(entries, extra...)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := safetensors.Save(path, entries, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// sameParams fails unless every parameter of a and b is bit-identical.
func sameParams(t *testing.T, a, b nn.Module) {
	t.Helper()
	pb := paramsByName(b)
	for _, p := range a.NamedParameters("") {
		q, ok := pb[p.Name]
		if !ok {
			t.Fatalf("%s missing in the second model", p.Name)
		}
		da, db := p.Tensor.Data(), q.Data()
		for i := range da {
			if math.Float32bits(da[i]) != math.Float32bits(db[i]) {
				t.Fatalf("%s[%d]: %v vs %v", p.Name, i, da[i], db[i])
			}
		}
	}
}

func TestLoadLegacyGammaBeta(t *testing.T) {
	p := openParity(t)
	path := rewriteReference(t, p.ck, func(n string) string {
		n = strings.Replace(n, "LayerNorm.weight", "LayerNorm.gamma", 1)
		return strings.Replace(n, "LayerNorm.bias", "LayerNorm.beta", 1)
	})
	want, _, _ := p.ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	got, _ := NewForPreTraining(p.ck.Config, autograd.NewRNG(2))
	r, err := LoadWeights(got, path, nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Missing) > 0 || len(r.Renamed) == 0 {
		t.Fatalf("legacy names: %v (renamed %v)", r, r.Renamed)
	}
	sameParams(t, want, got)
}

func TestLoadBareBertModelFile(t *testing.T) {
	p := openParity(t)
	// A bare BertModel file: no "bert." prefix, no heads, plus the
	// position_ids buffer HF used to save.
	path := rewriteReference(t, p.ck, func(n string) string {
		if !strings.HasPrefix(n, "bert.") {
			return ""
		}
		return strings.TrimPrefix(n, "bert.")
	}, safetensors.I64Entry("embeddings.position_ids", []int{1, p.ck.Config.MaxPositionEmbeddings}, make([]int64, p.ck.Config.MaxPositionEmbeddings)))

	bare, _ := NewModel(p.ck.Config, autograd.NewRNG(3), true)
	r, err := LoadWeights(bare, path, nn.LoadOptions{Strict: true})
	if err != nil || !r.OK() {
		t.Fatalf("bare model from bare file: %v %v", r, err)
	}
	cls, _ := NewForSequenceClassification(p.ck.Config, autograd.NewRNG(3))
	r, err = LoadWeights(cls, path, nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Missing, ",") != "classifier.bias,classifier.weight" || len(r.Unexpected) != 0 {
		t.Fatalf("task model from bare file: %v", r)
	}
	ref, _, _ := p.ck.Model(autograd.NewRNG(1), nn.LoadOptions{})
	sameParams(t, ref, cls.Bert)

	// And a prefixed file into a bare model: the heads are unexpected.
	bare2, _ := NewModel(p.ck.Config, autograd.NewRNG(4), true)
	r, err = LoadWeights(bare2, filepath.Join(p.dir, WeightsFile), nn.LoadOptions{})
	if err != nil || len(r.Missing) != 0 {
		t.Fatalf("bare model from task file: %v %v", r, err)
	}
	for _, u := range r.Unexpected {
		if strings.HasPrefix(u, "bert.") {
			t.Errorf("%s reported unexpected", u)
		}
	}
	sameParams(t, ref, bare2)
}

func TestLoadTiedDecoderOnly(t *testing.T) {
	p := openParity(t)
	// Only the decoder copy of the word embeddings is stored.
	path := rewriteReference(t, p.ck, func(n string) string {
		if n == "bert.embeddings.word_embeddings.weight" {
			return "cls.predictions.decoder.weight"
		}
		return n
	})
	m, _ := NewForPreTraining(p.ck.Config, autograd.NewRNG(5))
	r, err := LoadWeights(m, path, nn.LoadOptions{})
	if err != nil || len(r.Missing) != 0 || strings.Join(r.Renamed, ",") != "cls.predictions.decoder.weight -> bert.embeddings.word_embeddings.weight" {
		t.Fatalf("tied load: %v %v renamed=%v", r, err, r.Renamed)
	}
	want, _, _ := p.ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	sameParams(t, want, m)
	if m.Cls.Predictions.Decoder != m.Bert.Embeddings.WordEmbeddings.Weight {
		t.Fatal("decoder is not tied to the word embeddings")
	}
}

func TestLoadStrictAndMismatch(t *testing.T) {
	p := openParity(t)
	m, _ := NewForPreTraining(p.ck.Config, autograd.NewRNG(6))
	before := m.Bert.Pooler.Dense.(*nn.Linear).Weight.Clone().Data()
	_, err := LoadWeights(m, filepath.Join(p.dir, WeightsFile), nn.LoadOptions{Strict: true})
	if err == nil || !strings.Contains(err.Error(), `unexpected key(s) in state dict: "classifier.bias", "classifier.weight"`) {
		t.Fatalf("strict load with extra classifier: err = %v", err)
	}
	for i, v := range m.Bert.Pooler.Dense.(*nn.Linear).Weight.Data() {
		if v != before[i] {
			t.Fatal("a failed strict load changed the model")
		}
	}

	c := p.ck.Config.Clone()
	labels, hidden := p.ck.Config.NumLabels(), p.ck.Config.HiddenSize
	c.SetNumLabels(labels + 2)
	cls, _ := NewForSequenceClassification(c, autograd.NewRNG(7))
	_, err = LoadWeights(cls, filepath.Join(p.dir, WeightsFile), nn.LoadOptions{})
	want := fmt.Sprintf("size mismatch for classifier.weight: copying a param with shape [%d %d] from checkpoint, the shape in current model is [%d %d]", labels, hidden, labels+2, hidden)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("mismatched classifier: err = %v", err)
	}
	r, err := LoadWeights(cls, filepath.Join(p.dir, WeightsFile), nn.LoadOptions{IgnoreMismatchedSizes: true})
	if err != nil {
		t.Fatal(err)
	}
	// As HF's loading info: the classifier is in mismatched_keys, not missing_keys.
	if len(r.Mismatched) != 2 || len(r.Missing) != 0 {
		t.Fatalf("ignore mismatched sizes: %v", r)
	}
}

func TestSaveIsLoadableByNN(t *testing.T) {
	// The saved file is a plain HF state dict: nn's generic loader reads it
	// back into the same model with no renaming.
	p := openParity(t)
	m, _, _ := p.ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := SaveWeights(m, path); err != nil {
		t.Fatal(err)
	}
	m2, _ := NewForSequenceClassification(p.ck.Config, autograd.NewRNG(8))
	r, err := nn.LoadSafetensors(m2, path, nn.LoadOptions{Strict: true})
	if err != nil || !r.OK() {
		t.Fatalf("%v %v", r, err)
	}
	sameParams(t, m, m2)
}

// TestSavedFilesAreWorldReadable checks that every file SavePretrained writes
// is 0644, as the vocabulary always was: config.json came out 0600 when each
// writer had its own temporary-file code.
func TestSavedFilesAreWorldReadable(t *testing.T) {
	c := tinyConfig()
	m, err := NewForSequenceClassification(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	vocab, err := tokenizer.NewVocab(append(append([]string{}, tokenizer.BertSpecialTokens...), "saved", "files"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.NewBertTokenizer(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := SavePretrained(dir, m, c, tok); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.json", WeightsFile, "vocab.txt", tokenizer.TokenizerConfigFileName} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want 0644", name, st.Mode().Perm())
		}
	}
}
