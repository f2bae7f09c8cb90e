package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Splitting one op's work over the cores.
//
// Every parallel kernel cuts its work into independent pieces along a
// dimension whose elements are computed alone: the rows of C or the columns
// of C of a product (never its inner dimension k), the products of a batch,
// the rows of a softmax or a LayerNorm, the elements of GELU or of an Adam
// step. Each element of the result is then computed by the same
// instructions in the same order whichever piece it falls in and whichever
// goroutine runs that piece, so the results are bit for bit the same for
// every GOMAXPROCS; the tests check it. Where a kernel sums over the split
// dimension (LayerNorm's dγ and dβ sum over rows), it sums in blocks fixed
// by the shape alone, never by the number of goroutines.
//
// A call runs its pieces on up to GOMAXPROCS goroutines: the caller's and
// workers-1 persistent helpers that spin briefly between calls
// (parallel_pool.go). The pieces are handed out by an atomic counter, so no
// lock is taken and a goroutine that a busy machine delays does not hold the
// others up: there are a few more pieces than goroutines.
//
// Below a work threshold a call runs serially on the caller's goroutine:
// starting, waking and joining goroutines costs a few microseconds, so each
// kernel passes the smallest piece of work (its grain, in its own units)
// that keeps that overhead small; the grains were chosen from per-kernel
// measurements (vectorGrain, gemmGrain and BENCHMARKS.md). The smallest
// shapes (a layer's biases, a notebook's toy tensors) stay serial.

// piecesPerWorker is how many pieces each goroutine gets on average, so that
// a goroutine delayed by the scheduler leaves its last pieces to the others.
const piecesPerWorker = 4

// parallelPlan is how ParallelFor splits n units: pieces contiguous ranges
// run by workers goroutines (the caller's included).
type parallelPlan struct {
	workers, pieces int
}

// planParallel splits n units with at least grain units per piece over at
// most procs goroutines. One worker means serial.
func planParallel(n, grain, procs int) parallelPlan {
	grain = max(grain, 1)
	pieces := n / grain // each piece holds at least grain units
	workers := min(procs, pieces)
	if workers < 2 {
		return parallelPlan{workers: 1, pieces: 1}
	}
	return parallelPlan{workers: workers, pieces: min(pieces, workers*piecesPerWorker)}
}

// maxThreads caps the goroutines of a call below GOMAXPROCS when set (see
// SetThreads); 0 means no cap.
var maxThreads atomic.Int32

// procs is the number of goroutines a call may use.
func procs() int {
	p := runtime.GOMAXPROCS(0)
	if t := int(maxThreads.Load()); t > 0 {
		p = min(p, t)
	}
	return p
}

// ParallelFor calls f(lo, hi) on contiguous ranges that together cover
// [0, n) exactly once, each holding at least grain units (except when
// n < grain: then one call f(0, n)), spread over up to GOMAXPROCS
// goroutines; it returns when every call has returned. The calls must be
// independent of one another: f may write only the part of the result that
// belongs to its range. With too little work for two pieces, f(0, n) runs on
// the caller's goroutine.
func ParallelFor(n, grain int, f func(lo, hi int)) {
	if n <= 0 {
		return
	}
	p := planParallel(n, grain, procs())
	if p.workers == 1 {
		f(0, n)
		return
	}
	runPlan(p, n, f)
}

// ParallelPays reports whether ParallelFor(n, grain, f) would use more than
// one goroutine. Callers test it first and call the serial body directly
// otherwise: the closure handed to ParallelFor is a heap allocation, which
// a training step of small shapes would pay hundreds of times for nothing.
func ParallelPays(n, grain int) bool {
	return planParallel(n, grain, procs()).workers > 1
}

// runPlan runs the pieces of plan p over n units: on the pool's helpers
// (parallel_pool.go), or on goroutines started for the call when another
// call owns the pool. A panic in a piece run by a helper or a started
// goroutine would end the whole process (a notebook kernel with it), so it
// is recovered there and raised again on the caller's goroutine once every
// piece has stopped, where the caller's recover sees it as if the work had
// run serially.
func runPlan(p parallelPlan, n int, f func(lo, hi int)) {
	c := splitCalls.Get().(*splitCall)
	c.pieces, c.n, c.f = p.pieces, n, f
	c.next.Store(0)
	if helpers, ok := pool.acquire(p.workers - 1); ok {
		defer pool.release()
		runOnHelpers(helpers, c)
	} else {
		runOnGoroutines(p.workers-1, c)
	}
	failed := c.failed.Load()
	*c = splitCall{}
	splitCalls.Put(c)
	if failed != nil {
		panic(failed.value)
	}
}

