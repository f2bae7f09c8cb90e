package recipes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// tinySentimentRecipe is the course's recipe scaled down to run in a second,
// with both checkpoints under root.
func tinySentimentRecipe(root string) SentimentRecipe {
	p := DefaultCourseRecipe
	p.World = data.SmallWorldOptions{Seed: 1, Countries: 3, PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 2, Reviews: 30}
	p.VocabSize, p.Hidden, p.Heads, p.Intermediate, p.Steps, p.BatchSize = 300, 16, 2, 32, 4, 8
	p.Pretraining.DupeFactor = 1
	r := DefaultSentimentRecipe
	r.Pretraining, r.PretrainedDir = p, filepath.Join(root, "course-bert")
	r.Data = data.SentimentOptions{Seed: 7, N: 60}
	r.TrainRange, r.DevRange, r.TestRange = [2]int{0, 24}, [2]int{24, 40}, [2]int{40, 60}
	r.Epochs = 2
	return r
}

// classifierLogits runs m on texts without a graph and returns the logits.
func classifierLogits(t *testing.T, m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, texts []string) []float32 {
	t.Helper()
	encs, err := tok.EncodeBatch(texts, tokenizer.EncodeOptions{Padding: tokenizer.PadLongest})
	if err != nil {
		t.Fatal(err)
	}
	in, err := bert.InputsFromEncodings(encs)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	var out *bert.ClassificationOutput
	autograd.NoGrad(func() { out, err = m.Forward(in, nil) })
	if err != nil {
		t.Fatal(err)
	}
	return out.Logits.Contiguous().Data()
}

// The first call pretrains, fine-tunes and saves; the second loads the saved
// classifier, which gives bit-identical logits and the recipe's labels.
func TestLoadOrFineTuneSentimentSavesThenReuses(t *testing.T) {
	root := t.TempDir()
	r := tinySentimentRecipe(root)
	dir := filepath.Join(root, "course-sentiment")
	first, tok, err := LoadOrFineTuneSentiment(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.json", bert.WeightsFile, "vocab.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("the classifier folder lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(r.PretrainedDir, bert.WeightsFile)); err != nil {
		t.Fatalf("the pretrained encoder was not saved for the next notebook: %v", err)
	}
	second, tok2, err := LoadOrFineTuneSentiment(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("the second call returned the same model instead of loading it")
	}
	if got := second.Bert.Config.ID2Label; got[0] != "negative" || got[1] != "neutral" || got[2] != "positive" {
		t.Fatalf("loaded labels %v", got)
	}
	texts := []string{"The acting was not delightful, and the ending was silly.", "A charming story.", "It was a film."}
	a, b := classifierLogits(t, first, tok, texts), classifierLogits(t, second, tok2, texts)
	if len(a) != 3*len(texts) || len(a) != len(b) {
		t.Fatalf("logits of sizes %d and %d for %d texts", len(a), len(b), len(texts))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("logit %d: %v fine-tuned, %v loaded", i, a[i], b[i])
		}
	}
}

// The recipe is one definition: fine-tuning by hand (as notebook 07 does)
// and LoadOrFineTuneSentiment give the same weights.
func TestSentimentRecipeIsDeterministic(t *testing.T) {
	root := t.TempDir()
	r := tinySentimentRecipe(root)
	viaLoad, _, err := LoadOrFineTuneSentiment(filepath.Join(root, "course-sentiment"), r)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := bert.OpenCheckpoint(r.PretrainedDir)
	if err != nil {
		t.Fatal(err)
	}
	byHand, report, err := r.NewClassifier(ck, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Missing) != 2 {
		t.Fatalf("newly initialised: %v, want the classifier's weight and bias", report.Missing)
	}
	task, history, err := r.FineTune(byHand, ck.Tokenizer, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(history.Evals) != r.Epochs || task.Model != byHand {
		t.Fatalf("%d evaluations for %d epochs", len(history.Evals), r.Epochs)
	}
	a, b := viaLoad.NamedParameters(""), byHand.NamedParameters("")
	for i := range a {
		x, y := a[i].Tensor.Data(), b[i].Tensor.Data()
		for j := range x {
			if x[j] != y[j] {
				t.Fatalf("%s[%d]: %v vs %v", a[i].Name, j, x[j], y[j])
			}
		}
	}
}

// A damaged or foreign checkpoint in the classifier folder is an error that
// names the problem, never a silent retraining or a wrong model.
func TestLoadOrFineTuneSentimentRejectsBadFolders(t *testing.T) {
	root := t.TempDir()
	r := tinySentimentRecipe(root)
	good := filepath.Join(root, "course-sentiment")
	if _, _, err := LoadOrFineTuneSentiment(good, r); err != nil {
		t.Fatal(err)
	}
	// copyWithout copies the good folder, leaving out one file, and lets edit
	// change the copy.
	copyWithout := func(name, skip string, edit func(dir string)) string {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"config.json", bert.WeightsFile, "vocab.txt", "tokenizer_config.json"} {
			if f == skip {
				continue
			}
			b, err := os.ReadFile(filepath.Join(good, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if edit != nil {
			edit(dir)
		}
		return dir
	}
	rewrite := func(file, old, new string) func(string) {
		return func(dir string) {
			p := filepath.Join(dir, file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), old) {
				t.Fatalf("%s has no %q", file, old)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	truncate := func(dir string) {
		p := filepath.Join(dir, bert.WeightsFile)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b[:len(b)/2], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, dir, want string
	}{
		{"no vocab", copyWithout("no-vocab", "vocab.txt", nil), "no vocab.txt"},
		{"no config", copyWithout("no-config", "config.json", nil), "config.json"},
		{"truncated weights", copyWithout("truncated", "", truncate), bert.WeightsFile},
		{"other labels", copyWithout("labels", "", rewrite("config.json", `"neutral"`, `"mixed"`)), "want [negative neutral positive]"},
	}
	for _, c := range cases {
		_, _, err := LoadOrFineTuneSentiment(c.dir, r)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.want)
		}
	}
	// A bad split is caught before any training.
	bad := r
	bad.TestRange = [2]int{40, 600}
	if _, _, _, err := bad.Splits(); err == nil || !strings.Contains(err.Error(), "test range [40, 600)") {
		t.Errorf("bad test range: %v", err)
	}
}
