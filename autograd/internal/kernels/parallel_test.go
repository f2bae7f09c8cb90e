package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPlanParallel checks how work is cut: serial under two grains or with
// one goroutine, never more goroutines than pieces or than allowed, at least
// grain units per piece, and with 16 goroutines enough pieces to keep all
// 16 busy.
func TestPlanParallel(t *testing.T) {
	for _, c := range []struct {
		n, grain, procs int
		want            parallelPlan
	}{
		{0, 10, 16, parallelPlan{1, 1}},
		{19, 10, 16, parallelPlan{1, 1}},
		{20, 10, 16, parallelPlan{2, 2}},
		{1000, 10, 1, parallelPlan{1, 1}},
		{1000, 10, 2, parallelPlan{2, 2 * piecesPerWorker}},
		{1000, 10, 16, parallelPlan{16, 16 * piecesPerWorker}},
		{100, 0, 16, parallelPlan{16, 16 * piecesPerWorker}},
		{50, 10, 16, parallelPlan{5, 5}},
	} {
		got := planParallel(c.n, c.grain, c.procs)
		if got != c.want {
			t.Errorf("planParallel(%d, %d, %d) = %+v, want %+v", c.n, c.grain, c.procs, got, c.want)
		}
		if got.workers > 1 && c.n/got.pieces < max(c.grain, 1) {
			t.Errorf("planParallel(%d, %d, %d): pieces of %d units, under the grain", c.n, c.grain, c.procs, c.n/got.pieces)
		}
	}
}

// TestParallelForCovers checks that the ranges of ParallelFor and
// ParallelForAligned cover every unit exactly once, start on the alignment
// and hold at least a grain each.
func TestParallelForCovers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(5))
	for _, n := range []int{0, 1, 7, 100, 1000, 12345} {
		for _, align := range []int{1, 8, 16} {
			hits := make([]atomic.Int32, n)
			var short atomic.Int32
			grain := 64
			ParallelForAligned(n, align, grain, func(lo, hi int) {
				if lo%align != 0 || (hi%align != 0 && hi != n) {
					t.Errorf("n=%d align=%d: range [%d, %d) not aligned", n, align, lo, hi)
				}
				if hi-lo < grain && !(lo == 0 && hi == n) {
					short.Add(1)
				}
				for i := lo; i < hi; i++ {
					hits[i].Add(1)
				}
			})
			for i := range hits {
				if h := hits[i].Load(); h != 1 {
					t.Fatalf("n=%d align=%d: unit %d covered %d times", n, align, i, h)
				}
			}
			if s := short.Load(); s > 1 { // only the last range may be short of a grain
				t.Errorf("n=%d align=%d: %d ranges shorter than the grain", n, align, s)
			}
		}
	}
}

// parallelOp is one kernel call whose result must not depend on GOMAXPROCS:
// run computes it from fresh copies of the inputs and returns every output.
type parallelOp struct {
	name string
	// units and grain are the op's split (as ParallelFor sees it), to check
	// that 16 goroutines get at least 16 pieces.
	units, grain int
	run          func() [][]float32
}