// splitCall is the state one parallel call shares among the goroutines
// that run its pieces. The calls of a training step reuse a few of them
// (splitCalls), so that a call allocates nothing of its own.
type splitCall struct {
	next      atomic.Int32 // the next piece to hand out
	pieces, n int
	f         func(lo, hi int)
	// pending counts the helpers that were given the call and have not
	// finished it.
	pending atomic.Int32
	// failed is the first panic of a piece run off the caller's goroutine.
	failed atomic.Pointer[workerPanic]
}

// splitCalls holds splitCalls between calls.
var splitCalls = sync.Pool{New: func() any { return new(splitCall) }}

// work takes pieces and runs them until none are left.
func (c *splitCall) work() {
	for {
		i := int(c.next.Add(1)) - 1
		if i >= c.pieces {
			return
		}
		c.f(i*c.n/c.pieces, (i+1)*c.n/c.pieces)
	}
}

// guarded is work for a goroutine other than the caller's: a panic in a
// piece is kept for the caller, and the other goroutines stop after the
// piece they are running.
func (c *splitCall) guarded() {
	defer func() {
		if r := recover(); r != nil {
			c.next.Store(int32(c.pieces))
			c.failed.CompareAndSwap(nil, &workerPanic{r})
		}
	}()
	c.work()
}

// runOnHelpers runs c's pieces on the caller's goroutine and on helpers,
// and returns when all have returned.
func runOnHelpers(helpers []*helper, c *splitCall) {
	c.pending.Store(int32(len(helpers)))
	for _, h := range helpers {
		h.give(c)
	}
	// The caller's own pieces; then it takes the call back from helpers that
	// have not started it (a parked one would first have to wake, to find no
	// pieces left) and waits for the others, also on a panic, so that none
	// still writes into the result.
	defer func() {
		for _, h := range helpers {
			if h.task.CompareAndSwap(c, nil) {
				c.pending.Add(-1)
			}
		}
		for c.pending.Load() > 0 {
			runtime.Gosched()
		}
	}()
	c.work()
}

// runOnGoroutines runs c's pieces on the caller's goroutine and on extra
// goroutines started for the call, and returns when all have returned.
func runOnGoroutines(extra int, c *splitCall) {
	var wg sync.WaitGroup
	for range extra {
		wg.Go(c.guarded)
	}
	// The caller's own pieces: on a panic, wait for the others before it
	// propagates, so that none still writes into the result.
	defer wg.Wait()
	c.work()
}

// workerPanic holds the value a piece panicked with on a goroutine other
// than the caller's.
type workerPanic struct{ value any }

// ParallelForAligned is ParallelFor over n elements whose ranges start at
// multiples of align (except the first at 0) and end at multiples of align
// or at n, so that vector kernels cut into pieces run every element at the
// same position in the same vector lane width as over the whole slice.
func ParallelForAligned(n, align, grain int, f func(lo, hi int)) {
	blocks := (n + align - 1) / align
	ParallelFor(blocks, max(1, grain/align), func(lo, hi int) {
		f(lo*align, min(hi*align, n))
	})
}

// vectorGrain is the least number of elements of one piece of a
// memory-bound vector or row kernel (softmax, LayerNorm, GELU, the Adam
// step): 16,384 floats take 5–15 µs in those kernels. BenchmarkParallelGrain
// on this project's 2-vCPU machine, with goroutines started per call: a
// call split over two goroutines cost 40–70 % more CPU time than serial at
// 4,096 elements, 20–60 % at 16,384 and 10–25 % at 131,072 (idle threads
// spin for a while after each join, which the CPU time counts). On the
// spinning helpers it is about the same for these short kernels (softmax
// rows +66 % at 16,384 elements for 1.2× less wall time, GELU +21 % for
// 1.6×, Adam +62 % for 1.2×; at 131,072 none to +23 % for 1.6–2.1×), so the
// grain stayed. Shapes under two grains (the course's notebook-sized
// activations, a LayerNorm's parameters) run serially.
const vectorGrain = 1 << 14

// RowGrain is the least number of rows of cols floats in one piece of a
// parallel row kernel: vectorGrain elements, rounded up to whole rows.
func RowGrain(cols int) int {
	return (vectorGrain + cols - 1) / max(cols, 1)
}
