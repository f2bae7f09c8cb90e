package peft

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// refClassifier loads the reference checkpoint as a sequence classifier in
// evaluation mode, with the reference inputs.
func refClassifier(t testing.TB, dir string) (*bert.ForSequenceClassification, *bert.Inputs, *safetensors.File) {
	t.Helper()
	ck, err := bert.OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	exp, err := safetensors.Open(filepath.Join(dir, "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	ints := func(name string) []int {
		v, _, err := exp.Int64(name)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int, len(v))
		for i, x := range v {
			out[i] = int(x)
		}
		return out
	}
	info, _ := exp.Info("input_ids")
	in := &bert.Inputs{InputIDs: ints("input_ids"), TokenTypeIDs: ints("token_type_ids"), AttentionMask: ints("attention_mask"), Batch: info.Shape[0], SeqLen: info.Shape[1]}
	return m, in, exp
}

// expectClose compares got with the reference tensor name under
// |got-want| <= atol + rtol*|want|.
func expectClose(t testing.TB, exp *safetensors.File, name string, got *autograd.Tensor, atol, rtol float64) {
	t.Helper()
	want, shape, err := exp.Float32(name)
	if err != nil {
		t.Fatal(err)
	}
	if !fitsShape(shape, got.Shape()) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape(), shape)
	}
	g := got.Data()
	worst, at := 0.0, -1
	for i := range want {
		d := math.Abs(float64(g[i]) - float64(want[i]))
		if d > atol+rtol*math.Abs(float64(want[i])) && d > worst {
			worst, at = d, i
		}
	}
	if at >= 0 {
		t.Fatalf("%s: element %d is %g, want %g (|diff| %g > atol %g + rtol %g·|want|)", name, at, g[at], want[at], worst, atol, rtol)
	}
}

// closeTensors reports the largest absolute difference of two tensors.
func maxDiff(a, b *autograd.Tensor) float64 {
	x, y := a.Data(), b.Data()
	d := 0.0
	for i := range x {
		d = math.Max(d, math.Abs(float64(x[i])-float64(y[i])))
	}
	return d
}

// fitsShape reports whether a reference tensor of shape file matches a
// tensor of shape param: the same shape, or one value stored as [] for [1]
// or the other way round (as nn's loader accepts them).
func fitsShape(file, param []int) bool {
	oneValue := func(s []int) bool { return len(s) == 0 || len(s) == 1 && s[0] == 1 }
	return autograd.SameShape(file, param) || oneValue(file) && oneValue(param)
}
