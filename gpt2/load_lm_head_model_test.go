package gpt2

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
)

func TestLoadLMHeadModelIsTheLongForm(t *testing.T) {
	refDir := testref.GPT2RefDir(t)
	short, err := LoadLMHeadModel(refDir, 4)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := OpenCheckpoint(refDir)
	if err != nil {
		t.Fatal(err)
	}
	long, _, err := ck.LMHeadModel(autograd.NewRNG(4), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ps, pl := short.NamedParameters(""), long.NamedParameters("")
	if len(ps) != len(pl) {
		t.Fatalf("%d parameters vs %d", len(ps), len(pl))
	}
	for i := range ps {
		if ps[i].Name != pl[i].Name || !ps[i].Tensor.AllClose(pl[i].Tensor, 0, 0) {
			t.Fatalf("parameter %s differs from the long form's", ps[i].Name)
		}
	}
	if short.Transformer.Drop.Training() {
		t.Error("a loaded model must be in evaluation mode")
	}
	ids := []int{7, 8, 9, 10}
	in, err := NewInputs([][]int{ids}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := short.Forward(in, ids)
	if err != nil {
		t.Fatal(err)
	}
	b, err := long.Forward(in, ids)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Logits.AllClose(b.Logits, 0, 0) || a.Loss.Item() != b.Loss.Item() {
		t.Fatalf("outputs differ: loss %g vs %g", a.Loss.Item(), b.Loss.Item())
	}
	if _, err := LoadLMHeadModel("no-such-folder", 1); err == nil || !strings.Contains(err.Error(), "no-such-folder") {
		t.Fatalf("a missing folder: error %v, want one naming it", err)
	}
}
