package autograd

import (
	"fmt"
	"testing"
)

// Values of the indexing, joining and max/min ops (their gradients are in the
// gradient-check table).
func TestIndexingValues(t *testing.T) {
	x := New([]float32{
		3, 1, 4,
		1, 5, 9,
		2, 6, 5,
		3, 5, 8,
	}, 4, 3)
	expectData(t, "IndexSelect rows", x.IndexSelect(0, []int{2, 0, 2}), []int{3, 3}, []float32{2, 6, 5, 3, 1, 4, 2, 6, 5}, 0)
	expectData(t, "IndexSelect cols", x.IndexSelect(1, []int{2}), []int{4, 1}, []float32{4, 9, 5, 8}, 0)
	// torch.gather(x, 1, [[0],[2],[1],[1]]) picks one element per row.
	expectData(t, "Gather", x.Gather(1, []int{0, 2, 1, 1}, []int{4, 1}), []int{4, 1}, []float32{3, 9, 6, 5}, 0)
	expectData(t, "Gather dim 0", x.Gather(0, []int{3, 0, 1}, []int{1, 3}), []int{1, 3}, []float32{3, 1, 9}, 0)

	v, idx := x.MaxDim(1, false)
	expectData(t, "MaxDim values", v, []int{4}, []float32{4, 9, 6, 8}, 0)
	if fmt.Sprint(idx) != "[2 2 1 2]" {
		t.Fatalf("MaxDim indices %v", idx)
	}
	v, idx = x.MinDim(0, true)
	expectData(t, "MinDim values", v, []int{1, 3}, []float32{1, 1, 4}, 0)
	if fmt.Sprint(idx) != "[1 0 0]" { // ties go to the first index
		t.Fatalf("MinDim indices %v", idx)
	}
	if got := x.ArgMax(0); fmt.Sprint(got) != "[0 2 1]" {
		t.Fatalf("ArgMax(0) = %v", got)
	}
	if got := x.ArgMin(-1); fmt.Sprint(got) != "[1 0 0 0]" {
		t.Fatalf("ArgMin(-1) = %v", got)
	}
	expectData(t, "Amax dims", x.Amax(false, 0, 1), []int{}, []float32{9}, 0)
	expectData(t, "Amin keepdim", x.Amin(true, 1), []int{4, 1}, []float32{1, 1, 2, 3}, 0)

	parts := x.Split(3, 0)
	if len(parts) != 2 || !SameShape(parts[1].Shape(), []int{1, 3}) {
		t.Fatalf("Split(3, 0) of [4 3]: %d parts, last %v", len(parts), parts[len(parts)-1].Shape())
	}
	back := Cat(parts, 0)
	expectData(t, "Cat(Split)", back, []int{4, 3}, x.Data(), 0)
	st := Stack([]*Tensor{x.Select(1, 0), x.Select(1, 2)}, -1)
	expectData(t, "Stack", st, []int{4, 2}, []float32{3, 4, 1, 9, 2, 5, 3, 8}, 0)

	mask := x.GtScalar(4)
	expectData(t, "MaskedFill", x.MaskedFill(mask, 0), []int{4, 3}, []float32{3, 1, 4, 1, 0, 0, 2, 0, 0, 3, 0, 0}, 0)
	expectData(t, "Where", Where(mask, Scalar(1), Scalar(-1)), []int{4, 3}, []float32{-1, -1, -1, -1, 1, 1, -1, 1, 1, -1, 1, 1}, 0)
}
