package gpt2

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestBufferedCacheEqualsRecompute feeds 70 tokens one at a time through the
// cache without a graph (the in-place kvBuffer path, across two
// reallocations) and compares every step's logits with a full forward pass
// over the tokens so far.
func TestBufferedCacheEqualsRecompute(t *testing.T) {
	c := tinyConfig()
	c.NPositions = 80
	m, _ := NewLMHeadModel(c, autograd.NewRNG(4))
	m.SetTraining(false)
	rng := autograd.NewRNG(5)
	const batch, length = 2, 70
	ids := make([][]int, batch)
	for b := range ids {
		for range length {
			ids[b] = append(ids[b], rng.Intn(c.VocabSize))
		}
	}
	autograd.NoGrad(func() {
		var past *Cache
		for n := 1; n <= length; n++ {
			var step, all []int
			for b := range ids {
				step = append(step, ids[b][n-1])
				all = append(all, ids[b][:n]...)
			}
			pos := []int{n - 1, n - 1}
			out, err := m.Forward(&Inputs{InputIDs: step, PositionIDs: pos, Batch: batch, SeqLen: 1, Past: past, UseCache: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			full, err := m.Forward(&Inputs{InputIDs: all, Batch: batch, SeqLen: n}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Logits.AllClose(full.Logits.Slice(1, n-1, n), 1e-5, 1e-5) {
				t.Fatalf("step %d: cached logits differ from the full pass", n)
			}
			if out.Cache.Len() != n {
				t.Fatalf("step %d: cache holds %d positions", n, out.Cache.Len())
			}
			past = out.Cache
		}
	})
}

// TestBufferedCacheBranches runs two different tokens from the same cache
// (the second pass must not write over the first's positions) and checks
// that both continuations equal their full forward passes and that the
// first branch's cache is unchanged by the second.
func TestBufferedCacheBranches(t *testing.T) {
	c := tinyConfig()
	m, _ := NewLMHeadModel(c, autograd.NewRNG(6))
	m.SetTraining(false)
	prompt := []int{3, 1, 4, 1, 5}
	autograd.NoGrad(func() {
		forward := func(ids []int, past *Cache) *LMOutput {
			t.Helper()
			pos := make([]int, len(ids))
			for i := range pos {
				pos[i] = past.Len() + i
			}
			out, err := m.Forward(&Inputs{InputIDs: ids, PositionIDs: pos, Batch: 1, SeqLen: len(ids), Past: past, UseCache: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		first := forward(prompt, nil)
		// One step into a buffer, so that both branches below start from a
		// buffered cache.
		base := forward([]int{9}, first.Cache)
		a := forward([]int{7}, base.Cache)
		keyA := append([]float32(nil), a.Cache.Layers[0].Key.Data()...)
		b := forward([]int{8}, base.Cache)
		if !a.Cache.Layers[0].Key.AllClose(autograd.New(keyA, a.Cache.Layers[0].Key.Shape()...), 0, 0) {
			t.Fatal("the second branch overwrote the first branch's cached keys")
		}
		for _, branch := range []struct {
			token int
			out   *LMOutput
		}{{7, a}, {8, b}} {
			all := append(append(append([]int(nil), prompt...), 9), branch.token)
			full := forward(all, nil)
			if !branch.out.Logits.AllClose(full.Logits.Slice(1, len(all)-1, len(all)), 1e-5, 1e-5) {
				t.Fatalf("branch with token %d: cached logits differ from the full pass", branch.token)
			}
			next := forward([]int{2}, branch.out.Cache)
			fullNext := forward(append(all, 2), nil)
			if !next.Logits.AllClose(fullNext.Logits.Slice(1, len(all), len(all)+1), 1e-5, 1e-5) {
				t.Fatalf("branch with token %d: the step after it differs from the full pass", branch.token)
			}
		}
	})
}
