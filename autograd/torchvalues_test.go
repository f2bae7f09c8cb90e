package autograd

import (
	"math"
	"testing"
)

// Exact-value tests against the PyTorch references in torchref_test.go.

// seq builds the deterministic inputs the reference script used:
// [sin(i·a + off)·s for i < n].
func seq(n int, a, s, off float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(math.Sin(float64(i)*a+off) * s)
	}
	return out
}

func TestCrossEntropyMatchesTorch(t *testing.T) {
	targets := []int{1, -100, 4, 0}
	cases := []struct {
		smoothing  float32
		reduction  string
		loss, grad []float32
	}{
		{0, "mean", refCe00Mean, refCe00MeanGrad},
		{0, "sum", refCe00Sum, refCe00SumGrad},
		{0, "none", refCe00None, refCe00NoneGrad},
		{0.2, "mean", refCe02Mean, refCe02MeanGrad},
		{0.2, "sum", refCe02Sum, refCe02SumGrad},
		{0.2, "none", refCe02None, refCe02NoneGrad},
	}
	for _, c := range cases {
		x := New(seq(20, 0.7, 2, 0), 4, 5).SetRequiresGrad(true)
		loss := CrossEntropy(x, targets, CrossEntropyOptions{LabelSmoothing: c.smoothing, Reduction: c.reduction})
		name := "CE " + c.reduction
		if c.reduction == "none" {
			expectData(t, name, loss, []int{4}, c.loss, 1e-5)
			loss.Sum().Backward()
		} else {
			expectData(t, name, loss, []int{}, c.loss, 1e-5)
			loss.Backward()
		}
		expectData(t, name+" grad", x.Grad(), []int{4, 5}, c.grad, 1e-6)
	}
	// The zero value and the explicit -100 are the same option.
	x := New(seq(20, 0.7, 2, 0), 4, 5)
	a := CrossEntropy(x, targets, CrossEntropyOptions{}).Item()
	b := CrossEntropy(x, targets, CrossEntropyOptions{IgnoreIndex: DefaultIgnoreIndex, Reduction: "mean"}).Item()
	if a != b {
		t.Fatalf("zero-value options give %v, explicit -100 gives %v", a, b)
	}
	// Ignoring class 0 explicitly drops the last row.
	c := CrossEntropy(x, []int{1, 2, 4, 0}, CrossEntropyOptions{IgnoreIndex: IgnoreClassZero, Reduction: "none"})
	if c.Data()[3] != 0 || c.Data()[1] == 0 {
		t.Fatalf("IgnoreClassZero: per-row losses %v", c.Data())
	}
	// All targets ignored: mean is NaN, as torch.
	if v := CrossEntropy(x, []int{-100, -100, -100, -100}, CrossEntropyOptions{}).Item(); !math.IsNaN(float64(v)) {
		t.Fatalf("all-ignored mean = %v, want NaN", v)
	}
	expectPanic(t, "CE target range", func() { CrossEntropy(x, []int{0, 1, 5, 0}, CrossEntropyOptions{}) }, "CrossEntropy", "target 5", "5 classes")
	expectPanic(t, "CE target count", func() { CrossEntropy(x, []int{0, 1}, CrossEntropyOptions{}) }, "CrossEntropy", "2 targets", "[4 5]")
	expectPanic(t, "CE reduction", func() { CrossEntropy(x, targets, CrossEntropyOptions{Reduction: "avg"}) }, "avg")
}

func TestLayerNormMatchesTorch(t *testing.T) {
	x := New(seq(12, 0.9, 3, 0), 2, 6).SetRequiresGrad(true)
	w := New(seq(6, 0.3, 1, 1)).SetRequiresGrad(true)
	b := New(seq(6, 0.5, 0.5, 2)).SetRequiresGrad(true)
	y := LayerNorm(x, w, b, 1e-5)
	expectData(t, "LayerNorm", y, []int{2, 6}, refLnY, 1e-5)
	y.BackwardWith(New(seq(12, 1.3, 1, 0.5), 2, 6))
	expectData(t, "LayerNorm dx", x.Grad(), []int{2, 6}, refLnGx, 1e-5)
	expectData(t, "LayerNorm dw", w.Grad(), []int{6}, refLnGw, 1e-5)
	expectData(t, "LayerNorm db", b.Grad(), []int{6}, refLnGb, 1e-5)
	expectPanic(t, "LayerNorm weight", func() { LayerNorm(x, Ones(5), nil, 1e-5) }, "LayerNorm", "weight", "[5]", "[6]")
}

