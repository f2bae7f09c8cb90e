package autograd

import (
	"math"
	"strings"
	"testing"
)

// recycleModel is a small training setup for the BackwardAndRecycle tests:
// a weight used through a transposed view, a bias, dropout, LayerNorm,
// softmax and views, so that results share storage in the ways a real model's
// do.
type recycleModel struct {
	w, b, x *Tensor
	rng     *RNG
}

func newRecycleModel() *recycleModel {
	rng := NewRNG(11)
	return &recycleModel{
		w:   RandN(rng, 64, 96).SetRequiresGrad(true),
		b:   RandN(rng, 96).SetRequiresGrad(true),
		x:   RandN(rng, 32, 64),
		rng: rng,
	}
}

// forward returns the loss and the hidden activation (a result of 3,072
// elements, large enough for the pool).
func (m *recycleModel) forward() (loss, hidden *Tensor) {
	hidden = Linear(m.x, m.w.Transpose(0, 1), m.b).GELU()
	h := LayerNorm(hidden, nil, nil, 1e-5)
	p := Dropout(h.Reshape(32, 2, 48).Softmax(-1), 0.1, true, m.rng)
	return p.Mul(p).Sum().Add(hidden.Mean()), hidden
}

// step runs one step: zero the gradients, forward, backward (recycling or
// not), and a plain SGD update, returning the loss.
func (m *recycleModel) step(recycleResults bool) float32 {
	m.w.ZeroGrad()
	m.b.ZeroGrad()
	loss, _ := m.forward()
	if recycleResults {
		loss.BackwardAndRecycle()
	} else {
		loss.Backward()
	}
	for _, p := range []*Tensor{m.w, m.b} {
		d, g := p.Data(), p.Grad().Data()
		for i := range d {
			d[i] -= 0.01 * g[i]
		}
	}
	return loss.Item()
}

// TestBackwardAndRecycleSameTraining runs ten steps of the same model with
// Backward and with BackwardAndRecycle: losses, gradients and weights must
// agree bit for bit, while the recycled results' memory is reused (with
// poisoning on, a buffer read after recycling would be NaN).
func TestBackwardAndRecycleSameTraining(t *testing.T) {
	plain, recycled := newRecycleModel(), newRecycleModel()
	for s := range 10 {
		before := poolReuses.Load()
		lp, lr := plain.step(false), recycled.step(true)
		if math.Float32bits(lp) != math.Float32bits(lr) || math.IsNaN(float64(lr)) {
			t.Fatalf("step %d: loss %v with BackwardAndRecycle, %v with Backward", s, lr, lp)
		}
		for _, pair := range [][2]*Tensor{{plain.w, recycled.w}, {plain.b, recycled.b}} {
			for _, which := range []func(*Tensor) *Tensor{func(p *Tensor) *Tensor { return p }, (*Tensor).Grad} {
				a, b := which(pair[0]).Data(), which(pair[1]).Data()
				for i := range a {
					if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
						t.Fatalf("step %d: element %d is %v with BackwardAndRecycle, %v with Backward", s, i, b[i], a[i])
					}
				}
			}
		}
		if s > 0 && poolReuses.Load() == before {
			t.Fatalf("step %d took no buffer from the pool", s)
		}
	}
}

// TestBackwardAndRecycleReleasesOnlyResults checks what stays readable after
// BackwardAndRecycle: the parameters (also read through a view), their Grad,
// a retained gradient, the loss (one element) and a Custom op's result, whose
// storage is the caller's; and that a recycled activation fails loudly.
func TestBackwardAndRecycleReleasesOnlyResults(t *testing.T) {
	m := newRecycleModel()
	own := make([]float32, 32*96) // storage a Custom forward returns as is
	for i := range own {
		own[i] = float32(i)
	}
	keptOwn := append([]float32(nil), own...)
	keptW := snapshot(m.w)
	loss, hidden := m.forward()
	hidden.RetainGrad()
	custom := Custom("Own", []*Tensor{hidden},
		func([]*Tensor) *Tensor { return New(own, 32, 96) },
		func(g *Tensor, _ []*Tensor, _ *Tensor) []*Tensor { return []*Tensor{g} })
	total := loss.Add(custom.Mean())
	want := total.Item()
	total.BackwardAndRecycle()

	if got := total.Item(); got != want {
		t.Fatalf("loss after BackwardAndRecycle: %v, want %v", got, want)
	}
	sameValues(t, "weight", m.w.Data(), keptW)
	sameValues(t, "weight through its transposed view", m.w.Transpose(0, 1).Transpose(0, 1).Data(), keptW)
	sameValues(t, "Custom result", custom.Data(), keptOwn)
	for name, g := range map[string]*Tensor{"weight gradient": m.w.Grad(), "retained gradient": hidden.Grad()} {
		for i, v := range g.Data() {
			if math.IsNaN(float64(v)) {
				t.Fatalf("%s element %d is NaN after BackwardAndRecycle", name, i)
			}
		}
	}
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "BackwardAndRecycle") {
			t.Fatalf("reading a recycled activation: panic %q, want one naming BackwardAndRecycle", msg)
		}
	}()
	hidden.Data()
}

// TestBackwardAndRecycleNeedsScalar checks that, like Backward, it refuses a
// tensor of more than one element, with a message naming the shape.
func TestBackwardAndRecycleNeedsScalar(t *testing.T) {
	x := RandN(NewRNG(1), 3, 4).SetRequiresGrad(true)
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "[3 4]") {
			t.Fatalf("panic %q, want one naming the shape [3 4]", msg)
		}
	}()
	x.MulScalar(2).BackwardAndRecycle()
}

// TestGraphScratchKeepsNoTensor checks that a backward pass's scratch goes
// back to the pool holding no tensor (and no storage), so that the pool never
// keeps a step's activations alive, while keeping its capacity.
func TestGraphScratchKeepsNoTensor(t *testing.T) {
	m := newRecycleModel()
	loss, _ := m.forward()
	s := graphScratchPool.Get().(*graphScratch)
	order := s.topoOrder(loss)
	if len(order) < 5 || order[len(order)-1] != loss {
		t.Fatalf("topoOrder listed %d tensors, the loss last: %v", len(order), len(order) > 0 && order[len(order)-1] == loss)
	}
	s.recycleGraphResults(order)
	s.release()
	if cap(s.order) < len(order) {
		t.Errorf("the order's capacity %d was not kept (%d tensors)", cap(s.order), len(order))
	}
	for i, u := range s.order[:cap(s.order)] {
		if u != nil {
			t.Fatalf("order[%d] still holds a tensor after release", i)
		}
	}
	for i, f := range s.stack[:cap(s.stack)] {
		if f.t != nil {
			t.Fatalf("stack[%d] still holds a tensor after release", i)
		}
	}
	if n := len(s.visited) + len(s.keep) + len(s.done); n != 0 {
		t.Fatalf("%d entries left in the scratch's sets after release", n)
	}
}
