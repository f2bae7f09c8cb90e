package autograd

import (
	"testing"
)

// Shape errors panic with the op and both shapes in the message, never an index
// out of range from inside a loop.
func TestShapeErrorMessages(t *testing.T) {
	a, b := Ones(2, 3), Ones(4, 5)
	cases := []struct {
		name      string
		f         func()
		fragments []string
	}{
		{"Add", func() { a.Add(Ones(2, 4)) }, []string{"Add", "[2 3]", "[2 4]", "broadcast"}},
		{"Mul", func() { a.Mul(Ones(3, 3)) }, []string{"Mul", "[2 3]", "[3 3]"}},
		{"MatMul", func() { a.MatMul(b) }, []string{"MatMul", "[2 3]", "[4 5]", "3 and 4"}},
		{"MatMul batch", func() { Ones(2, 2, 3).MatMul(Ones(3, 3, 1)) }, []string{"MatMul", "[2]", "[3]"}},
		{"MatMul vectors", func() { Ones(3).MatMul(Ones(4)) }, []string{"MatMul", "[3]", "[4]", "3 and 4"}},
		{"MatMul scalar", func() { Scalar(1).MatMul(a) }, []string{"MatMul", "[]", "[2 3]"}},
		{"Linear input", func() { Linear(a, b, nil) }, []string{"Linear", "[2 3]", "[4 5]"}},
		{"Linear bias", func() { Linear(a, Ones(4, 3), Ones(3)) }, []string{"Linear", "bias", "[3]", "[4]"}},
		{"Reshape", func() { a.Reshape(4, 2) }, []string{"Reshape", "[2 3]", "[4 2]"}},
		{"Reshape -1", func() { a.Reshape(4, -1) }, []string{"Reshape", "[2 3]", "[4 -1]"}},
		{"Permute", func() { a.Permute(0) }, []string{"Permute", "[2 3]"}},
		{"Permute dup", func() { a.Permute(0, 0) }, []string{"Permute", "more than once"}},
		{"Expand", func() { a.Expand(2, 4) }, []string{"Expand", "[2 3]", "[2 4]"}},
		{"Sum dim", func() { a.Sum(2) }, []string{"Sum", "dim 2", "2-d"}},
		{"Softmax dim", func() { a.Softmax(-3) }, []string{"Softmax", "dim -3"}},
		{"Cat", func() { Cat([]*Tensor{a, b}, 0) }, []string{"Cat", "[4 5]", "[2 3]"}},
		{"Stack", func() { Stack([]*Tensor{a, b}, 0) }, []string{"Stack", "[4 5]", "[2 3]"}},
		{"Where", func() { Where(Ones(3), a, Ones(2)) }, []string{"Where", "[3]", "[2]"}},
		{"MaskedFill", func() { a.MaskedFill(Ones(2, 2, 3), 0) }, []string{"MaskedFill", "[2 2 3]", "[2 3]"}},
		{"IndexSelect", func() { a.IndexSelect(1, []int{3}) }, []string{"IndexSelect", "index 3", "size 3"}},
		{"Gather", func() { a.Gather(0, []int{0}, []int{1}) }, []string{"Gather", "[1]", "[2 3]"}},
		{"Select", func() { a.Select(0, 2) }, []string{"Select", "index 2", "size 2"}},
		{"Narrow", func() { a.Narrow(1, 2, 2) }, []string{"Narrow", "size 3"}},
		{"SplitSizes", func() { a.SplitSizes([]int{1, 1}, 1) }, []string{"SplitSizes", "add up to 2", "size 3"}},
		{"BCE", func() { BCEWithLogits(a, Ones(3), "mean") }, []string{"BCEWithLogits", "[2 3]", "[3]"}},
		{"Embedding weight", func() { Embedding(Ones(3), []int{0}, nil, -1) }, []string{"Embedding", "2-D", "[3]"}},
		{"Dropout p", func() { Dropout(a, 1.5, true, NewRNG(1)) }, []string{"Dropout", "1.5"}},
		{"SetGrad", func() { a.SetGrad(Ones(3)) }, []string{"SetGrad", "[3]", "[2 3]"}},
		{"Zeros", func() { Zeros(2, -1) }, []string{"Zeros", "negative", "[2 -1]"}},
		{"Norm p", func() { a.Norm(-1, false) }, []string{"Norm", "positive"}},
		{"Loss reduction", func() { MSE(a, a, "average") }, []string{"MSE", "average"}},
	}
	for _, c := range cases {
		expectPanic(t, c.name, c.f, c.fragments...)
	}
}
