package autograd

import (
	"testing"
)

// The autodiff engine's semantics, PyTorch's: accumulation, leaves vs non-leaves,
// detach, no-grad, freed graphs, non-scalar outputs.

func TestGradientsAccumulateUntilZeroed(t *testing.T) {
	x := New([]float32{1, 2}).SetRequiresGrad(true)
	x.Mul(x).Sum().Backward() // d/dx Σx² = 2x
	x.Mul(x).Sum().Backward()
	expectData(t, "accumulated", x.Grad(), []int{2}, []float32{4, 8}, 0)
	x.ZeroGrad()
	expectData(t, "zeroed", x.Grad(), []int{2}, []float32{0, 0}, 0)
	x.MulScalar(3).Sum().Backward()
	expectData(t, "after zero", x.Grad(), []int{2}, []float32{3, 3}, 0)
}

func TestOnlyLeavesKeepGradUnlessRetained(t *testing.T) {
	x := New([]float32{1, 2, 3}).SetRequiresGrad(true)
	h := x.MulScalar(2)
	k := x.MulScalar(3).RetainGrad()
	h.Add(k).Square().Sum().Backward()
	if !x.IsLeaf() || h.IsLeaf() {
		t.Fatal("IsLeaf wrong")
	}
	if h.Grad() != nil {
		t.Fatal("non-leaf kept its gradient without RetainGrad")
	}
	// d/dk Σ(h+k)² = 2(h+k) = 2·5x
	expectData(t, "retained", k.Grad(), []int{3}, []float32{10, 20, 30}, 0)
	expectData(t, "leaf", x.Grad(), []int{3}, []float32{50, 100, 150}, 0)
}

func TestRequiresGradPropagation(t *testing.T) {
	a := Ones(2)
	b := Ones(2).SetRequiresGrad(true)
	if a.Add(a).RequiresGrad() {
		t.Fatal("op on constants requires grad")
	}
	c := a.Add(b)
	if !c.RequiresGrad() || c.GradFn() != "AddBackward" {
		t.Fatalf("requires-grad did not propagate: %v %q", c.RequiresGrad(), c.GradFn())
	}
	expectPanic(t, "non-leaf flag", func() { c.SetRequiresGrad(false) }, "SetRequiresGrad", "not a leaf")
	// A gradient path through only one input.
	a.Mul(b).Sum().Backward()
	if a.Grad() != nil {
		t.Fatal("constant received a gradient")
	}
	expectData(t, "b", b.Grad(), []int{2}, []float32{1, 1}, 0)
}

func TestDetachAndNoGrad(t *testing.T) {
	x := New([]float32{1, 2}).SetRequiresGrad(true)
	d := x.Detach()
	if d.RequiresGrad() {
		t.Fatal("Detach result requires grad")
	}
	d.Data()[0] = 5 // shares storage
	if x.At(0) != 5 {
		t.Fatal("Detach copied the storage")
	}
	var y *Tensor
	NoGrad(func() {
		if IsGradEnabled() {
			t.Fatal("IsGradEnabled inside NoGrad")
		}
		y = x.Mul(x)
	})
	if !IsGradEnabled() {
		t.Fatal("NoGrad did not restore")
	}
	if y.RequiresGrad() || !y.IsLeaf() {
		t.Fatal("op inside NoGrad recorded a graph")
	}
	// Gradient stops at a detached value: d/dx (x·stop(x)) = stop(x).
	x.Mul(x.Detach()).Sum().Backward()
	expectData(t, "detach stops gradient", x.Grad(), []int{2}, []float32{5, 2}, 0)
}

func TestBackwardTwicePanics(t *testing.T) {
	x := New([]float32{1, 2}).SetRequiresGrad(true)
	y := x.Exp().Sum()
	y.Backward()
	expectPanic(t, "second backward", func() { y.Backward() }, "graph already freed", "Backward once")
	// Also through a shared freed intermediate.
	h := x.Exp()
	h.Sum().Backward()
	expectPanic(t, "shared intermediate", func() { h.MulScalar(2).Sum().Backward() }, "graph already freed")
}

func TestBackwardNonScalarNeedsGradient(t *testing.T) {
	x := New([]float32{1, 2}).SetRequiresGrad(true)
	y := x.MulScalar(3)
	expectPanic(t, "non-scalar", func() { y.Backward() }, "Backward", "[2]", "BackwardWith")
	expectPanic(t, "wrong grad shape", func() { y.BackwardWith(Ones(3)) }, "gradient of shape [3]", "[2]")
	expectPanic(t, "no grad", func() { Ones(2).Sum().Backward() }, "does not require grad")
	y.BackwardWith(New([]float32{1, 10}))
	expectData(t, "BackwardWith", x.Grad(), []int{2}, []float32{3, 30}, 0)
}

