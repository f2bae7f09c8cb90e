package kernels

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkParallelOverhead measures the fixed cost of one parallel call
// with almost no work in it (each piece adds up 64 floats), on two
// goroutines, right after the previous call ("gap 0") and after a stretch
// of serial work ("gap 50µs": a training step's serial ops between two
// parallel ones, long enough for an idle thread to go to sleep). It compares
// the pool's spinning helpers (what ParallelFor uses), goroutines started
// per call (what a call uses when another owns the pool) and the serial
// loop. The gap's own time is subtracted from ns/op.
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
	calls := []struct {
		name string
		call func()
	}{
		{"serial", func() { body(0, n) }},
		{"helpers", func() { runPlan(p, n, body) }},
		{"goroutines", func() {
			c := &splitCall{pieces: p.pieces, n: n, f: body}
			runOnGoroutines(1, c)
		}},
	}
	for _, gap := range []time.Duration{0, 50 * time.Microsecond} {
		for _, c := range calls {
			b.Run(fmt.Sprintf("gap%v/%s", gap, c.name), func(b *testing.B) {
				var spent time.Duration
				for range b.N {
					if gap > 0 {
						start := time.Now()
						for time.Since(start) < gap { // serial work, not a sleep
						}
						spent += time.Since(start)
					}
					c.call()
				}
				b.ReportMetric(float64(b.Elapsed()-spent)/float64(b.N), "ns/call")
			})
		}
	}
}
