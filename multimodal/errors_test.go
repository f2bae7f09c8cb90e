package multimodal

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
)

// TestTrainingStopsOnInterrupt: the stop button (display.Interrupt) ends
// training before the next step with display.ErrInterrupted.
func TestTrainingStopsOnInterrupt(t *testing.T) {
	scenes := GenerateShapes(40, ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}})
	all, _, _ := AllSingleCaptions()
	m := tinyDual(t, all, 16, 1)
	display.BeginRun()
	display.Interrupt()
	defer display.BeginRun()
	losses, err := TrainContrastive(m, ImagePatches(ImagesTensor(SceneImages(scenes)), 8), SceneCaptions(scenes), TrainOptions{Steps: 100, BatchSize: 8, LR: 1e-3, Quiet: true})
	if !errors.Is(err, display.ErrInterrupted) || len(losses) != 0 {
		t.Fatalf("got %d losses, error %v; want none and ErrInterrupted", len(losses), err)
	}
}

// panicMessage runs f and returns what it panicked with ("" if nothing).
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// TestBadInputErrors: wrong shapes and sizes are reported with the names
// and numbers involved.
func TestBadInputErrors(t *testing.T) {
	x := autograd.Zeros(2, 3, 30, 30)
	if msg := panicMessage(func() { ImagePatches(x, 8) }); !strings.Contains(msg, "patch size 8 does not divide the 30x30") {
		t.Errorf("ImagePatches: %q", msg)
	}
	pe := NewPatchEmbedding(16, 192, 8, 1e-12, autograd.NewRNG(1))
	if msg := panicMessage(func() { pe.Forward(autograd.Zeros(2, 9, 192)) }); !strings.Contains(msg, "[2 9 192], expected [batch, 16, 192]") {
		t.Errorf("PatchEmbedding: %q", msg)
	}
	if msg := panicMessage(func() { CLIPLoss(autograd.Zeros(2, 3), autograd.Zeros(3, 3), autograd.Scalar(0)) }); !strings.Contains(msg, "[2 3] and [3 3]") {
		t.Errorf("CLIPLoss: %q", msg)
	}
	if msg := panicMessage(func() { GenerateShapes(1, ShapeOptions{Kinds: []string{"triple"}}) }); !strings.Contains(msg, `"triple"`) {
		t.Errorf("GenerateShapes: %q", msg)
	}
	tok, err := CaptionTokenizer([]string{"a red circle"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := TowerConfig(8, 1, 2, 16)
	cfg.VocabSize = 3
	bm, err := bert.NewModel(cfg, autograd.NewRNG(1), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTextEncoder(bm, tok); err == nil || !strings.Contains(err.Error(), "tokenizer has 8 tokens, model vocab_size is 3") {
		t.Errorf("NewTextEncoder: %v", err)
	}
	scenes := GenerateShapes(4, ShapeOptions{Seed: 1})
	all, _, _ := AllSingleCaptions()
	m := tinyDual(t, all, 16, 1)
	if _, err := TrainContrastive(m, ImagePatches(ImagesTensor(SceneImages(scenes)), 8), []string{"a"}, TrainOptions{Steps: 1, BatchSize: 2, LR: 1}); err == nil || !strings.Contains(err.Error(), "4 media items but 1 captions") {
		t.Errorf("TrainContrastive: %v", err)
	}
}
