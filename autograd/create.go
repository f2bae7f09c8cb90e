package autograd

import (
	"fmt"
	"math"
)

// New makes a tensor of the given shape from data, in row-major order. The tensor
// takes ownership of data (it is not copied). With no shape, data is read as a 1-D
// vector — except a single value, which becomes a 0-d scalar, so that a shape []
// read from a checkpoint comes back as a scalar (use New(v, 1) for a 1-element
// vector). It panics if len(data) does not match the shape.
func New(data []float32, shape ...int) *Tensor {
	if len(shape) == 0 && len(data) != 1 {
		shape = []int{len(data)}
	}
	checkShape("New", shape)
	if n := numel(shape); n != len(data) {
		panic(fmt.Sprintf("autograd.New: %d values do not fill shape %v (%d elements)", len(data), shape, n))
	}
	return fromData(data, shape)
}

// FromFloat64s makes a tensor from float64 values (converted to float32).
func FromFloat64s(data []float64, shape ...int) *Tensor {
	f := make([]float32, len(data))
	for i, v := range data {
		f[i] = float32(v)
	}
	return New(f, shape...)
}

// FromInts makes a float32 tensor from integers (labels, ids, counts), so that a
// cell can do tensor math on them without an element loop.
func FromInts(data []int, shape ...int) *Tensor {
	f := make([]float32, len(data))
	for i, v := range data {
		f[i] = float32(v)
	}
	return New(f, shape...)
}

// Zeros returns a tensor of the given shape filled with 0.
func Zeros(shape ...int) *Tensor {
	checkShape("Zeros", shape)
	return fromData(newResult(numel(shape)), shape) // fromData copies the shape
}

// Ones returns a tensor of the given shape filled with 1.
func Ones(shape ...int) *Tensor { return Full(1, shape...) }

// Full returns a tensor of the given shape with every element equal to v.
func Full(v float32, shape ...int) *Tensor {
	checkShape("Full", shape)
	data := newResultNoZero(numel(shape))
	for i := range data {
		data[i] = v
	}
	return fromData(data, shape)
}

// ZerosLike returns zeros with t's shape.
func ZerosLike(t *Tensor) *Tensor { return Zeros(t.shape...) }

// OnesLike returns ones with t's shape.
func OnesLike(t *Tensor) *Tensor { return Ones(t.shape...) }

// Scalar returns a 0-d tensor holding v.
func Scalar(v float32) *Tensor { return fromData([]float32{v}, []int{}) }

// Arange returns the 1-D tensor start, start+step, ... up to but excluding end,
// like torch.arange. The element count is ceil((end-start)/step).
func Arange(start, end, step float32) *Tensor {
	if step == 0 {
		panic("autograd.Arange: step must be non-zero")
	}
	n := int(math.Ceil(float64(end-start) / float64(step)))
	if n < 0 {
		n = 0
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = start + float32(i)*step
	}
	return fromData(data, []int{n})
}

// Linspace returns n evenly spaced values from start to end inclusive.
func Linspace(start, end float32, n int) *Tensor {
	if n < 0 {
		panic(fmt.Sprintf("autograd.Linspace: negative count %d", n))
	}
	data := make([]float32, n)
	for i := range data {
		if n == 1 {
			data[i] = start
			break
		}
		data[i] = float32(float64(start) + float64(i)*(float64(end)-float64(start))/float64(n-1))
	}
	return fromData(data, []int{n})
}

// Eye returns the n×n identity matrix.
func Eye(n int) *Tensor {
	t := Zeros(n, n)
	for i := 0; i < n; i++ {
		t.data[i*n+i] = 1
	}
	return t
}
