package multimodal

import (
	"testing"
	"time"

	"github.com/turinglab/turinglab/autograd"
)

// TestFusionAnswersQuestions trains a tiny fusion model on questions about
// single-object pictures and checks held-out accuracy is well above the
// majority answer's share.
func TestFusionAnswersQuestions(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	opts := ShapeOptions{Seed: 11, Kinds: []string{SceneSingle, ScenePair}}
	trainSet, testSet := GenerateShapes(600, opts), GenerateShapes(100, ShapeOptions{Seed: 12, Kinds: opts.Kinds})
	trainQA, testQA := ShapeQuestions(trainSet, 1), ShapeQuestions(testSet, 2)
	tok, err := CaptionTokenizer(append(QuestionTexts(trainQA), QuestionTexts(testQA)...))
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFusionModel(TowerConfig(32, 2, 2, 64), tok, 16, 192, AnswerSet(trainQA), autograd.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	p := ImagePatches(ImagesTensor(SceneImages(trainSet)), 8)
	start := time.Now()
	losses, err := TrainFusion(f, p, trainQA, TrainOptions{Steps: 400, BatchSize: 32, LR: 1e-3, Seed: 4, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d steps in %v, loss %.3f -> %.3f", len(losses), time.Since(start), losses[0], losses[len(losses)-1])
	tp := ImagePatches(ImagesTensor(SceneImages(testSet)), 8)
	for _, kind := range []string{"colour", "shape", "size", "position", "relation"} {
		acc, _, err := f.AnswerAccuracy(tp, FilterQA(testQA, kind))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-9s accuracy %.2f", kind, acc)
		if kind == "colour" && acc < 0.6 {
			t.Errorf("colour accuracy %.2f, chance 0.25", acc)
		}
	}
}

// TestAudioContrastive trains a tiny audio CLIP and checks audio→text
// retrieval is above chance.
func TestAudioContrastive(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	clips, test := GenerateClips(400, AudioOptions{Seed: 1}), GenerateClips(100, AudioOptions{Seed: 2})
	so := SpectrogramOptions{Mels: 32}
	x := SpectrogramPatches(SpectrogramsTensor(append(append([]*AudioClip{}, clips...), test...), so), 4)
	trainP, testP := x.Narrow(0, 0, 400), x.Narrow(0, 400, 100)
	caps := ClipCaptions(clips)
	gallery := Distinct(append(ClipCaptions(test), caps...))
	m := tinyDual(t, gallery, 32, 1)
	rng := autograd.NewRNG(3)
	audio, err := NewAudioEncoder(TowerConfig(32, 1, 2, 64), 36, 32, 4, rng)
	if err != nil {
		t.Fatal(err)
	}
	m = NewDualEncoder(audio, m.Text, 32, rng)
	start := time.Now()
	losses, err := TrainContrastive(m, trainP.Contiguous(), caps, TrainOptions{Steps: 150, BatchSize: 24, LR: 3e-3, Seed: 5, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("150 steps in %v, loss %.3f -> %.3f", time.Since(start), losses[0], losses[len(losses)-1])
	sim, err := m.Similarity(testP.Contiguous(), gallery)
	if err != nil {
		t.Fatal(err)
	}
	r1, r5 := RecallAtK(sim, ClipCaptions(test), gallery, 1), RecallAtK(sim, ClipCaptions(test), gallery, 5)
	t.Logf("audio->text over %d captions: R@1 %.2f R@5 %.2f", len(gallery), r1, r5)
	if r5 < 5*2/float64(len(gallery)) {
		t.Errorf("R@5 %.2f is not above chance", r5)
	}
}
