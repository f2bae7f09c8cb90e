package multimodal

import (
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// BenchmarkGenerateShapes draws 100 pictures with captions.
func BenchmarkGenerateShapes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		GenerateShapes(100, ShapeOptions{Seed: uint64(i)})
	}
}

// BenchmarkLogMelSpectrogram is one 0.6 s clip at 8 kHz to 36×32 log-mel.
func BenchmarkLogMelSpectrogram(b *testing.B) {
	c := GenerateClips(3, AudioOptions{Seed: 1})[2]
	for i := 0; i < b.N; i++ {
		LogSpectrogram(c.Samples, c.SampleRate, SpectrogramOptions{Mels: 32})
	}
}

// BenchmarkContrastiveStep is one CLIP training step (forward, backward)
// on a batch of 32 pictures and captions, hidden 48, 2 image layers, 1
// text layer: the notebook's model.
func BenchmarkContrastiveStep(b *testing.B) {
	scenes := GenerateShapes(32, ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}})
	all, _, _ := AllSingleCaptions()
	m := tinyDual(b, all, 48, 1)
	img, err := NewImageEncoder(TowerConfig(48, 2, 4, 64), 32, 8, autograd.NewRNG(2))
	if err != nil {
		b.Fatal(err)
	}
	m = NewDualEncoder(img, m.Text, 32, autograd.NewRNG(3))
	p := ImagePatches(ImagesTensor(SceneImages(scenes)), 8)
	caps := SceneCaptions(scenes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := m.Loss(p, caps)
		if err != nil {
			b.Fatal(err)
		}
		l.Backward()
	}
}

// BenchmarkFusionStep is one fusion-model step on 32 questions about
// pictures (hidden 32, 2 layers, ~30 tokens per sequence).
func BenchmarkFusionStep(b *testing.B) {
	scenes := GenerateShapes(32, ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}})
	qa := ShapeQuestions(scenes, 1)[:32]
	tok, err := CaptionTokenizer(QuestionTexts(qa))
	if err != nil {
		b.Fatal(err)
	}
	f, err := NewFusionModel(TowerConfig(32, 2, 2, 64), tok, 16, 192, AnswerSet(ShapeQuestions(scenes, 1)), autograd.NewRNG(2))
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int, len(qa))
	for i, q := range qa {
		idx[i] = q.Index
	}
	p := ImagePatches(ImagesTensor(SceneImages(scenes)), 8).IndexSelect(0, idx)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := f.Loss(p, qa)
		if err != nil {
			b.Fatal(err)
		}
		l.Backward()
	}
}
