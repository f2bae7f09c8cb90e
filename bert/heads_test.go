package bert

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// crossEntropy64 is mean cross-entropy over rows with target != -100, in float64.
func crossEntropy64(logits []float64, targets []int, classes int) float64 {
	var sum float64
	n := 0
	for r, y := range targets {
		if y == -100 {
			continue
		}
		row := logits[r*classes : (r+1)*classes]
		max := math.Inf(-1)
		for _, v := range row {
			max = math.Max(max, v)
		}
		var z float64
		for _, v := range row {
			z += math.Exp(v - max)
		}
		sum += max + math.Log(z) - row[y]
		n++
	}
	return sum / float64(n)
}

func TestTokenClassificationIgnoresMinus100(t *testing.T) {
	c := tinyConfig()
	c.SetLabels("O", "B-PER", "I-PER")
	m, _ := NewForTokenClassification(c, autograd.NewRNG(3))
	m.SetTraining(false)
	in := tinyInputs()
	labels := []int{-100, 1, 2, 0, -100, -100, -100, 0, -100, -100, -100, -100}
	out, err := m.Forward(in, labels)
	if err != nil {
		t.Fatal(err)
	}
	if s := out.Logits.Shape(); !autograd.SameShape(s, []int{2, 6, 3}) {
		t.Fatalf("logits shape %v", s)
	}
	want := crossEntropy64(out.Logits.Float64s(), labels, 3)
	if got := float64(out.Loss.Item()); math.Abs(got-want) > 1e-5 {
		t.Fatalf("token loss %g, definition %g", got, want)
	}
	if _, err := m.Forward(in, labels[:5]); err == nil || !strings.Contains(err.Error(), "have 5 values, want 12") {
		t.Errorf("short labels: %v", err)
	}
	for _, name := range []string{"bert.pooler.dense.weight"} {
		if _, ok := paramsByName(m)[name]; ok {
			t.Errorf("token classification has %s; HF builds it without a pooler", name)
		}
	}
}

func TestSequenceClassificationProblemTypes(t *testing.T) {
	in := tinyInputs()

	// Regression: one label, MSE.
	c := tinyConfig()
	c.SetNumLabels(1)
	m, _ := NewForSequenceClassification(c, autograd.NewRNG(4))
	m.SetTraining(false)
	targets := []float32{0.5, -1.25}
	out, err := m.Forward(in, &SequenceLabels{Values: targets})
	if err != nil {
		t.Fatal(err)
	}
	lg := out.Logits.Float64s()
	want := ((lg[0]-0.5)*(lg[0]-0.5) + (lg[1]+1.25)*(lg[1]+1.25)) / 2
	if got := float64(out.Loss.Item()); math.Abs(got-want) > 1e-5 {
		t.Errorf("regression loss %g, want MSE %g", got, want)
	}

	// Multi-label: float targets, BCE with logits.
	c = tinyConfig()
	c.SetLabels("a", "b", "c")
	m, _ = NewForSequenceClassification(c, autograd.NewRNG(5))
	m.SetTraining(false)
	y := []float32{1, 0, 1, 0, 0, 1}
	lbl := &SequenceLabels{Values: y}
	if pt := ProblemType(c, lbl); pt != "multi_label_classification" {
		t.Fatalf("float targets with 3 labels: problem type %s", pt)
	}
	out, err = m.Forward(in, lbl)
	if err != nil {
		t.Fatal(err)
	}
	lg = out.Logits.Float64s()
	want = 0
	for i, x := range lg {
		p := 1 / (1 + math.Exp(-x))
		want -= float64(y[i])*math.Log(p) + (1-float64(y[i]))*math.Log(1-p)
	}
	want /= float64(len(lg))
	if got := float64(out.Loss.Item()); math.Abs(got-want) > 1e-5 {
		t.Errorf("multi-label loss %g, want BCE %g", got, want)
	}

	// Single label: class ids, cross-entropy; problem_type forces it.
	lbl = &SequenceLabels{Classes: []int{2, 0}}
	out, err = m.Forward(in, lbl)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := float64(out.Loss.Item()), crossEntropy64(out.Logits.Float64s(), lbl.Classes, 3); math.Abs(got-want) > 1e-5 {
		t.Errorf("single-label loss %g, want %g", got, want)
	}
	c.ProblemType = "multi_label_classification"
	if _, err := m.Forward(in, lbl); err == nil || !strings.Contains(err.Error(), "multi-label targets have 0 values") {
		t.Errorf("class ids with problem_type multi_label: %v", err)
	}
}

func TestMaskedLMSharesThePreTrainingHead(t *testing.T) {
	p := openParity(t)
	m, report, err := p.ck.ForMaskedLM(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Missing) != 0 {
		t.Fatalf("masked LM from the reference: %v", report)
	}
	for _, u := range report.Unexpected {
		if !strings.HasPrefix(u, "bert.pooler.") && !strings.HasPrefix(u, "cls.seq_relationship.") && !strings.HasPrefix(u, "classifier.") {
			t.Errorf("unexpected %s", u)
		}
	}
	out, err := m.Forward(p.in, p.mlm)
	if err != nil {
		t.Fatal(err)
	}
	p.check(t, "mlm_logits", out.Logits)
	p.check(t, "mlm_loss", out.Loss)
	m.MaskedOnly = true
	out, err = m.Forward(p.in, p.mlm)
	if err != nil {
		t.Fatal(err)
	}
	p.check(t, "mlm_loss", out.Loss)
}
