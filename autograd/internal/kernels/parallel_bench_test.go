package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// workerPool is the alternative to ParallelFor's goroutines per call that
// BenchmarkParallelOverhead measures: workers parked on a channel, woken by
// one message per piece.
type workerPool struct {
	jobs chan func()
}

// newWorkerPool starts n workers that run the functions sent on jobs.
func newWorkerPool(n int) *workerPool {
	p := &workerPool{jobs: make(chan func())}
	for range n {
		go func() {
			for f := range p.jobs {
				f()
			}
		}()
	}
	return p
}

// run is runPlan on the pool's workers.
func (wp *workerPool) run(p parallelPlan, n int, f func(lo, hi int)) {
	var next atomic.Int32
	var wg sync.WaitGroup
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= p.pieces {
				return
			}
			f(i*n/p.pieces, (i+1)*n/p.pieces)
		}
	}
	wg.Add(p.workers - 1)
	for range p.workers - 1 {
		wp.jobs <- func() { work(); wg.Done() }
	}
	work()
	wg.Wait()
}

// BenchmarkParallelOverhead measures the fixed cost of one parallel call
// with almost no work in it (each piece adds up 64 floats), on two
// goroutines: goroutines started per call (ParallelFor) against a pool of
// parked workers, and the serial call for the baseline. The difference is
// what a piece of work must be large against for the split to pay.
//
//	go test ./autograd/internal/kernels -run '^$' -bench ParallelOverhead -count 3
func BenchmarkParallelOverhead(b *testing.B) {
	x := make([]float32, 64*2*piecesPerWorker)
	sums := make([]float32, 2*piecesPerWorker)
	body := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var s float32
			for _, v := range x[i*64 : (i+1)*64] {
				s += v
			}
			sums[i] = s
		}
	}
	p := parallelPlan{workers: 2, pieces: 2 * piecesPerWorker}
	n := p.pieces
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	b.Run("serial", func(b *testing.B) {
		for range b.N {
			body(0, n)
		}
	})
	b.Run("goroutines", func(b *testing.B) {
		for range b.N {
			runPlan(p, n, body)
		}
	})
	b.Run("pool", func(b *testing.B) {
		wp := newWorkerPool(1)
		defer close(wp.jobs)
		for range b.N {
			wp.run(p, n, body)
		}
	})
}