func TestDiamondGraphSumsPaths(t *testing.T) {
	// y = a·b with a = 2x, b = x+1: dy/dx = 2b + a = 2(x+1) + 2x.
	x := Scalar(3).SetRequiresGrad(true)
	a := x.MulScalar(2)
	b := x.AddScalar(1)
	a.Mul(b).Backward()
	if x.Grad().Item() != 14 {
		t.Fatalf("diamond gradient %v, want 14", x.Grad().Item())
	}
}

func TestDeepGraphDoesNotOverflow(t *testing.T) {
	x := Scalar(1).SetRequiresGrad(true)
	y := x
	for i := 0; i < 100000; i++ {
		y = y.AddScalar(0)
	}
	y.Backward()
	if x.Grad().Item() != 1 {
		t.Fatalf("deep chain gradient %v", x.Grad().Item())
	}
}

func TestEmbeddingPaddingRowGetsNoGradient(t *testing.T) {
	w := New(seq(12, 0.4, 1, 0), 4, 3).SetRequiresGrad(true)
	ids := []int{0, 2, 0, 3, 2, 1}
	out := Embedding(w, ids, []int{2, 3}, 0)
	if !SameShape(out.Shape(), []int{2, 3, 3}) {
		t.Fatalf("shape %v", out.Shape())
	}
	expectData(t, "row lookup", out.Select(0, 0).Select(0, 1), []int{3}, w.Data()[6:9], 0)
	out.Sum().Backward()
	g := w.Grad().Data()
	want := []float32{0, 0, 0, 1, 1, 1, 2, 2, 2, 1, 1, 1} // counts per row, padding row 0 stays 0
	for i := range want {
		if g[i] != want[i] {
			t.Fatalf("embedding grad %v, want %v", g, want)
		}
	}
	expectPanic(t, "id range", func() { Embedding(w, []int{4}, nil, -1) }, "Embedding", "id 4", "4 embeddings")
}

func TestDropout(t *testing.T) {
	x := Ones(1000).SetRequiresGrad(true)
	if Dropout(x, 0.5, false, nil) != x {
		t.Fatal("eval-mode dropout is not the identity")
	}
	y := Dropout(x, 0.25, true, NewRNG(3))
	kept := 0
	for _, v := range y.Data() {
		switch v {
		case 0:
		case 1 / 0.75:
			kept++
		default:
			t.Fatalf("dropout value %v is neither 0 nor 1/(1-p)", v)
		}
	}
	if kept < 700 || kept > 800 {
		t.Fatalf("kept %d of 1000 at p=0.25", kept)
	}
	// Same seed, same mask.
	z := Dropout(x, 0.25, true, NewRNG(3))
	if !z.AllClose(y, 0, 0) {
		t.Fatal("dropout is not reproducible with the same seed")
	}
	y.Sum().Backward()
	if !x.Grad().AllClose(y.Detach(), 0, 0) {
		t.Fatal("dropout gradient is not the mask")
	}
}

func TestViewsShareStorage(t *testing.T) {
	x := Arange(0, 6, 1).Reshape(2, 3)
	tr := x.T()
	if tr.IsContiguous() || tr.At(2, 1) != 5 {
		t.Fatalf("transpose view: contiguous %v, At(2,1) %v", tr.IsContiguous(), tr.At(2, 1))
	}
	expectData(t, "transposed data", tr, []int{3, 2}, []float32{0, 3, 1, 4, 2, 5}, 0)
	x.Data()[5] = 50 // optimizers write through Data
	if tr.At(2, 1) != 50 {
		t.Fatal("view does not share storage")
	}
	expectPanic(t, "View of transpose", func() { tr.View(6) }, "View", "not contiguous")
	expectData(t, "Reshape of transpose copies", tr.Reshape(6), []int{6}, []float32{0, 3, 1, 4, 2, 50}, 0)
	e := New([]float32{1, 2}, 2, 1).Expand(2, 3)
	expectData(t, "Expand", e, []int{2, 3}, []float32{1, 1, 1, 2, 2, 2}, 0)
	s := Arange(0, 10, 1).SliceStep(0, 1, -1, 3)
	expectData(t, "SliceStep", s, []int{3}, []float32{1, 4, 7}, 0)
	expectData(t, "Squeeze", Zeros(1, 3, 1).Squeeze(), []int{3}, []float32{0, 0, 0}, 0)
	parts := Arange(0, 5, 1).Chunk(2, 0)
	if len(parts) != 2 || parts[1].Numel() != 2 {
		t.Fatalf("Chunk(2) of 5: %d parts", len(parts))
	}
}

