package bert

import (
	"fmt"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
)

// sameWeights fails unless a and b hold the same parameters with the same
// values, bit for bit.
func sameWeights(t *testing.T, a, b nn.Module) {
	t.Helper()
	pa, pb := nn.StateDict(a), nn.StateDict(b)
	if len(pa) != len(pb) {
		t.Fatalf("%d parameters vs %d", len(pa), len(pb))
	}
	for i := range pa {
		if pa[i].Name != pb[i].Name || !pa[i].Tensor.AllClose(pb[i].Tensor, 0, 0) {
			t.Fatalf("parameter %d: %s differs from %s", i, pa[i].Name, pb[i].Name)
		}
	}
}

// sameLogits fails unless the two logits tensors are equal, bit for bit.
func sameLogits(t *testing.T, what string, a, b *autograd.Tensor) {
	t.Helper()
	if !a.AllClose(b, 0, 0) {
		t.Fatalf("%s: logits differ by up to %g", what, a.Sub(b).Abs().Max().Item())
	}
}

// encoderOnlyCheckpoint saves the reference checkpoint's pre-training model
// (no classifier) to a temporary folder: a pretrained encoder a task model
// puts a new head on.
func encoderOnlyCheckpoint(t *testing.T) string {
	t.Helper()
	refDir := testref.BertRefDir(t)
	ck, err := OpenCheckpoint(refDir)
	if err != nil {
		t.Fatal(err)
	}
	pre, _, err := ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := SavePretrained(dir, pre, ck.Config, ck.Tokenizer); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadForSequenceClassificationIsTheLongForm(t *testing.T) {
	refDir := testref.BertRefDir(t)
	for _, dir := range []string{refDir, encoderOnlyCheckpoint(t)} {
		labels := []string{"a", "b", "c"}
		if dir != refDir {
			labels = append(labels, "d") // a new head of another size
		}
		t.Run(fmt.Sprint(len(labels), " labels"), func(t *testing.T) { sequenceClassifierIsTheLongForm(t, dir, labels) })
	}
}

func sequenceClassifierIsTheLongForm(t *testing.T, dir string, labels []string) {
	short, err := LoadForSequenceClassification(dir, labels, 7)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	ck.Config.SetLabels(labels...)
	long, _, err := ck.ForSequenceClassification(autograd.NewRNG(7), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, short, long)
	if got := fmt.Sprint(short.Bert.Config.LabelNames()); got != fmt.Sprint(labels) {
		t.Fatalf("labels %s, want %v", got, labels)
	}
	if id := short.Bert.Config.Label2ID["c"]; id != 2 {
		t.Fatalf("label2id[c] = %d, want 2", id)
	}
	in, err := NewInputs([][]int{{2, 40, 41, 3}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := short.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := long.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := short.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameLogits(t, "short vs long form", a.Logits, b.Logits)
	sameLogits(t, "two forward passes (evaluation mode: no dropout)", a.Logits, again.Logits)

}

func TestLoadForSequenceClassificationKeepsTheConfigsLabels(t *testing.T) {
	refDir := testref.BertRefDir(t)
	kept, err := LoadForSequenceClassification(refDir, nil, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(kept.Bert.Config.LabelNames()); got != "[negative neutral positive]" {
		t.Fatalf("nil labels: %s, want the config's", got)
	}
}

func TestLoadForTokenClassificationIsTheLongForm(t *testing.T) {
	dir := encoderOnlyCheckpoint(t)
	labels := []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"}
	short, err := LoadForTokenClassification(dir, labels, 3)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	ck.Config.SetLabels(labels...)
	long, _, err := ck.ForTokenClassification(autograd.NewRNG(3), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, short, long)
	in, err := NewInputs([][]int{{2, 40, 41, 3}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := short.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := long.Forward(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameLogits(t, "short vs long form", a.Logits, b.Logits)
}

func TestLoadForClassificationRejectsBadLabels(t *testing.T) {
	refDir := testref.BertRefDir(t)
	for _, labels := range [][]string{{}, {"x", "y", "x"}} {
		_, err := LoadForSequenceClassification(refDir, labels, 1)
		if err == nil || !strings.Contains(err.Error(), refDir) {
			t.Errorf("labels %q: error %v, want one naming the folder", labels, err)
		}
	}
	_, err := LoadForSequenceClassification(refDir, []string{"one", "two"}, 1)
	if err == nil || !strings.Contains(err.Error(), "size mismatch for classifier.weight") || !strings.Contains(err.Error(), "IgnoreMismatchedSizes: true") {
		t.Errorf("two labels on a three-label head: error %v, want the mismatch and how to replace the head", err)
	}
	if _, err := LoadForTokenClassification("no-such-folder", nil, 1); err == nil || !strings.Contains(err.Error(), "no-such-folder") {
		t.Errorf("a missing folder: error %v, want one naming it", err)
	}
}