// parallelOps builds the ops of TestBitIdenticalAcrossProcs, on shapes
// large enough to be cut into at least 16 pieces.
func parallelOps() []parallelOp {
	rng := rand.New(rand.NewSource(7))
	var ops []parallelOp
	// Products: split by columns, by rows, and batches split by product.
	for _, s := range []struct {
		transA, transB bool
		m, n, k        int
	}{
		{false, false, 512, 512, 512},
		{false, true, 40, 16000, 128},
		{true, false, 6000, 128, 96},
		{true, true, 3999, 67, 301},
	} {
		g := gemmCase{transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, padA: 1, padB: 2, padC: 3, alpha: 1.25, beta: 0.5}
		a, lda, b, ldb, c0, ldc := g.operands(rng)
		gk := gemmFor()
		tiles, per := (s.n+gk.nr-1)/gk.nr, s.m*gk.nr*s.k
		if rt := (s.m + gk.mr - 1) / gk.mr; rt > tiles {
			tiles, per = rt, gk.mr*s.n*s.k
		}
		ops = append(ops, parallelOp{name: "Sgemm/" + g.String(), units: tiles, grain: (gemmGrain + per - 1) / per, run: func() [][]float32 {
			c := append([]float32(nil), c0...)
			Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1.25, a, lda, b, ldb, 0.5, c, ldc)
			return [][]float32{c}
		}})
	}
	{
		const batch, m, n, k = 64, 128, 128, 64
		a, b := randSlice(rng, batch*m*k), randSlice(rng, batch*n*k)
		ops = append(ops, parallelOp{name: "SgemmBatched", units: batch, grain: (gemmGrain + m*n*k - 1) / (m * n * k), run: func() [][]float32 {
			c := make([]float32, batch*m*n)
			SgemmBatched(false, true, m, n, k, 1, a, k, m*k, b, k, n*k, 0, c, n, m*n, batch)
			return [][]float32{c}
		}})
	}
	// Row kernels, with row lengths that leave vector tails.
	for _, sh := range [][2]int{{8192, 128}, {1000, 771}} {
		rows, cols := sh[0], sh[1]
		x, gy := randSlice(rng, rows*cols), randSlice(rng, rows*cols)
		for i := range x {
			x[i] *= 8
		}
		gamma, beta, mask := randSlice(rng, cols), randSlice(rng, cols), randSlice(rng, cols)
		tag := fmt.Sprintf("%dx%d", rows, cols)
		grain := RowGrain(cols)
		ops = append(ops,
			parallelOp{name: "SoftmaxRows/" + tag, units: rows, grain: grain, run: func() [][]float32 {
				y := make([]float32, rows*cols)
				SoftmaxRows(rows, cols, x, mask, y)
				return [][]float32{y}
			}},
			parallelOp{name: "LogSoftmaxRows/" + tag, units: rows, grain: grain, run: func() [][]float32 {
				y := make([]float32, rows*cols)
				LogSoftmaxRows(rows, cols, x, y)
				return [][]float32{y}
			}},
			parallelOp{name: "LayerNormRows+Backward/" + tag, units: rows, grain: grain, run: func() [][]float32 {
				y, mean, rstd := make([]float32, rows*cols), make([]float32, rows), make([]float32, rows)
				LayerNormRows(rows, cols, x, gamma, beta, 1e-12, y, mean, rstd)
				gx, dg, db := make([]float32, rows*cols), make([]float32, cols), make([]float32, cols)
				LayerNormBackwardRows(rows, cols, x, gamma, mean, rstd, gy, gx, dg, db)
				return [][]float32{y, mean, rstd, gx, dg, db}
			}},
		)
	}
	// Element-wise kernels, with a length that leaves a vector tail.
	const n = 1<<19 + 13
	x, gy, g := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
	for i := range x {
		x[i] *= 4
	}
	w0, m0, v0 := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
	for i := range v0 {
		v0[i] *= v0[i]
	}
	ops = append(ops,
		parallelOp{name: "GELU+Backward", units: (n + 15) / 16, grain: vectorGrain / 16, run: func() [][]float32 {
			y, cdf, gx := make([]float32, n), make([]float32, n), make([]float32, n)
			GELU(x, y, cdf)
			GELUBackward(x, cdf, gy, gx)
			return [][]float32{y, cdf, gx}
		}},
		parallelOp{name: "AdamUpdate", units: (n + 15) / 16, grain: vectorGrain / 16, run: func() [][]float32 {
			w, m, v := append([]float32(nil), w0...), append([]float32(nil), m0...), append([]float32(nil), v0...)
			s := AdamStep{Decay: 0.999, L2: 0.01, Beta1: 0.9, Beta2: 0.999, OneMinusBeta1: 0.1, OneMinusBeta2: 0.001, BC2Sqrt: 0.3, Eps: 1e-8, StepSize: 1e-3}
			AdamUpdate(s, w, g, m, v)
			return [][]float32{w, m, v}
		}},
	)
	return ops
}

// TestBitIdenticalAcrossProcs runs every parallel kernel with GOMAXPROCS 1,
// 2 and 16, at every level, and requires the same bits each time: the work
// is split only where elements are computed independently (parallel.go).
// It also checks that each op's shape is cut into at least 16 pieces with 16
// goroutines, so the comparison at 16 exercises a real split.
func TestBitIdenticalAcrossProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ops := parallelOps()
	for _, op := range ops {
		if p := planParallel(op.units, op.grain, 16); p.pieces < 16 {
			t.Errorf("%s: %d units with grain %d give %d pieces at 16 goroutines, want ≥ 16", op.name, op.units, op.grain, p.pieces)
		}
	}
	eachLevel(t, func(t *testing.T) {
		for _, op := range ops {
			var ref [][]float32
			for _, p := range []int{1, 2, 16} {
				runtime.GOMAXPROCS(p)
				got := op.run()
				if ref == nil {
					ref = got
					continue
				}
				for o := range got {
					for i := range got[o] {
						if math.Float32bits(got[o][i]) != math.Float32bits(ref[o][i]) {
							t.Errorf("%s, GOMAXPROCS %d: output %d element %d is %v, with GOMAXPROCS 1 %v", op.name, p, o, i, got[o][i], ref[o][i])
							break
						}
					}
				}
			}
		}
	})
}

// TestParallelForPanics checks that a panic in a piece, whichever goroutine
// runs it, reaches ParallelFor's caller (where a recover can catch it)
// instead of ending the process.
func TestParallelForPanics(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for bad := range 16 {
		func() {
			defer func() {
				if r := recover(); r != "piece failed" {
					t.Errorf("piece %d panicked: recovered %v, want \"piece failed\"", bad, r)
				}
			}()
			ParallelFor(16, 1, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					if i == bad {
						panic("piece failed")
					}
				}
			})
		}()
	}
}

// TestParallelForHelpers checks the pool of helpers: calls that come after
// the helpers have parked wake them and still cover every unit once, calls
// made at once from several goroutines (all but one on goroutines of their
// own) each cover their units once, and a later call finds the pool free
// again.
func TestParallelForHelpers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	check := func(name string, n int) {
		hits := make([]atomic.Int32, n)
		ParallelFor(n, 1, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				hits[i].Add(1)
			}
		})
		for i := range hits {
			if h := hits[i].Load(); h != 1 {
				t.Errorf("%s: unit %d covered %d times", name, i, h)
				return
			}
		}
	}
	for round := range 3 {
		time.Sleep(3 * spinTime) // the helpers park
		check(fmt.Sprintf("after a pause, round %d", round), 64)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				check(fmt.Sprintf("goroutine %d, call %d", g, i), 64+g)
			}
		})
	}
	wg.Wait()
	if pool.owned.Load() {
		t.Fatal("the pool is still owned after every call returned")
	}
	check("after the concurrent calls", 64)
}
