package autograd

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// close32 reports whether two float32 values agree within tol (absolute).
func close32(a, b float32, tol float64) bool { return math.Abs(float64(a)-float64(b)) <= tol }

// expectData fails unless t holds want (within tol) and has the given shape.
func expectData(t *testing.T, name string, got *Tensor, shape []int, want []float32, tol float64) {
	t.Helper()
	if !SameShape(got.Shape(), shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape(), shape)
	}
	d := got.Data()
	for i := range want {
		if !close32(d[i], want[i], tol) {
			t.Fatalf("%s: element %d = %v, want %v (all: %v)", name, i, d[i], want[i], d)
		}
	}
}

// expectPanic fails unless f panics with a message containing every fragment.
func expectPanic(t *testing.T, name string, f func(), fragments ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("%s: expected a panic", name)
		}
		msg, _ := r.(string)
		for _, fr := range fragments {
			if !strings.Contains(msg, fr) {
				t.Fatalf("%s: panic %q does not mention %q", name, msg, fr)
			}
		}
	}()
	f()
}

func TestCreation(t *testing.T) {
	expectData(t, "New", New([]float32{1, 2, 3, 4, 5, 6}, 2, 3), []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}, 0)
	expectData(t, "Zeros", Zeros(2, 2), []int{2, 2}, []float32{0, 0, 0, 0}, 0)
	expectData(t, "Ones", Ones(3), []int{3}, []float32{1, 1, 1}, 0)
	expectData(t, "Full", Full(2.5, 1, 2), []int{1, 2}, []float32{2.5, 2.5}, 0)
	expectData(t, "Arange", Arange(0, 1, 0.25), []int{4}, []float32{0, 0.25, 0.5, 0.75}, 0)
	expectData(t, "Eye", Eye(2), []int{2, 2}, []float32{1, 0, 0, 1}, 0)
	expectData(t, "Linspace", Linspace(0, 1, 5), []int{5}, []float32{0, 0.25, 0.5, 0.75, 1}, 0)
	expectData(t, "FromInts", FromInts([]int{3, -1, 0, 2}, 2, 2), []int{2, 2}, []float32{3, -1, 0, 2}, 0)
	if got := New([]float32{2.9, -0.6, 1, 0.4}, 2, 2).T().Ints(); fmt.Sprint(got) != "[3 1 -1 0]" {
		t.Fatalf("Ints of the transposed view: %v", got)
	}
	if s := Scalar(3); s.Dim() != 0 || s.Item() != 3 {
		t.Fatalf("Scalar: dim %d item %v", s.Dim(), s.Item())
	}
	expectPanic(t, "New bad", func() { New([]float32{1, 2, 3}, 2, 2) }, "New", "3 values", "[2 2]")
	expectPanic(t, "Item", func() { Ones(2).Item() }, "Item", "[2]")
	expectPanic(t, "At", func() { Ones(2, 2).At(0, 2) }, "At", "index 2", "[2 2]")
}

func TestBackwardSimpleGraph(t *testing.T) {
	// y = sum(x*w + b) with x = [1,2,3], w = [4,5,6], b = 1:
	// dy/dx = w, dy/dw = x, dy/db = 3.
	x := New([]float32{1, 2, 3}).SetRequiresGrad(true)
	w := New([]float32{4, 5, 6}).SetRequiresGrad(true)
	b := Scalar(1).SetRequiresGrad(true)
	y := x.Mul(w).Add(b).Sum()
	if y.Item() != 35 {
		t.Fatalf("forward %v, want 35", y.Item())
	}
	y.Backward()
	expectData(t, "dx", x.Grad(), []int{3}, []float32{4, 5, 6}, 0)
	expectData(t, "dw", w.Grad(), []int{3}, []float32{1, 2, 3}, 0)
	expectData(t, "db", b.Grad(), []int{}, []float32{3}, 0)
}
