package autograd

import (
	"math"
	"math/bits"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Buffer reuse: where the float32 storage of tensors comes from, and when it
// goes back.
//
// A training step creates the same tensors every time: the forward pass's
// activations, then in Backward one gradient per activation, each as large as
// the tensor it belongs to. Allocating them afresh costs more than the
// allocation itself: Go zeroes every new buffer and, once the garbage
// collector has returned freed pages to the operating system, the first write
// to each page faults it back in. So the buffers that can come back are taken
// from a pool of size classes (newBuffer, newBufferNoZero) and returned to it
// (recycle), to be handed out again later in the same step or in the next one.
//
// The rule that makes this safe: a buffer goes back to the pool only from a
// place where autograd itself holds the only reference to it, which is when
// one of these is true:
//
//  1. It holds a gradient flowing through Backward. Those tensors are created
//     by the backward functions during the pass and belong to the engine: a
//     leaf's Grad (and a retained Grad) is a copy, never one of them. Backward
//     returns one to the pool once every pending gradient that shares its
//     storage (Add hands the same gradient to both inputs, Reshape a view of
//     it) has been consumed. The gradient you pass to BackwardWith is yours,
//     and its storage is never recycled.
//  2. It is state an op saved privately for its own backward pass (GELU's
//     Φ(x), Dropout's mask, LayerNorm's per-row mean and 1/σ): nothing outside
//     the op ever sees it, so it is recycled as soon as the backward function
//     has used it, or at once when no graph was recorded (NoGrad).
//  3. It is a scratch buffer of one op's computation that never leaves the op.
//
// A tensor an op returns to its caller is never recycled by autograd: the
// caller may keep it (a loss, the logits, a hidden state a hook recorded, an
// attention map a notebook plots), or a slice of its storage obtained with
// Data, and Go gives a library no way to know when the last of those goes.
// So an op's result comes from the pool only while a Backward pass runs (it
// is then a gradient, rule 1) and from the Go allocator otherwise
// (newResult, newResultNoZero): the pool serves the buffers that come back to
// it, and the garbage collector frees the caller's. Parameters and their Grad
// buffers live as long as the model and never go back to the pool either.
//
// The pool is a sync.Pool per size class, so buffers nobody asks for again
// are dropped by the garbage collector after a cycle or two: a notebook that
// stops training does not keep its gradients' memory forever. Buffers below
// poolMinFloats come from the Go allocator directly, which is as fast for
// them. Set TURINGLAB_POISON_RECYCLED=1 in the environment (the package's own
// tests do it for themselves) to fill every recycled buffer with NaN, so that
// a use after recycling shows up as NaN instead of as plausible numbers.

// poolMinFloats is the smallest buffer (4 KiB) worth pooling.
const poolMinFloats = 1024

// Size classes: eight per power of two 2^b (2^b, 1.125·2^b, ..., 1.875·2^b),
// from poolMinFloats up, so a request is rounded up by at most an eighth.
const (
	poolMinLog2  = 10 // log2(poolMinFloats)
	classLog2    = 3  // log2(classes per power of two)
	classesPerP2 = 1 << classLog2
	numClasses   = (40 - poolMinLog2) * classesPerP2 // up to 2^40 floats
)

// classSize is the length of the buffers of class i.
func classSize(i int) int {
	return (classesPerP2 + i%classesPerP2) << (poolMinLog2 - classLog2 + i/classesPerP2)
}

// classUp is the smallest class whose buffers hold n ≥ poolMinFloats values.
func classUp(n int) int {
	b := bits.Len(uint(n)) - 1 // 2^b ≤ n < 2^(b+1)
	step := 1 << (b - classLog2)
	j := (n - 1<<b + step - 1) / step       // steps above 2^b, rounded up
	return (b-poolMinLog2)*classesPerP2 + j // j = 8 is the next power's first class
}

// classDown is the largest class whose buffers fit in capacity c ≥
// poolMinFloats: the class a returned buffer is filed under.
func classDown(c int) int {
	b := bits.Len(uint(c)) - 1
	j := (c - 1<<b) >> (b - classLog2)
	return (b-poolMinLog2)*classesPerP2 + j
}

// pools holds the free buffers of each class, each stored as a pointer to its
// first element (an unsafe.Pointer goes into an interface without an
// allocation); the class gives the length.
var pools [numClasses]sync.Pool

// poolReuses counts buffers handed out again; the tests read it to check that
// reuse happens.
var poolReuses atomic.Int64

// poisonRecycled makes recycle fill buffers with NaN (see the rule above).
var poisonRecycled = os.Getenv("TURINGLAB_POISON_RECYCLED") != ""

// newBufferNoZero returns n float32s whose values are whatever the buffer
// held before: the caller must write every element before anything reads it.
func newBufferNoZero(n int) []float32 {
	if n < poolMinFloats {
		return make([]float32, n)
	}
	c := classUp(n)
	if c >= numClasses {
		return make([]float32, n)
	}
	if p, ok := pools[c].Get().(unsafe.Pointer); ok {
		poolReuses.Add(1)
		return unsafe.Slice((*float32)(p), classSize(c))[:n]
	}
	return make([]float32, n, classSize(c))
}

// newBuffer returns n zeros, from the pool when it has a buffer of the size.
func newBuffer(n int) []float32 {
	b := newBufferNoZero(n)
	clear(b)
	return b
}

// backwardPasses counts the Backward calls running. It is process-wide, so a
// forward pass on another goroutine during a Backward may get pooled result
// buffers too; that only changes where its memory comes from, not who owns it.
var backwardPasses atomic.Int32

// newResultNoZero returns storage for an op's result, which the caller must
// fill entirely: from the pool during Backward (a gradient, which Backward
// recycles), from the Go allocator otherwise (the caller's, never recycled).
func newResultNoZero(n int) []float32 {
	if backwardPasses.Load() > 0 {
		return newBufferNoZero(n)
	}
	return make([]float32, n)
}

// newResult is newResultNoZero filled with zeros.
func newResult(n int) []float32 {
	if backwardPasses.Load() > 0 {
		return newBuffer(n)
	}
	return make([]float32, n)
}

// recycle hands buf (the storage of a tensor that nothing else references; see
// the rule above) back to the pool. Small buffers are left to the garbage
// collector.
func recycle(buf []float32) {
	c := cap(buf)
	if c < poolMinFloats {
		return
	}
	buf = buf[:c]
	if poisonRecycled {
		nan := float32(math.NaN())
		for i := range buf {
			buf[i] = nan
		}
	}
	if k := classDown(c); k < numClasses {
		pools[k].Put(unsafe.Pointer(unsafe.SliceData(buf)))
	}
}

// storageKey identifies a tensor's storage: views share it with the tensor they
// were taken from. It is nil for an empty storage.
func storageKey(t *Tensor) *float32 {
	if cap(t.data) == 0 {
		return nil
	}
	return unsafe.SliceData(t.data)
}
