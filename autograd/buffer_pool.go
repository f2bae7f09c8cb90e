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
// A tensor an op returns to its caller is not recycled by autograd on its
// own: the caller may keep it (a loss, the logits, a hidden state a hook
// recorded, an attention map a notebook plots), or a slice of its storage
// obtained with Data, and Go gives a library no way to know when the last of
// those goes. Only the caller can say so, and BackwardAndRecycle is how: a
// training loop that reads nothing of a step's results after its backward
// pass calls it instead of Backward, and the graph's results (the forward
// activations, rule 4 below) go back to the pool too.
//
//  4. It is the storage of a result of a graph passed to BackwardAndRecycle,
//     which is the caller's statement that nothing reads those results any
//     more; the storage of the leaves (the parameters, also seen through
//     views) and of Custom ops' results is excluded.
//
// An op's result (newResult, newResultNoZero) takes a free buffer from the
// pool when there is one, else a new one from the Go allocator; without
// BackwardAndRecycle the garbage collector frees it when the caller drops
// it. Parameters and their Grad buffers live as long as the model and never
// go back to the pool.
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
	if b, ok := takePooled(n); ok {
		return b
	}
	return makeInClass(n)
}

// takePooled returns a free buffer of the pool for n floats, and false when
// the pool has none (or n is outside its classes).
func takePooled(n int) ([]float32, bool) {
	if n < poolMinFloats {
		return nil, false
	}
	c := classUp(n)
	if c >= numClasses {
		return nil, false
	}
	p, ok := pools[c].Get().(unsafe.Pointer)
	if !ok {
		return nil, false
	}
	poolReuses.Add(1)
	return unsafe.Slice((*float32)(p), classSize(c))[:n], true
}

// makeInClass allocates n zeros from the Go allocator with the capacity of
// their size class, so that the buffer goes back to the class it was asked
// from.
func makeInClass(n int) []float32 {
	if n < poolMinFloats || classUp(n) >= numClasses {
		return make([]float32, n)
	}
	return make([]float32, n, classSize(classUp(n)))
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

// resultsRecycled is set by the first BackwardAndRecycle: from then on the
// forward pass's results are allocated in the pool's size classes, so that
// the buffers a step recycles fit the same requests of the next step.
var resultsRecycled atomic.Bool

// newResultNoZero returns storage for an op's result, which the caller must
// fill entirely. During Backward it comes from the pool (a gradient, which
// Backward recycles). Otherwise it is a free buffer of the pool when there is
// one (a BackwardAndRecycle returned it), else a new one from the Go
// allocator: of its class's capacity once BackwardAndRecycle is in use, of
// exactly n before. Either way it is the caller's, and only a
// BackwardAndRecycle through it hands it back.
func newResultNoZero(n int) []float32 {
	b, _ := resultBuffer(n)
	return b
}

// newResult is newResultNoZero filled with zeros.
func newResult(n int) []float32 {
	b, zeroed := resultBuffer(n)
	if !zeroed {
		clear(b)
	}
	return b
}

// resultBuffer is newResultNoZero, also telling whether the buffer is new
// from the Go allocator, and so already zero.
func resultBuffer(n int) ([]float32, bool) {
	if b, ok := takePooled(n); ok {
		return b, false
	}
	if backwardPasses.Load() > 0 || resultsRecycled.Load() {
		return makeInClass(n), true
	}
	return make([]float32, n), true
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