func TestActivationsMatchTorch(t *testing.T) {
	x := New(seq(8, 0.9, 3, 0))
	expectData(t, "input", x, []int{8}, refActX, 0)
	for _, c := range []struct {
		name string
		got  *Tensor
		want []float32
	}{
		{"GELU", x.GELU(), refGelu},
		{"GELUTanh", x.GELUTanh(), refGeluTanh},
		{"SiLU", x.SiLU(), refSilu},
		{"Sigmoid", x.Sigmoid(), refSigmoid},
		{"Softplus", x.Softplus(), refSoftplus},
	} {
		expectData(t, c.name, c.got, []int{8}, c.want, 2e-6)
	}
}

func TestReductionsMatchTorch(t *testing.T) {
	x := New(seq(12, 0.9, 3, 0), 3, 4)
	expectData(t, "Var unbiased dim 1", x.Var(true, false, 1), []int{3}, refVarUnb1, 1e-5)
	expectData(t, "Var biased dim 0", x.Var(false, false, 0), []int{4}, refVarB0, 1e-5)
	expectData(t, "Var all", x.Var(true, false), []int{}, refVarAll, 1e-5)
	expectData(t, "Norm 2", x.Norm(2, false, 1), []int{3}, refNorm21, 1e-5)
	expectData(t, "Norm 1", x.Norm(1, false, 0), []int{4}, refNorm10, 1e-5)
	expectData(t, "Norm 3", x.Norm(3, false), []int{}, refNorm3, 1e-5)
	expectData(t, "Var keepdim", x.Var(true, true, 1), []int{3, 1}, refVarUnb1, 1e-5)
}

func TestBCEWithLogitsMatchesTorch(t *testing.T) {
	x := New(seq(6, 0.9, 3, 0)).SetRequiresGrad(true)
	y := New([]float32{0, 1, 1, 0, 0.5, 1})
	l := BCEWithLogits(x, y, "mean")
	expectData(t, "BCE", l, []int{}, refBce, 1e-6)
	l.Backward()
	expectData(t, "BCE grad", x.Grad(), []int{6}, refBceGrad, 1e-6)
	// Stable for huge logits: no Inf/NaN.
	big := BCEWithLogits(New([]float32{1000, -1000}), New([]float32{0, 1}), "none").Data()
	if !close32(big[0], 1000, 0) || !close32(big[1], 1000, 0) {
		t.Fatalf("BCE of ±1000: %v, want [1000 1000]", big)
	}
}

func TestSoftmaxStableWithLargeLogits(t *testing.T) {
	x := New([]float32{1000, 1001, 1002, -1000, 0, 1000}, 2, 3)
	expectData(t, "Softmax", x.Softmax(-1), []int{2, 3}, refSmLarge, 1e-6)
	expectData(t, "LogSoftmax", x.LogSoftmax(-1), []int{2, 3}, refLsmLarge, 1e-4)
	// Equal to the softmax of the shifted logits, and rows sum to 1.
	shifted := New([]float32{0, 1, 2}).Softmax(0).Data()
	got := x.Softmax(1).Data()
	for i := range shifted {
		if !close32(got[i], shifted[i], 1e-7) {
			t.Fatalf("softmax not shift-invariant: %v vs %v", got[:3], shifted)
		}
	}
	// The -Inf entries of a partly masked row get probability 0; a fully masked
	// row is NaN, as in torch.
	inf := float32(math.Inf(-1))
	if v := New([]float32{inf, inf}).Softmax(0).Data()[0]; !math.IsNaN(float64(v)) {
		t.Fatalf("softmax of an all -Inf row: %v, want NaN", v)
	}
	p := New([]float32{0, inf, 0}).Softmax(0).Data()
	if p[0] != 0.5 || p[1] != 0 || p[2] != 0.5 {
		t.Fatalf("softmax with a -Inf logit: %v", p)
	}
}

func TestMSE(t *testing.T) {
	p := New([]float32{1, 2, 3}).SetRequiresGrad(true)
	q := New([]float32{1, 0, 6})
	l := MSE(p, q, "mean") // (0 + 4 + 9)/3
	expectData(t, "MSE", l, []int{}, []float32{13.0 / 3}, 1e-6)
	l.Backward()
	expectData(t, "MSE grad", p.Grad(), []int{3}, []float32{0, 4.0 / 3, -2}, 1e-6)
	expectPanic(t, "MSE shapes", func() { MSE(p, Ones(2), "mean") }, "MSE", "[3]", "[2]")
}
