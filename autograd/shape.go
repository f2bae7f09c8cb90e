package autograd

import (
	"fmt"
	"slices"
)

// This file holds the small shape and stride arithmetic every op shares:
// element counts, row-major strides, dim normalisation and broadcasting.

// numel is the number of elements of a tensor with the given shape (1 for a scalar).
func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// rowMajorStrides returns the strides of a contiguous row-major tensor: the last
// dim has stride 1 and each earlier dim jumps over all later ones.
func rowMajorStrides(shape []int) []int {
	strides := make([]int, len(shape))
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		strides[i] = s
		s *= shape[i]
	}
	return strides
}

// copyInts returns a copy of s, so that tensors never share shape slices with callers.
func copyInts(s []int) []int {
	out := make([]int, len(s))
	copy(out, s)
	return out
}

// SameShape reports whether two shapes are equal: the same number of
// dimensions and the same size in each (nil and [] are both a scalar's
// shape). Every package compares shapes with it.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// normDim turns a possibly negative dim into an index in [0, ndim), panicking with
// the op name when it is out of range (like torch's "Dimension out of range").
func normDim(op string, dim, ndim int) int {
	d := dim
	if d < 0 {
		d += ndim
	}
	if d < 0 || d >= ndim {
		panic(fmt.Sprintf("autograd.%s: dim %d out of range for a %d-d tensor (expected %d..%d)", op, dim, ndim, -ndim, ndim-1))
	}
	return d
}

// normDims normalises a list of dims and rejects duplicates. An empty list means
// every dim, the convention of the reductions.
func normDims(op string, dims []int, ndim int) []int {
	return appendNormDims(nil, op, dims, ndim)
}

// appendNormDims is normDims appending to out, so that a caller can pass a
// buffer on its stack. Up to 64 dims, the dims already seen are the bits of
// one word rather than a slice of their own.
func appendNormDims(out []int, op string, dims []int, ndim int) []int {
	if len(dims) == 0 {
		for i := range ndim {
			out = append(out, i)
		}
		return out
	}
	var seenBits uint64
	var seen []bool
	if ndim > 64 {
		seen = make([]bool, ndim)
	}
	for _, d := range dims {
		nd := normDim(op, d, ndim)
		var dup bool
		if seen != nil {
			dup, seen[nd] = seen[nd], true
		} else {
			dup = seenBits&(1<<nd) != 0
			seenBits |= 1 << nd
		}
		if dup {
			// A copy in the message, so that dims (often a caller's
			// variadic arguments) does not escape to the heap.
			panic(fmt.Sprintf("autograd.%s: dim %d appears more than once in %v", op, d, slices.Clone(dims)))
		}
		out = append(out, nd)
	}
	return out
}

// broadcastShapes computes the NumPy/PyTorch broadcast of two shapes: align them
// on the right, and in each position the sizes must be equal or one of them 1.
func broadcastShapes(op string, a, b []int) []int {
	return appendBroadcastShape(nil, op, a, b)
}

// appendBroadcastShape is broadcastShapes appending to dst, so that a caller
// can pass a buffer on its stack.
func appendBroadcastShape(dst []int, op string, a, b []int) []int {
	n := max(len(a), len(b))
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		default:
			panic(fmt.Sprintf("autograd.%s: shapes %v and %v do not broadcast (dim %d: %d vs %d)", op, a, b, i-n, da, db))
		}
	}
	return dst
}

// broadcastStrides returns the strides that make a tensor of shape/strides read as
// if it had shape target: missing leading dims and size-1 dims get stride 0.
// The caller has already checked that shape broadcasts to target.
func broadcastStrides(shape, strides, target []int) []int {
	out := make([]int, len(target))
	off := len(target) - len(shape)
	for i := range shape {
		if shape[i] != 1 || target[off+i] == 1 {
			out[off+i] = strides[i]
		}
	}
	return out
}

// broadcastRows walks t broadcast to shape one innermost row at a time: it
// returns the storage offset of every row (row-major order) and the stride
// between the elements of a row (0 when the last dim is broadcast). The
// element ops on broadcast operands (zipRows, Where) read through it.
func broadcastRows(t *Tensor, shape []int) (rows []int, inner int) {
	s := broadcastStrides(t.shape, t.strides, shape)
	inner = 1
	if len(s) > 0 {
		inner = s[len(s)-1]
	}
	return rowOffsets(shape, s, t.offset), inner
}

// checkShape validates a user-given shape: no negative sizes.
func checkShape(op string, shape []int) {
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("autograd.%s: negative size in shape %v", op, slices.Clone(shape))) // a copy: shape stays off the heap
		}
	}
}
