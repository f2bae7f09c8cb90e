package kernels

import (
	"runtime"
	"sync/atomic"
	"time"
)

// The helpers that run the pieces of parallel calls.
//
// A training step of small shapes makes a few hundred parallel calls of
// 50–500 µs each, with 20–500 µs of serial work between them. A goroutine
// started for each call lands on an idle thread, which the Go runtime (and,
// below it, the hypervisor, whose idle vCPU has halted) takes 6–10 µs to
// wake: paid on every call, that is a few per cent of such a step. So the
// helpers are persistent goroutines which, after a piece, spin for spinTime
// watching for the next call before they park, and a call that comes within
// that time starts on an awake thread (BenchmarkParallelOverhead: after
// 50 µs of serial work a call costs 0.5–1.3 µs on the helpers against 8–10
// µs on fresh goroutines). OpenMP runtimes do the same (GOMP_SPINCOUNT,
// KMP_BLOCKTIME), and so does PyTorch's intra-op pool. The spin costs up to
// spinTime of CPU per helper after each call; it shows in CPU time at two
// or more threads (the benchmarks report wall time beside it), never at
// one, where there are no helpers.
//
// A spinning helper calls runtime.Gosched between looks, so other goroutines
// on its thread run; but while it spins its thread is not idle, so a
// goroutine made ready on the caller's thread (the kernel's output, say)
// waits for the caller to block or for the helper to park, at most spinTime.
//
// Only as many helpers spin as the machine has CPUs besides the caller's:
// with GOMAXPROCS above the number of CPUs (the tests run at 16 on two),
// spinning helpers would take the CPUs from the ones with work, so the
// others park after a few dozen looks (a few µs), much as a fresh goroutine
// would end.
//
// One call at a time owns the pool. A call made while it is owned (by a
// second goroutine of the user's; the kernels never split work inside a
// piece) starts goroutines of its own instead, so calls never wait for one
// another.

// spinTime is how long an idle helper watches for the next call before it
// parks. Measured at two threads on the course-recipe BERT step (wall
// time, three alternating rounds): 14.2–14.8 ms at 100 µs, 13.6–14.4 at
// 300 µs, 13.5–17.9 at 1 ms, 19.3–21.2 without spinning.
const spinTime = 300 * time.Microsecond

// pool is the process's helpers.
var pool workerPool

// workerPool is a set of helper goroutines, started as calls first need
// them, and the flag that gives one call at a time the use of them.
type workerPool struct {
	owned   atomic.Bool
	helpers []*helper // touched only by the call that owns the pool
}

// helper is one persistent goroutine and its mailbox.
type helper struct {
	// task is the call to help with, set by the call and taken by the helper.
	task atomic.Pointer[splitCall]
	// parked is true while the helper sleeps (or is about to) on wake.
	parked atomic.Bool
	// wake carries one token to a parked helper.
	wake chan struct{}
	// spin is how long the helper watches for a call before it parks:
	// spinTime, or 0 for helpers beyond the machine's CPUs.
	spin time.Duration
}

// acquire gives the caller the use of n helpers, starting any that are
// missing, or reports false when another call owns the pool.
func (p *workerPool) acquire(n int) ([]*helper, bool) {
	if !p.owned.CompareAndSwap(false, true) {
		return nil, false
	}
	for len(p.helpers) < n {
		h := &helper{wake: make(chan struct{}, 1), spin: spinTime}
		if len(p.helpers)+1 >= runtime.NumCPU() {
			h.spin = 0 // no CPU of its own to spin on: GOMAXPROCS > CPUs
		}
		p.helpers = append(p.helpers, h)
		go h.loop()
	}
	return p.helpers[:n], true
}

// release returns the pool for the next call.
func (p *workerPool) release() { p.owned.Store(false) }

// give hands call c to helper h, waking it if it parked.
func (h *helper) give(c *splitCall) {
	h.task.Store(c)
	if h.parked.Swap(false) {
		h.wake <- struct{}{}
	}
}

// loop is the helper's goroutine: run each call it is given, spin for
// h.spin after it, then park until woken.
func (h *helper) loop() {
	for {
		deadline := time.Now().Add(h.spin)
		for i := 0; ; i++ {
			if c := h.task.Swap(nil); c != nil {
				c.guarded()
				c.pending.Add(-1)
				deadline = time.Now().Add(h.spin)
				continue
			}
			if i%64 == 63 && time.Now().After(deadline) {
				break
			}
			runtime.Gosched()
		}
		// Park; a call that stored a task before parked became true
		// finds parked false and sends nothing, so look once more.
		h.parked.Store(true)
		if h.task.Load() != nil {
			if !h.parked.Swap(false) {
				<-h.wake // the call saw parked and sent a token: take it
			}
			continue
		}
		<-h.wake
	}
}
