package train

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
)

// maskingTask builds the same small pretraining task, model and dropout
// generator every time, as a notebook does after a kernel restart.
func maskingTask(t *testing.T) (*PretrainingTask, *autograd.RNG) {
	t.Helper()
	world, tok, cfg := tinySetup(t)
	opts, instances := worldInstances(t, world, tok, 1)
	if len(instances) < 30 {
		t.Fatalf("only %d instances", len(instances))
	}
	dropout := autograd.NewRNG(7)
	model, err := bert.NewForPreTraining(cfg, dropout)
	if err != nil {
		t.Fatal(err)
	}
	model.MaskedOnly = true
	return &PretrainingTask{Model: model, Vocab: tok.Vocab, Train: instances[:24], Dev: instances[24:30], Masking: opts}, dropout
}

// maskingConfig runs 3 epochs of 3 steps each.
func maskingConfig(outputDir string) Config {
	return Config{Epochs: 3, BatchSize: 8, LearningRate: 2e-3, WarmupSteps: 2, MaxGradNorm: 1, EvalEvery: 4,
		OutputDir: outputDir, Seed: 3, Quiet: true}
}

func TestPretrainingMasksAreFreshEveryEpoch(t *testing.T) {
	task, dropout := maskingTask(t)
	tr := task.Trainer(maskingConfig(t.TempDir()))
	tr.RNG = dropout
	var epochs [][]data.PretrainingInstance
	begin := tr.BeginEpoch
	tr.BeginEpoch = func(epoch int) error {
		err := begin(epoch)
		epochs = append(epochs, task.trainInstances())
		return err
	}
	if _, err := tr.Train(); err != nil {
		t.Fatal(err)
	}
	if len(epochs) != 3 {
		t.Fatalf("BeginEpoch ran %d times in 3 epochs", len(epochs))
	}
	for i, inst := range epochs[0] {
		if !slices.Equal(inst.Tokens, task.Train[i].Tokens) {
			t.Fatalf("epoch 0 instance %d: %v, want the instance's own masks %v", i, inst.Tokens, task.Train[i].Tokens)
		}
	}
	for e := 1; e < 3; e++ {
		same := 0
		for i, inst := range epochs[e] {
			if slices.Equal(inst.MaskedPositions, epochs[e-1][i].MaskedPositions) {
				same++
			}
			if got, want := unmasked(inst), unmasked(task.Train[i]); !slices.Equal(got, want) {
				t.Fatalf("epoch %d instance %d restores to %v, want %v", e, i, got, want)
			}
		}
		if same > len(epochs[e])/4 {
			t.Fatalf("epoch %d: %d of %d instances predict the positions of epoch %d", e, same, len(epochs[e]), e-1)
		}
	}

	static, _ := maskingTask(t)
	static.StaticMasks = true
	if static.Trainer(maskingConfig("")).BeginEpoch != nil {
		t.Fatal("StaticMasks: the Trainer still re-masks every epoch")
	}
}

// unmasked is an instance's tokens with the original tokens put back.
func unmasked(inst data.PretrainingInstance) []string {
	out := slices.Clone(inst.Tokens)
	for k, pos := range inst.MaskedPositions {
		out[pos] = inst.MaskedLabels[k]
	}
	return out
}

func TestDynamicMaskingResumesBitExact(t *testing.T) {
	defer display.BeginRun()
	task, dropout := maskingTask(t)
	straight := task.Trainer(maskingConfig(t.TempDir()))
	straight.RNG = dropout
	want, err := straight.Train()
	if err != nil {
		t.Fatal(err)
	}

	// Stopped after 4 steps: one step into the second epoch ...
	dir := t.TempDir()
	firstTask, firstDropout := maskingTask(t)
	first := firstTask.Trainer(maskingConfig(dir))
	first.RNG = firstDropout
	first.Hooks = []StepHook{func(info StepInfo) error {
		if info.Step == 4 {
			display.Interrupt()
		}
		return nil
	}}
	display.BeginRun()
	if h, _ := first.Train(); !h.Interrupted || len(h.Steps) != 4 {
		t.Fatalf("first part: %d steps, interrupted %v", len(h.Steps), h.Interrupted)
	}
	display.BeginRun()
	// ... and resumed with a fresh model, task and trainer.
	secondTask, secondDropout := maskingTask(t)
	second := secondTask.Trainer(maskingConfig(dir))
	second.RNG = secondDropout
	second.ResumeFromCheckpoint = filepath.Join(dir, "checkpoint-4")
	got, err := second.Train()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Steps) != 9 || len(want.Steps) != 9 {
		t.Fatalf("%d steps resumed, %d uninterrupted; want 9", len(got.Steps), len(want.Steps))
	}
	for i := range want.Steps {
		if got.Steps[i].Loss != want.Steps[i].Loss {
			t.Fatalf("step %d: loss %v resumed, %v uninterrupted", i+1, got.Steps[i].Loss, want.Steps[i].Loss)
		}
	}
	if a, b := weightBits(task.Model), weightBits(secondTask.Model); !slices.Equal(a, b) {
		t.Fatal("the resumed weights differ from the uninterrupted run's")
	}
}
