package kernels

import (
	"math/rand"
	"runtime"
	"time"

	"github.com/turinglab/turinglab/internal/cputime"
)

// The calibration of mc and nc (see gemm_blocks_choice.go for when it runs).
//
// Nine candidates, mc ∈ {mc/2, mc, 2·mc} around the built-in mc times nc ∈
// {512, 1024, 4096} (and the built-in nc when it is none of those), are timed on three products of one goroutine: the
// layouts a transformer layer's training multiplies in (y = x·Wᵀ, dx = dy·W,
// dW = dyᵀ·x), at the shapes of BERT-base's feed-forward layer for 512
// tokens, where the blocks matter most (its weights, 768×3072, are larger
// than the L2 cache). Three rounds run every candidate in turn, so that a
// burst of load on a shared machine hits them all alike, and each candidate
// keeps its fastest round, timed in the CPU time of its thread (not the
// wall time, which on a busy machine mostly measures the wait for a core). The built-in blocks stay unless a candidate is
// faster by more than calibrationMargin: a measurement at the noise level
// should not move them. At 240 GFLOP/s a round of one candidate is about 22
// ms, the calibration about 0.6 s (twice that at the AVX2 level).

// calibrationProducts are the products the candidates are timed on.
var calibrationProducts = []struct {
	transA, transB bool
	m, n, k        int
}{
	{false, true, 512, 3072, 768},  // y = x·Wᵀ, the feed-forward up-projection
	{false, false, 512, 768, 3072}, // dx = dy·W of the down-projection's input
	{true, false, 768, 768, 512},   // dW = dyᵀ·x of a 768×768 projection
}

// calibrationRounds is how many times every candidate is timed.
const calibrationRounds = 3

// calibrationMargin is how much faster than the built-in blocks a candidate
// must be to replace them.
const calibrationMargin = 0.03

// calibrationCandidates lists the (mc, nc) pairs tried for base, the
// built-in pair first.
func calibrationCandidates(base *gemmKernels) [][2]int {
	list := [][2]int{{base.mc, base.nc}}
	for _, mc := range []int{base.mc / 2, base.mc, 2 * base.mc} {
		for _, nc := range []int{512, 1024, 4096, base.nc} {
			mc, nc := roundUp(max(mc, base.mr), base.mr), roundUp(nc, base.nr)
			dup := false
			for _, p := range list {
				dup = dup || p == [2]int{mc, nc}
			}
			if !dup {
				list = append(list, [2]int{mc, nc})
			}
		}
	}
	return list
}

// calibrateBlocks times the candidates for base and returns the chosen mc
// and nc.
func calibrateBlocks(base *gemmKernels) (mc, nc int) {
	cands := calibrationCandidates(base)
	return pickBlocks(cands, timeCandidates(base, cands))
}

// timeCandidates returns, for each candidate, the least time of the
// calibration products over calibrationRounds rounds.
func timeCandidates(base *gemmKernels, cands [][2]int) []time.Duration {
	type operands struct{ a, b, c []float32 }
	rng := rand.New(rand.NewSource(1))
	ops := make([]operands, len(calibrationProducts))
	for i, p := range calibrationProducts {
		ops[i] = operands{calibrationMatrix(rng, p.m*p.k), calibrationMatrix(rng, p.k*p.n), make([]float32, p.m*p.n)}
	}
	run := func(g *gemmKernels) {
		for i, p := range calibrationProducts {
			lda, ldb := p.k, p.n
			if p.transA {
				lda = p.m
			}
			if p.transB {
				ldb = p.k
			}
			sgemmBlockedWith(g, p.transA, p.transB, p.m, p.n, p.k, 1, ops[i].a, lda, ops[i].b, ldb, 0, ops[i].c, p.n)
		}
	}
	runtime.LockOSThread() // for the thread's CPU time
	defer runtime.UnlockOSThread()
	run(base) // warm up: page in the operands, fill the packing pools
	best := make([]time.Duration, len(cands))
	for range calibrationRounds {
		for i, cand := range cands {
			g := *base
			g.mc, g.nc = cand[0], cand[1]
			start := calibrationClock()
			run(&g)
			if d := calibrationClock() - start; best[i] == 0 || d < best[i] {
				best[i] = d
			}
		}
	}
	return best
}

// calibrationClock reads the calling thread's CPU time, or the wall clock
// where the system has no per-thread CPU time: the time a thread waits for
// a core on a busy machine is not the candidate's.
func calibrationClock() time.Duration {
	if t, ok := cputime.Thread(); ok {
		return t
	}
	return time.Duration(time.Now().UnixNano())
}

// pickBlocks returns the fastest candidate, or the first (the built-in
// blocks) unless the fastest beats it by more than calibrationMargin.
func pickBlocks(cands [][2]int, times []time.Duration) (mc, nc int) {
	fast := 0
	for i, t := range times {
		if t < times[fast] {
			fast = i
		}
	}
	if float64(times[fast]) > (1-calibrationMargin)*float64(times[0]) {
		fast = 0
	}
	return cands[fast][0], cands[fast][1]
}

// calibrationMatrix returns n floats in [-1, 1).
func calibrationMatrix(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}