func TestMatMulValues(t *testing.T) {
	a := New([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := New([]float32{7, 8, 9, 10, 11, 12}, 3, 2)
	expectData(t, "2-D", a.MatMul(b), []int{2, 2}, []float32{58, 64, 139, 154}, 0)
	expectData(t, "transposed", b.T().MatMul(a.T()), []int{2, 2}, []float32{58, 139, 64, 154}, 0)
	// Batched with broadcast: [2,1,2,3]·[3,2] and [2,2,3]·[2,3,2].
	ab := Stack([]*Tensor{a, a.MulScalar(2)}, 0)
	expectData(t, "batched", ab.MatMul(b), []int{2, 2, 2}, []float32{58, 64, 139, 154, 116, 128, 278, 308}, 0)
	bb := Stack([]*Tensor{b, b.Neg()}, 0)
	expectData(t, "broadcast batch", a.Unsqueeze(0).MatMul(bb), []int{2, 2, 2}, []float32{58, 64, 139, 154, -58, -64, -139, -154}, 0)
	expectData(t, "vector", a.MatMul(New([]float32{1, 0, -1})), []int{2}, []float32{-2, -2}, 0)
	expectData(t, "dot", New([]float32{1, 2}).MatMul(New([]float32{3, 4})), []int{}, []float32{11}, 0)
	expectData(t, "Linear", Linear(a, b.T(), New([]float32{1, -1})), []int{2, 2}, []float32{59, 63, 140, 153}, 0)
}

func TestBackwardFreesTheGraph(t *testing.T) {
	// After Backward the nodes drop their closures and inputs, so the
	// activations they captured can be collected; only the op name remains.
	w := Ones(3, 3).SetRequiresGrad(true)
	h := w.MatMul(w).Tanh()
	loss := h.Sum()
	loss.Backward()
	for _, u := range []*Tensor{h, loss} {
		if u.node.backward != nil || u.node.inputs != nil || !u.node.freed {
			t.Fatalf("%s node not freed after Backward", u.GradFn())
		}
	}
	if h.GradFn() != "TanhBackward" {
		t.Fatalf("GradFn after freeing: %q", h.GradFn())
	}
}

func TestAddInPlaceIsTheGradientStep(t *testing.T) {
	w := New([]float32{1, 2, 3}).SetRequiresGrad(true)
	w.Mul(w).Sum().Backward() // grad 2w
	w.AddInPlace(w.Grad(), -0.25)
	expectData(t, "w - 0.25·2w", w, []int{3}, []float32{0.5, 1, 1.5}, 0)
	if !w.RequiresGrad() || !w.IsLeaf() {
		t.Fatal("AddInPlace changed the leaf's flags")
	}
	m := Zeros(2, 3)
	m.T().AddInPlace(New([]float32{1, 2}), 1) // broadcast along the transposed view
	expectData(t, "through a view", m, []int{2, 3}, []float32{1, 1, 1, 2, 2, 2}, 0)
	expectPanic(t, "non-leaf", func() { w.MulScalar(2).AddInPlace(Ones(3), 1) }, "AddInPlace", "only on leaves")
	expectPanic(t, "shape", func() { w.AddInPlace(Ones(2), 1) }, "AddInPlace", "[2]", "[3]")
	expectPanic(t, "expanded", func() { Ones(1, 3).Expand(2, 3).AddInPlace(Ones(3), 1) }, "AddInPlace", "expanded")
}

func TestLeafWeightGradientsAccumulate(t *testing.T) {
	// Linear and Embedding add into a leaf's Grad directly; accumulation across
	// Backward calls and ZeroGrad must behave exactly as for every other op.
	rng := NewRNG(4)
	w := RandN(rng, 3, 2).SetRequiresGrad(true)
	x := RandN(rng, 4, 2)
	step := func() {
		Linear(x, w, nil).Square().Sum().Add(Embedding(w, []int{2, 2}, nil, -1).Sum()).Backward()
	}
	step()
	once := append([]float32(nil), w.Grad().Data()...)
	step()
	for i, v := range w.Grad().Data() {
		if !close32(v, 2*once[i], 1e-5) {
			t.Fatalf("after two steps grad[%d] = %v, want %v", i, v, 2*once[i])
		}
	}
	w.ZeroGrad()
	step()
	expectData(t, "after ZeroGrad", w.Grad(), []int{3, 2}, once, 1e-6)
}
