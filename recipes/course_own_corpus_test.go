package recipes

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/train"
)

// TestShippedSOTUCorpus checks the files notebook 16 reads: plain UTF-8
// under 10 MB in all, two labels on every split of both units (sentences and
// passages), no bad lines, whole speeches per split, and few test sentences
// that also occur in the pretraining corpus (only passages the presidents
// repeated).
func TestShippedSOTUCorpus(t *testing.T) {
	r := DefaultOwnCorpusRecipe
	r.TrainFile, r.DevFile, r.TestFile = "train.tsv", "dev.tsv", "test.tsv"
	var total int64
	for _, name := range []string{"corpus.txt", "train.tsv", "dev.tsv", "test.tsv", "train-passages.tsv", "dev-passages.tsv", "test-passages.tsv",
		"speeches.tsv", "README.md", "make_sotu.go"} {
		raw, err := os.ReadFile(filepath.Join(r.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(raw) {
			t.Errorf("%s is not valid UTF-8", name)
		}
		total += int64(len(raw))
	}
	if total > 10_000_000 {
		t.Errorf("the shipped corpus takes %d bytes, more than 10 MB", total)
	}
	r.MaxTrain, r.MaxEval = 0, 0
	passages := r
	passages.TrainFile, passages.DevFile, passages.TestFile = "train-passages.tsv", "dev-passages.tsv", "test-passages.tsv"
	var task *OwnTask
	for _, unit := range []OwnCorpusRecipe{passages, r} {
		var err error
		if task, err = unit.Task(); err != nil {
			t.Fatal(err)
		}
		if want := []string{"Democratic", "Republican"}; strings.Join(task.Labels, ",") != strings.Join(want, ",") {
			t.Errorf("labels %q, want %q", task.Labels, want)
		}
		for _, f := range task.Files {
			if len(f.BadLines) > 0 || len(f.Examples) < 1000 {
				t.Errorf("%s", f.Summary())
			}
			for id, n := range f.LabelCounts {
				if n < len(f.Examples)/4 {
					t.Errorf("%s: label %s has %d of %d examples", f.Path, f.Labels[id], n, len(f.Examples))
				}
			}
		}
	}
	splitOf := map[string]string{}
	speeches, err := os.Open(filepath.Join(r.Dir, "speeches.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer speeches.Close()
	lines := bufio.NewScanner(speeches)
	for lines.Scan() {
		f := strings.Split(lines.Text(), "\t")
		if len(f) != 7 {
			t.Fatalf("speeches.tsv: %q has %d fields, want 7", lines.Text(), len(f))
		}
		if prev, ok := splitOf[f[0]]; ok {
			t.Errorf("speeches.tsv: %s is in %s and %s", f[0], prev, f[4])
		}
		splitOf[f[0]] = f[4]
	}
	corpus, err := os.ReadFile(r.CorpusPath())
	if err != nil {
		t.Fatal(err)
	}
	inCorpus := map[string]bool{}
	for _, line := range strings.Split(string(corpus), "\n") {
		inCorpus[line] = true
	}
	seen := 0
	for _, e := range task.Test {
		if inCorpus[e.Text] {
			seen++
		}
	}
	if seen > len(task.Test)/100 {
		t.Errorf("%d of %d test sentences occur in the pretraining corpus, want at most 1%%", seen, len(task.Test))
	}
}

// TestOwnCorpusRecipeSmall runs every step of the recipe on a tiny corpus: a
// vocabulary, instances with a held-out part, pretraining with a checkpoint
// and a resumed run, fine-tuning from the encoder and from scratch, and the
// baselines.
func TestOwnCorpusRecipeSmall(t *testing.T) {
	dir := t.TempDir()
	var corpus, labeled strings.Builder
	labeled.WriteString("text\tlabel\n")
	for d := 0; d < 12; d++ {
		for s := 0; s < 6; s++ {
			topic, label := "the farmers grow wheat and corn", "farm"
			if (d+s)%2 == 1 {
				topic, label = "the navy builds ships and ports", "sea"
			}
			sentence := topic + " in year " + string(rune('a'+d)) + " ."
			corpus.WriteString(sentence + "\n")
			labeled.WriteString(sentence + "\t" + label + "\n")
		}
		corpus.WriteString("\n")
	}
	for _, name := range []string{"train.tsv", "dev.tsv", "test.tsv"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(labeled.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "corpus.txt"), []byte(corpus.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := DefaultOwnCorpusRecipe
	r.TrainFile, r.DevFile, r.TestFile = "", "", "" // train.tsv, dev.tsv, test.tsv
	r.Dir, r.VocabSize, r.Hidden, r.Heads, r.Intermediate, r.Layers = dir, 60, 16, 2, 32, 1
	r.Pretraining.MaxSeqLength, r.MaxLength = 24, 24
	r.PretrainBudget, r.PretrainSteps, r.PretrainWarmup, r.PretrainBatch = 0, 4, 1, 8
	r.FineTuneEpochs, r.FineTuneBatch, r.OutputDir = 1, 16, filepath.Join(dir, "run")

	tok, err := r.Vocabulary()
	if err != nil {
		t.Fatal(err)
	}
	instances, err := r.Instances(tok)
	if err != nil {
		t.Fatal(err)
	}
	if instances.HeldOutDocuments != 1 || len(instances.HeldOut) == 0 {
		t.Fatalf("held out %d documents, %d instances; want 1 document (5%% of 12, at least one)", instances.HeldOutDocuments, len(instances.HeldOut))
	}
	model, rng, err := r.NewPretrainingModel(tok)
	if err != nil {
		t.Fatal(err)
	}
	pt := r.PretrainingTask(model, tok, instances)
	h, err := r.Pretrain(pt, rng, "", 0, true)
	if err != nil {
		t.Fatal(err)
	}
	last := h.LastEval()
	if len(h.Steps) != 4 || last == nil || math.IsNaN(last["mlm_loss"]) {
		t.Fatalf("%d steps, last evaluation %v; want 4 steps and a held-out MLM loss", len(h.Steps), last)
	}
	ckDir, err := train.LastCheckpoint(r.OutputDir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(ckDir) != "checkpoint-4" {
		t.Errorf("last checkpoint %s, want checkpoint-4", ckDir)
	}
	// A fresh model (its weights disturbed) resumed from that checkpoint
	// holds the first run's weights: Pretrain passed the checkpoint on.
	fresh, freshRNG, err := r.NewPretrainingModel(tok)
	if err != nil {
		t.Fatal(err)
	}
	freshWeights := nn.TrainableTensors(fresh)
	freshWeights[0].Data()[0] += 1
	resumed, err := r.Pretrain(r.PretrainingTask(fresh, tok, instances), freshRNG, ckDir, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.ResumedAtStep != 4 || len(resumed.Steps) != 4 {
		t.Errorf("resumed at step %d with %d steps of history, want 4 and 4", resumed.ResumedAtStep, len(resumed.Steps))
	}
	for i, p := range nn.TrainableTensors(model) {
		if !slices.Equal(p.Data(), freshWeights[i].Data()) {
			t.Fatalf("parameter %d differs after resuming from %s", i, ckDir)
		}
	}

	encoder := filepath.Join(dir, "encoder")
	if err := bert.SavePretrained(encoder, model, model.Bert.Config, tok); err != nil {
		t.Fatal(err)
	}
	ck, err := bert.OpenCheckpoint(encoder)
	if err != nil {
		t.Fatal(err)
	}
	task, err := r.Task()
	if err != nil {
		t.Fatal(err)
	}
	cmp := r.Baselines(task)
	for _, scratch := range []bool{false, true} {
		st, fh, err := r.FineTune(ck, task, scratch, true)
		if err != nil {
			t.Fatal(err)
		}
		if fh.LastEval()["accuracy"] < 0 {
			t.Errorf("fine-tuning history has no dev accuracy: %v", fh.LastEval())
		}
		predicted, _, err := st.Predict(task.Test)
		if err != nil {
			t.Fatal(err)
		}
		cmp.Add(map[bool]string{false: "pretrained", true: "scratch"}[scratch], predicted, task)
	}
	if len(cmp.Models) != 5 {
		t.Fatalf("comparison has %v, want 5 models", cmp.Models)
	}
	if acc, ok := cmp.Of("naive Bayes"); !ok || acc != 1 {
		t.Errorf("naive Bayes test accuracy %v (found %v) on a task whose test set is its training set, want 1", acc, ok)
	}
	if !strings.Contains(cmp.String(), "bag of words") {
		t.Errorf("the table lacks the bag-of-words row:\n%s", cmp)
	}
}

// TestOwnCorpus30MinRecipeIsTheDefaultLonger checks what notebook 16 says:
// the 30-minute recipe has the default's data, vocabulary, instances and
// model, so the notebook's one-minute run is the start of its learning
// curve; only the budget and the fine-tuning epochs differ.
func TestOwnCorpus30MinRecipeIsTheDefaultLonger(t *testing.T) {
	long, short := OwnCorpus30MinRecipe, DefaultOwnCorpusRecipe
	if long.PretrainBudget <= short.PretrainBudget || long.PretrainSteps <= 0 {
		t.Errorf("budget %v (%d steps), want longer than the default's %v", long.PretrainBudget, long.PretrainSteps, short.PretrainBudget)
	}
	long.PretrainBudget, long.PretrainSteps, long.SaveInterval, long.FineTuneEpochs = short.PretrainBudget, short.PretrainSteps, short.SaveInterval, short.FineTuneEpochs
	if !reflect.DeepEqual(long, short) {
		t.Errorf("the 30-minute recipe differs from the default in more than budget and epochs:\n%+v\n%+v", long, short)
	}
}
