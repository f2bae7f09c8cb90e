package multimodal

import (
	"testing"
	"time"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
)

// tinyDual builds a small image CLIP model with a fresh caption-vocabulary
// text tower.
func tinyDual(t testing.TB, captions []string, hidden, layers int) *DualEncoder {
	rng := autograd.NewRNG(1)
	tok, err := CaptionTokenizer(captions)
	if err != nil {
		t.Fatal(err)
	}
	tc := TowerConfig(hidden, layers, 2, 64)
	tc.VocabSize = tok.Vocab.Size()
	bm, err := bert.NewModel(tc, rng, false)
	if err != nil {
		t.Fatal(err)
	}
	text, err := NewTextEncoder(bm, tok)
	if err != nil {
		t.Fatal(err)
	}
	img, err := NewImageEncoder(TowerConfig(hidden, layers, 2, 64), 32, 8, rng)
	if err != nil {
		t.Fatal(err)
	}
	return NewDualEncoder(img, text, hidden, rng)
}

// TestContrastiveLearnsSingleShapes trains a tiny CLIP on single-object
// scenes and checks retrieval is far above chance on unseen pictures.
func TestContrastiveLearnsSingleShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	opts := ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}}
	trainSet := GenerateShapes(600, opts)
	opts.Seed = 2
	testSet := GenerateShapes(100, opts)
	all, _, _ := AllSingleCaptions()
	m := tinyDual(t, all, 32, 1)
	p := ImagePatches(ImagesTensor(SceneImages(trainSet)), 8)
	start := time.Now()
	losses, err := TrainContrastive(m, p, SceneCaptions(trainSet), TrainOptions{Steps: 150, BatchSize: 32, LR: 3e-3, Seed: 3, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("150 steps in %v; loss %.3f -> %.3f; temperature %.4f", time.Since(start), losses[0], losses[len(losses)-1], m.Temperature())
	tp := ImagePatches(ImagesTensor(SceneImages(testSet)), 8)
	sim, err := m.Similarity(tp, all)
	if err != nil {
		t.Fatal(err)
	}
	keys := SceneCaptions(testSet)
	r1, r5 := RecallAtK(sim, keys, all, 1), RecallAtK(sim, keys, all, 5)
	t.Logf("image->text over %d captions: R@1 %.2f R@5 %.2f (chance %.3f)", len(all), r1, r5, 1/float64(len(all)))
	if r5 < 0.2 {
		t.Errorf("R@5 %.2f is not clearly above chance %.3f", r5, 5/float64(len(all)))
	}
}
