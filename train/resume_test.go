package train

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
)

// resumable builds the same small model with dropout, data and trainer every
// time, as a notebook does after a kernel restart.
func resumable(t testing.TB, outputDir string) (*Trainer, *nn.Sequential) {
	x, y := blobs(96, 1)
	devX, devY := blobs(32, 2)
	rng := autograd.NewRNG(3)
	dropout := autograd.NewRNG(11)
	model := nn.NewSequential(nn.NewLinear(2, 16, true, rng), nn.NewReLU(), nn.NewDropout(0.2, dropout), nn.NewLinear(16, 2, true, rng))
	loss, eval := classification(model, x, y, devX, devY)
	lengths := make([]int, 96)
	for i := range lengths {
		lengths[i] = (i * 7) % 13
	}
	return &Trainer{Model: model, TrainSize: 96, Loss: loss, Evaluate: eval, Lengths: lengths, RNG: dropout,
		Config: Config{Epochs: 4, BatchSize: 8, GradAccumulation: 2, LearningRate: 0.05, WarmupRatio: 0.2, WeightDecay: 0.01,
			MaxGradNorm: 1, EvalEvery: 5, Metric: "accuracy", GreaterIsBetter: true, LoadBestAtEnd: true,
			OutputDir: outputDir, SaveSteps: 4, SaveTotalLimit: 2, Seed: 5, Quiet: true}}, model
}

func weightBits(m nn.Module) []uint32 {
	var bits []uint32
	for _, p := range nn.Parameters(m) {
		for _, v := range p.Data() {
			bits = append(bits, math.Float32bits(v))
		}
	}
	return bits
}

func TestResumeIsBitExact(t *testing.T) {
	defer display.BeginRun()
	straight, straightModel := resumable(t, t.TempDir())
	want, err := straight.Train()
	if err != nil {
		t.Fatal(err)
	}

	// The same run, stopped after 7 steps (the stop button) ...
	dir := t.TempDir()
	first, _ := resumable(t, dir)
	first.Hooks = []StepHook{func(info StepInfo) error {
		if info.Step == 7 {
			display.Interrupt()
		}
		return nil
	}}
	display.BeginRun()
	h, err := first.Train()
	if !h.Interrupted || len(h.Steps) != 7 {
		t.Fatalf("first part: %v, %d steps", err, len(h.Steps))
	}
	display.BeginRun()
	last, err := LastCheckpoint(dir)
	if err != nil || filepath.Base(last) != "checkpoint-7" {
		t.Fatalf("LastCheckpoint = %q, %v", last, err)
	}
	// ... and resumed in a fresh model and trainer.
	second, secondModel := resumable(t, dir)
	second.ResumeFromCheckpoint = last
	got, err := second.Train()
	if err != nil {
		t.Fatal(err)
	}
	if got.ResumedAtStep != 7 || len(got.Steps) != len(want.Steps) || got.BestStep != want.BestStep || got.BestMetric != want.BestMetric {
		t.Fatalf("resumed history: %s\nuninterrupted: %s", got.Summary(), want.Summary())
	}
	for i := range want.Steps {
		if got.Steps[i].Loss != want.Steps[i].Loss {
			t.Fatalf("step %d: loss %v, uninterrupted %v", i+1, got.Steps[i].Loss, want.Steps[i].Loss)
		}
	}
	a, b := weightBits(straightModel), weightBits(secondModel)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("weight %d differs: %08x resumed, %08x uninterrupted", i, b[i], a[i])
		}
	}
	steps, _ := checkpointSteps(dir)
	if len(steps) != 2 || steps[1] != len(want.Steps) {
		t.Fatalf("kept checkpoints %v, want the last 2 ending at step %d", steps, len(want.Steps))
	}
}

func TestCorruptCheckpointNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	tr, _ := resumable(t, dir)
	tr.Config.MaxSteps = 4
	if _, err := tr.Train(); err != nil {
		t.Fatal(err)
	}
	good, err := LastCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	damage := map[string]func(path string) error{
		weightsFileName:   func(p string) error { return os.Truncate(p, 40) },
		optimizerFileName: func(p string) error { return os.Remove(p) },
		stateFileName:     func(p string) error { return os.WriteFile(p, []byte(`{"Version": 1, "Step": `), 0o644) },
		bestFileName:      func(p string) error { return os.WriteFile(p, []byte("not safetensors"), 0o644) },
	}
	for file, spoil := range damage {
		broken := filepath.Join(t.TempDir(), "checkpoint-4")
		if err := os.CopyFS(broken, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		if err := spoil(filepath.Join(broken, file)); err != nil {
			t.Fatal(err)
		}
		again, model := resumable(t, t.TempDir())
		again.Config.MaxSteps = 4
		again.ResumeFromCheckpoint = broken
		before := weightBits(model)
		_, err := again.Train()
		if err == nil || !strings.Contains(err.Error(), filepath.Join(broken, file)) {
			t.Errorf("%s damaged: err = %v, want it to name the file", file, err)
		}
		if after := weightBits(model); !slices.Equal(before, after) {
			t.Errorf("%s damaged: the model changed before the error", file)
		}
	}
	// A run with other settings refuses the checkpoint.
	other, _ := resumable(t, t.TempDir())
	other.Config.MaxSteps, other.Config.BatchSize = 4, 4
	other.ResumeFromCheckpoint = good
	if _, err := other.Train(); err == nil || !strings.Contains(err.Error(), "BatchSize 8") {
		t.Fatalf("mismatched settings: %v", err)
	}
	if _, err := LastCheckpoint(t.TempDir()); err == nil {
		t.Fatal("LastCheckpoint found a checkpoint in an empty folder")
	}
}
