package autograd

import (
	"fmt"
	"testing"
)

// Gradient checks on randomly drawn shapes: broadcasting pairs, reductions over
// random dim sets, batched matmuls with broadcast batch dims, and the
// normalisation ops over random sizes. Each trial also picks a random layout for
// every input (contiguous, or a transposed/permuted view of the same values).

// randomShape draws 1..maxDims dims of size 1..maxSize.
func randomShape(r *RNG, maxDims, maxSize int) []int {
	s := make([]int, 1+r.Intn(maxDims))
	for i := range s {
		s[i] = 1 + r.Intn(maxSize)
	}
	return s
}

// broadcastPartner returns a shape that broadcasts with s: a suffix of s with
// some dims set to 1.
func broadcastPartner(r *RNG, s []int) []int {
	p := copyInts(s[r.Intn(len(s)):])
	for i := range p {
		if r.Intn(3) == 0 {
			p[i] = 1
		}
	}
	return p
}

// randomLayout returns a leaf with the given shape and random values, either
// contiguous or as a reversed-dims permutation of a contiguous tensor.
func randomLayout(r *RNG, shape []int) *Tensor {
	if len(shape) < 2 || r.Intn(2) == 0 {
		return leaf(r, shape...)
	}
	rev := make([]int, len(shape))
	perm := make([]int, len(shape))
	for i := range shape {
		rev[i] = shape[len(shape)-1-i]
		perm[i] = len(shape) - 1 - i
	}
	return RandN(r, rev...).Permute(perm...).SetRequiresGrad(true)
}

func TestGradCheckRandomShapes(t *testing.T) {
	r := NewRNG(2024)
	check := func(name string, f func(x []*Tensor) *Tensor, inputs ...*Tensor) {
		t.Helper()
		shapes := make([]string, len(inputs))
		for i, in := range inputs {
			shapes[i] = fmt.Sprint(in.Shape())
		}
		if err := GradCheck(f, inputs, 1e-3, 1e-2, 1e-2); err != nil {
			t.Fatalf("%s on shapes %v: %v", name, shapes, err)
		}
	}
	binary := []struct {
		name string
		f    func(a, b *Tensor) *Tensor
	}{
		{"Add", func(a, b *Tensor) *Tensor { return a.Add(b) }},
		{"Sub", func(a, b *Tensor) *Tensor { return a.Sub(b) }},
		{"Mul", func(a, b *Tensor) *Tensor { return a.Mul(b) }},
		{"Div", func(a, b *Tensor) *Tensor { return a.Div(b.Abs().AddScalar(0.5)) }},
		{"Maximum", func(a, b *Tensor) *Tensor { return a.Maximum(b) }},
		{"Where", func(a, b *Tensor) *Tensor { return Where(a.GtScalar(0), a, b) }},
	}
	for trial := 0; trial < 30; trial++ {
		s := randomShape(r, 4, 4)
		p := broadcastPartner(r, s)
		if r.Intn(2) == 0 {
			s, p = p, s
		}
		op := binary[trial%len(binary)]
		check(op.name, func(x []*Tensor) *Tensor { return op.f(x[0], x[1]) }, randomLayout(r, s), randomLayout(r, p))
	}
	for trial := 0; trial < 20; trial++ {
		s := randomShape(r, 4, 4)
		var dims []int
		for d := range s {
			if r.Intn(2) == 0 {
				dims = append(dims, d-len(s)*r.Intn(2)) // some dims negative
			}
		}
		keep := r.Intn(2) == 0
		x := randomLayout(r, s)
		check(fmt.Sprintf("Sum/Mean/Var dims %v keep %v", dims, keep), func(x []*Tensor) *Tensor {
			if keep {
				return x[0].SumKeepDim(dims...).Add(x[0].MeanKeepDim(dims...).Square())
			}
			v := x[0].Mean(dims...)
			if reducedCount(x[0].Shape(), dims) > 1 {
				v = v.Add(x[0].Var(true, false, dims...))
			}
			return x[0].Sum(dims...).Mul(v)
		}, x)
	}
	for trial := 0; trial < 15; trial++ {
		m, k, n := 1+r.Intn(5), 1+r.Intn(5), 1+r.Intn(5)
		batchA := randomShape(r, 2, 3)
		batchB := broadcastPartner(r, batchA)
		if r.Intn(3) == 0 {
			batchB = nil // a plain matrix against a batch
		}
		a := randomLayout(r, append(copyInts(batchA), m, k))
		b := randomLayout(r, append(copyInts(batchB), k, n))
		check("MatMul", func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }, a, b)
	}
	for trial := 0; trial < 10; trial++ {
		s := randomShape(r, 3, 5)
		d := s[len(s)-1]
		dim := r.Intn(len(s)) - len(s)*r.Intn(2)
		x := randomLayout(r, s)
		w, b := leaf(r, d), leaf(r, d)
		check(fmt.Sprintf("Softmax/LogSoftmax(%d)/LayerNorm", dim), func(x []*Tensor) *Tensor {
			return x[0].Softmax(dim).Add(x[0].LogSoftmax(dim)).Add(LayerNorm(x[0], x[1], x[2], 1e-5))
		}, x, w, b)
	}
}
