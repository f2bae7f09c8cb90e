package train

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
)

// blobs is a two-class problem: points around (-1,-1) and (1,1).
func blobs(n int, seed uint64) (*autograd.Tensor, []int) {
	rng := autograd.NewRNG(seed)
	x := make([]float32, 2*n)
	y := make([]int, n)
	for i := 0; i < n; i++ {
		y[i] = i % 2
		center := float32(2*y[i] - 1)
		x[2*i] = center + 0.7*rng.NormFloat32()
		x[2*i+1] = center + 0.7*rng.NormFloat32()
	}
	return autograd.New(x, n, 2), y
}

func mlp(seed uint64) *nn.Sequential {
	rng := autograd.NewRNG(seed)
	return nn.NewSequential(nn.NewLinear(2, 16, true, rng), nn.NewReLU(), nn.NewLinear(16, 2, true, rng))
}

// classification wires a model and a dataset into a LossFunc and an EvalFunc.
func classification(model *nn.Sequential, x *autograd.Tensor, y []int, devX *autograd.Tensor, devY []int) (LossFunc, EvalFunc) {
	loss := func(batch []int) (*autograd.Tensor, error) {
		labels := make([]int, len(batch))
		for i, b := range batch {
			labels[i] = y[b]
		}
		logits := model.Forward(x.IndexSelect(0, batch))
		return autograd.CrossEntropy(logits, labels, autograd.CrossEntropyOptions{}), nil
	}
	eval := func() (map[string]float64, error) {
		logits := model.Forward(devX)
		l := autograd.CrossEntropy(logits, devY, autograd.CrossEntropyOptions{}).Item()
		return map[string]float64{"loss": float64(l), "accuracy": Accuracy(logits.ArgMax(1), devY)}, nil
	}
	return loss, eval
}

func TestTrainerLearnsAndEvaluates(t *testing.T) {
	x, y := blobs(256, 1)
	devX, devY := blobs(128, 2)
	model := mlp(3)
	loss, eval := classification(model, x, y, devX, devY)
	tr := &Trainer{Model: model, TrainSize: 256, Loss: loss, Evaluate: eval,
		Config: Config{Epochs: 5, BatchSize: 16, LearningRate: 0.05, WarmupRatio: 0.1, MaxGradNorm: 1, Quiet: true,
			Metric: "accuracy", GreaterIsBetter: true}}
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Steps) != 5*16 || len(h.Evals) != 5 {
		t.Fatalf("%d steps and %d evals, want 80 and 5", len(h.Steps), len(h.Evals))
	}
	first, last := h.Steps[0].Loss, h.Steps[len(h.Steps)-1].Loss
	if !(last < first/2) {
		t.Fatalf("loss did not fall: %.4f -> %.4f", first, last)
	}
	if h.FirstEval()["accuracy"] != h.Evals[0].Metrics["accuracy"] {
		t.Fatal("FirstEval is not the first evaluation")
	}
	if acc := h.LastEval()["accuracy"]; acc < 0.9 {
		t.Fatalf("dev accuracy %.3f < 0.9", acc)
	}
	// Warmup: the first step's learning rate is 0, the peak comes after 8 steps.
	if h.Steps[0].LearningRate != 0 || math.Abs(h.Steps[8].LearningRate-0.05) > 1e-9 {
		t.Fatalf("learning rates %v, %v", h.Steps[0].LearningRate, h.Steps[8].LearningRate)
	}
	if h.Steps[0].GradNorm <= 0 || h.Steps[0].ExamplesPerSec <= 0 {
		t.Fatalf("step record lacks grad norm or throughput: %+v", h.Steps[0])
	}
	if !strings.Contains(h.String(), "best accuracy") || !strings.Contains(h.MIMEBundle().Data["text/html"].(string), "<table>") {
		t.Fatalf("history rendering: %s", h.String())
	}
	if fig := h.LossCurve(); len(fig.Series()) != 2 {
		t.Fatalf("loss curve series %v, want train and validation", fig.Series())
	}
}

// Two accumulated micro-batches of 4 take the same step as one batch of 8.
func TestGradientAccumulationEqualsBigBatch(t *testing.T) {
	x, y := blobs(16, 1)
	run := func(batch, accumulation int) []float32 {
		model := mlp(7)
		loss, _ := classification(model, x, y, nil, nil)
		tr := &Trainer{Model: model, TrainSize: 16, Loss: loss,
			Config: Config{MaxSteps: 1, BatchSize: batch, GradAccumulation: accumulation, LearningRate: 0.1, Schedule: "constant", Quiet: true}}
		if _, err := tr.Train(); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), nn.StateDict(model)[0].Tensor.Data()...)
	}
	big, accumulated := run(8, 1), run(4, 2)
	for i := range big {
		if math.Abs(float64(big[i]-accumulated[i])) > 1e-6 {
			t.Fatalf("weight %d: %v with one batch, %v accumulated", i, big[i], accumulated[i])
		}
	}
}

