package autograd

import (
	"math"
	"os"
	"testing"
)

// TestMain turns on NaN poisoning of recycled buffers for every test of the
// package: a buffer read after it went back to the pool then yields NaN, which
// the gradient checks and value tests cannot miss.
func TestMain(m *testing.M) {
	poisonRecycled = true
	os.Exit(m.Run())
}

func TestSizeClasses(t *testing.T) {
	for i := 0; i < numClasses; i++ {
		s := classSize(i)
		if classUp(s) != i || classDown(s) != i {
			t.Fatalf("class %d (size %d): classUp = %d, classDown = %d", i, s, classUp(s), classDown(s))
		}
		if i > 0 && classSize(i-1) >= s {
			t.Fatalf("class sizes not increasing at %d: %d then %d", i, classSize(i-1), s)
		}
	}
	for _, n := range []int{poolMinFloats, 1025, 1151, 1152, 1153, 4095, 4096, 4097, 614 * 30522, 32 * 128 * 512} {
		c := classUp(n)
		if s := classSize(c); s < n || (c > 0 && classSize(c-1) >= n) {
			t.Fatalf("classUp(%d) = %d of size %d: not the smallest class holding n", n, c, s)
		}
		if s := classSize(c); float64(s) > 1.125*float64(n) {
			t.Fatalf("classUp(%d) rounds up to %d, more than an eighth", n, s)
		}
		if d := classDown(n); classSize(d) > n || classSize(d+1) <= n {
			t.Fatalf("classDown(%d) = %d of size %d: not the largest class within n", n, d, classSize(d))
		}
	}
}

func TestNewBufferZeroedAfterReuse(t *testing.T) {
	n := 3000
	b := newBufferNoZero(n)
	for i := range b {
		b[i] = 7
	}
	recycle(b)
	for range 3 { // sync.Pool may drop a Put; any buffer handed out must be zero
		z := newBuffer(n)
		if len(z) != n {
			t.Fatalf("newBuffer(%d) has length %d", n, len(z))
		}
		for i, v := range z {
			if v != 0 {
				t.Fatalf("newBuffer: element %d is %v, want 0", i, v)
			}
		}
		recycle(z)
	}
}

// snapshot copies a tensor's values.
func snapshot(x *Tensor) []float32 { return append([]float32(nil), x.Data()...) }

// sameValues fails the test unless x still holds want exactly.
func sameValues(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] || math.IsNaN(float64(got[i])) {
			t.Fatalf("%s changed after later steps: element %d is %v, was %v (a buffer the caller holds was recycled)", what, i, got[i], want[i])
		}
	}
}

// TestHeldTensorsSurviveRecycling runs one training-like step, keeps what a
// user could keep (the loss, an activation and a view of it, a raw slice from
// Data, the seed gradient given to BackwardWith, a retained gradient and the
// weight's gradient), then runs many more steps whose Backward recycles
// buffers (poisoned with NaN): none of the kept values may change.
func TestHeldTensorsSurviveRecycling(t *testing.T) {
	rng := NewRNG(3)
	w := RandN(rng, 64, 96).SetRequiresGrad(true)
	b := RandN(rng, 96).SetRequiresGrad(true)
	x := RandN(rng, 32, 64)
	step := func() (loss, hidden *Tensor) {
		hidden = Linear(x, w.Transpose(0, 1), b).GELU()
		p := Dropout(hidden.Reshape(32, 2, 48).Softmax(-1), 0.1, true, rng)
		return p.Mul(p).Sum(), hidden
	}
	loss, hidden := step()
	hidden.RetainGrad()
	view := hidden.Reshape(96, 32).Transpose(0, 1)
	raw := hidden.Data()
	keptHidden, keptView, keptLoss := snapshot(hidden), snapshot(view), snapshot(loss)
	loss.Backward()
	keptRetained := snapshot(hidden.Grad())

	// A seeded backward through a second graph: the seed is the caller's.
	seed := RandN(rng, 32, 96)
	keptSeed := snapshot(seed)
	h2 := Linear(x, w.Transpose(0, 1), b).GELU()
	h2.BackwardWith(seed)

	for range 20 {
		w.ZeroGrad()
		b.ZeroGrad()
		l, _ := step()
		l.Backward()
	}
	sameValues(t, "hidden activation", hidden.Data(), keptHidden)
	sameValues(t, "view of the activation", view.Data(), keptView)
	sameValues(t, "raw slice from Data", raw, keptHidden)
	sameValues(t, "loss", loss.Data(), keptLoss)
	sameValues(t, "retained gradient", hidden.Grad().Data(), keptRetained)
	sameValues(t, "seed gradient", seed.Data(), keptSeed)
	for i, v := range w.Grad().Data() {
		if math.IsNaN(float64(v)) {
			t.Fatalf("weight gradient element %d is NaN after 20 steps (its buffer was recycled)", i)
		}
	}
}

// TestGradientsThroughSharedStorage checks the engine's reference counting of
// gradient storages: Add hands one gradient to both inputs, views pass it on
// unchanged, and a tensor used twice sums two gradients.
func TestGradientsThroughSharedStorage(t *testing.T) {
	rng := NewRNG(5)
	x := RandN(rng, 40, 50).SetRequiresGrad(true)
	c := RandN(rng, 40, 50)
	// y = ((x + x)ᵀ)ᵀ ⊙ c + x ⊙ c, so dy/dx = 3c (summed over a Sum).
	y := x.Add(x).Transpose(0, 1).Contiguous().Transpose(0, 1).Mul(c).Add(x.Mul(c)).Reshape(2000)
	y.Sum().Backward()
	got, want := x.Grad().Data(), c.Data()
	for i := range got {
		if d := got[i] - 3*want[i]; d > 1e-5 || d < -1e-5 || math.IsNaN(float64(got[i])) {
			t.Fatalf("dx[%d] = %v, want %v", i, got[i], 3*want[i])
		}
	}
}

// TestBackwardReusesBuffers checks that reuse happens at all: after a warm-up
// step, the next step's Backward takes buffers from the pool.
func TestBackwardReusesBuffers(t *testing.T) {
	rng := NewRNG(7)
	w1 := RandN(rng, 128, 256).SetRequiresGrad(true)
	w2 := RandN(rng, 64, 128).SetRequiresGrad(true)
	x := RandN(rng, 64, 256)
	step := func() {
		h := Linear(x, w1, nil).GELU()
		h = LayerNorm(h, nil, nil, 1e-5)
		Linear(h, w2, nil).Softmax(-1).Sum().Backward()
	}
	step()
	before := poolReuses.Load()
	for range 3 {
		step()
	}
	if poolReuses.Load() == before {
		t.Fatal("three more steps took no buffer from the pool")
	}
}

// TestPoolConcurrentUse takes and returns buffers from several goroutines at
// once: a buffer is never handed to two of them at the same time (each fills
// its buffer with its own value and checks it before returning it). Autograd
// records graphs process-wide (NoGrad is a global switch), but the pool is
// also reached from forward passes on other goroutines, so it must be safe.
// Run it with -race as well.
func TestPoolConcurrentUse(t *testing.T) {
	const workers, rounds = 4, 300
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			for r := range rounds {
				n := poolMinFloats + (w*rounds+r)%5000
				b := newBufferNoZero(n)
				v := float32(w*rounds + r)
				for i := range b {
					b[i] = v
				}
				for i := range b {
					if b[i] != v {
						errs <- "a buffer was shared between goroutines"
						return
					}
				}
				recycle(b)
			}
			errs <- ""
		}()
	}
	for range workers {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
}
