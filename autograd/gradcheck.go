package autograd

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/display"
)

// GradCheck compares the gradients autograd computes for f with numerical ones
// from central differences, the standard way to test a backward pass.
//
// f maps the inputs to any tensor; GradCheck reduces it to the scalar
// L = Σ out ⊙ r with a fixed random r (so every output element matters), then
// for every element of every input that requires gradients compares
// dL/dx from Backward with (L(x+ε) − L(x−ε)) / 2ε, accumulated in float64.
// An element passes when |analytic − numerical| ≤ atol + rtol·|numerical|.
//
// Inputs may be non-contiguous views (transposed, sliced, expanded); an element
// of storage that several positions share (an expanded dim) is perturbed once and
// compared with the sum of their gradients. f must be deterministic (re-seed any
// RNG inside it). The inputs' Grad is restored afterwards. The error names the
// input, the worst element and both values. It returns display.ErrInterrupted if
// the notebook's stop button is pressed while it runs. Forward passes run in float32, so
// use eps around 1e-3..1e-2 and tolerances around 1e-2 for O(1) values.
func GradCheck(f func(inputs []*Tensor) *Tensor, inputs []*Tensor, eps, atol, rtol float64) error {
	saved := make([]*Tensor, len(inputs))
	anyGrad := false
	for i, in := range inputs {
		saved[i] = in.grad
		in.grad = nil
		anyGrad = anyGrad || in.requiresGrad
	}
	defer func() {
		for i, in := range inputs {
			in.grad = saved[i]
		}
	}()
	if !anyGrad {
		return fmt.Errorf("autograd.GradCheck: no input requires grad; call SetRequiresGrad(true) on the inputs to check")
	}

	out := f(inputs)
	if !out.requiresGrad {
		return fmt.Errorf("autograd.GradCheck: the output (shape %v) does not require grad: f does not depend differentiably on the inputs", out.shape)
	}
	rng := NewRNG(12345)
	r := Uniform(rng, 0.5, 1.5, out.shape...)
	for i := range r.data {
		if rng.Float32() < 0.5 {
			r.data[i] = -r.data[i]
		}
	}
	rd := r.Data()
	loss := func() float64 {
		var o *Tensor
		NoGrad(func() { o = f(inputs) })
		od := o.Data()
		var s float64
		for i, v := range od {
			s += float64(v) * float64(rd[i])
		}
		return s
	}
	out.BackwardWith(r)

	for k, in := range inputs {
		if !in.requiresGrad {
			continue
		}
		var grad []float32
		if in.grad != nil {
			grad = in.grad.Data()
		} else {
			grad = make([]float32, in.Numel()) // no path from this input: gradient 0
		}
		// Map every logical element to its storage slot; sum gradients of aliases.
		slots := storageSlots(in)
		analytic := map[int]float64{}
		first := map[int]int{}
		var order []int
		for p, s := range slots {
			if _, ok := first[s]; !ok {
				first[s] = p
				order = append(order, s)
			}
			analytic[s] += float64(grad[p])
		}
		worst, worstExcess := -1, 0.0
		var worstA, worstN float64
		for _, s := range order {
			// Two forward passes per element add up: honour the stop button.
			if err := display.CheckInterrupt(); err != nil {
				return err
			}
			orig := in.data[s]
			in.data[s] = float32(float64(orig) + eps)
			hPlus := float64(in.data[s]) - float64(orig)
			lPlus := loss()
			in.data[s] = float32(float64(orig) - eps)
			hMinus := float64(in.data[s]) - float64(orig)
			lMinus := loss()
			in.data[s] = orig
			num := (lPlus - lMinus) / (hPlus - hMinus)
			a := analytic[s]
			excess := math.Abs(a-num) - (atol + rtol*math.Abs(num))
			if math.IsNaN(a) || math.IsNaN(num) {
				excess = math.Inf(1)
			}
			if excess > 0 && (worst < 0 || excess > worstExcess) {
				worst, worstExcess, worstA, worstN = s, excess, a, num
			}
		}
		if worst >= 0 {
			return fmt.Errorf("autograd.GradCheck: input %d (shape %v): element %v: analytic gradient %.6g vs numerical %.6g (|diff| %.3g > atol %g + rtol %g·|numerical|)",
				k, in.shape, unravel(first[worst], in.shape), worstA, worstN, math.Abs(worstA-worstN), atol, rtol)
		}
	}
	return nil
}

// storageSlots lists, for every element of t in row-major order, its index in storage.
func storageSlots(t *Tensor) []int {
	slots := make([]int, 0, t.Numel())
	n, s := t.lastDim()
	for _, r := range rowOffsets(t.shape, t.strides, t.offset) {
		for j := 0; j < n; j++ {
			slots = append(slots, r+j*s)
		}
	}
	return slots
}

// unravel turns a row-major position into a multi-index of shape.
func unravel(p int, shape []int) []int {
	idx := make([]int, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		if shape[k] > 0 {
			idx[k] = p % shape[k]
			p /= shape[k]
		}
	}
	return idx
}