func TestInterruptStopsBetweenSteps(t *testing.T) {
	defer display.BeginRun()
	x, y := blobs(64, 1)
	model := mlp(3)
	loss, _ := classification(model, x, y, nil, nil)
	tr := &Trainer{Model: model, TrainSize: 64, Loss: loss, Config: Config{Epochs: 10, BatchSize: 8, Quiet: true},
		Hooks: []StepHook{func(info StepInfo) error {
			if info.Step == 3 {
				display.Interrupt()
			}
			return nil
		}}}
	display.BeginRun()
	h, err := tr.Train()
	if !errors.Is(err, display.ErrInterrupted) || !h.Interrupted || len(h.Steps) != 3 {
		t.Fatalf("err %v, interrupted %v, %d steps", err, h.Interrupted, len(h.Steps))
	}
	for _, p := range nn.Parameters(model) {
		if p.Grad() != nil && p.Grad().Abs().Max().Item() != 0 {
			t.Fatal("gradients were left behind by an interrupted step")
		}
	}
}

func TestEarlyStoppingBestCheckpointAndRestore(t *testing.T) {
	x, y := blobs(32, 1)
	model := mlp(3)
	loss, _ := classification(model, x, y, nil, nil)
	losses := []float64{1, 0.5, 0.7, 0.9, 0.3}
	evals := 0
	var weightsAtBest []float32
	dir := filepath.Join(t.TempDir(), "best")
	saves := 0
	tr := &Trainer{Model: model, TrainSize: 32, Loss: loss,
		Config: Config{Epochs: 10, BatchSize: 8, EvalEvery: 2, EarlyStopPatience: 2, LoadBestAtEnd: true, CheckpointDir: dir, Quiet: true, LearningRate: 0.05},
		Evaluate: func() (map[string]float64, error) {
			v := losses[evals]
			evals++
			if evals == 2 {
				weightsAtBest = append([]float32(nil), nn.StateDict(model)[0].Tensor.Data()...)
			}
			return map[string]float64{"loss": v}, nil
		},
		Save: func(d string) error {
			saves++
			return os.WriteFile(filepath.Join(d, "model.txt"), []byte{byte(saves)}, 0o644)
		},
	}
	h, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if !h.StoppedEarly || h.BestStep != 4 || h.BestMetric != 0.5 || len(h.Evals) != 4 {
		t.Fatalf("history %+v", h)
	}
	got := nn.StateDict(model)[0].Tensor.Data()
	for i := range got {
		if got[i] != weightsAtBest[i] {
			t.Fatalf("best weights not restored at %d: %v vs %v", i, got[i], weightsAtBest[i])
		}
	}
	content, err := os.ReadFile(filepath.Join(dir, "model.txt"))
	if err != nil || saves != 2 || content[0] != 2 {
		t.Fatalf("checkpoint: saves %d content %v err %v", saves, content, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Fatalf("temporary checkpoint folders left behind: %v", entries)
	}
}

func TestTrainerRejectsBadSetups(t *testing.T) {
	model := mlp(1)
	cases := map[string]*Trainer{
		"no loss":        {Model: model, TrainSize: 4},
		"bad schedule":   {Model: model, TrainSize: 4, Loss: func([]int) (*autograd.Tensor, error) { return nil, nil }, Config: Config{Schedule: "step"}},
		"save missing":   {Model: model, TrainSize: 4, Loss: func([]int) (*autograd.Tensor, error) { return nil, nil }, Config: Config{CheckpointDir: "x"}},
		"non-scalar":     {Model: model, TrainSize: 4, Loss: func([]int) (*autograd.Tensor, error) { return autograd.Zeros(2), nil }, Config: Config{Quiet: true}},
		"no such metric": {Model: model, TrainSize: 4, Loss: func([]int) (*autograd.Tensor, error) { return autograd.Zeros(1).SetRequiresGrad(true).Sum(), nil }, Config: Config{Quiet: true, Metric: "f1"}, Evaluate: func() (map[string]float64, error) { return map[string]float64{"loss": 1}, nil }},
	}
	want := map[string]string{"no loss": "Loss", "bad schedule": "unknown Schedule", "save missing": "Save is nil", "non-scalar": "want a scalar", "no such metric": `no "f1" metric`}
	for name, tr := range cases {
		if _, err := tr.Train(); err == nil || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, want[name])
		}
	}
}
