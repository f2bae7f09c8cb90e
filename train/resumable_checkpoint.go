package train

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/atomicfile"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
	"github.com/turinglab/turinglab/safetensors"
)

// A resumable checkpoint is a folder OutputDir/checkpoint-<step> holding what
// HF's Trainer keeps for resume_from_checkpoint:
//
//	trainable.safetensors  the trainable parameters, by state-dict name
//	optimizer.safetensors  the optimizer state (Adam moments and step counts)
//	best.safetensors       the best weights so far, with LoadBestAtEnd
//	trainer_state.json     step, data position (epoch, the epoch's batches,
//	                       the next one; or, with a Stream, the examples
//	                       drawn from the pass), schedule step, the dropout RNG,
//	                       best metric, early-stopping count and the history
//
// Frozen parameters are not saved: a resumed run builds the same model (the
// same base checkpoint) and only the trained tensors change.
const (
	checkpointPrefix  = "checkpoint-"
	weightsFileName   = "trainable.safetensors"
	optimizerFileName = "optimizer.safetensors"
	bestFileName      = "best.safetensors"
	stateFileName     = "trainer_state.json"
	stateVersion      = 1
)

// statefulOptimizer is an optimizer that can save and restore its state
// (optim.Adam, optim.SGD).
type statefulOptimizer interface {
	optim.Optimizer
	SaveState(path string) error
	LoadState(path string) error
}

// position is where training is in the data, at a step boundary.
type position struct {
	step      int
	epoch     int
	next      int     // index in batches of the next micro-batch
	batches   [][]int // the epoch's batches
	served    int     // with a Stream: examples drawn from this pass
	fraction  float64 // fractional epoch, for the history
	schedStep int
}

// exactFloat is a float64 that survives JSON exactly, infinities and NaN
// included (perplexity can overflow to +Inf).
type exactFloat float64

// MarshalJSON writes a number, or a string for a non-finite value.
func (f exactFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return json.Marshal(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a number or one of the strings MarshalJSON writes.
func (f *exactFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := strconv.ParseFloat(s, 64)
		*f = exactFloat(v)
		return err
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = exactFloat(v)
	return err
}

// savedStep and savedEval are the history's records in the state file.
type savedStep struct {
	Step                                     int
	Epoch, Loss, LearningRate, GradNorm, EPS exactFloat
}

type savedEval struct {
	Step    int
	Epoch   exactFloat
	Metrics map[string]exactFloat
}

// trainerState is trainer_state.json.
type trainerState struct {
	Version        int
	Step           int
	Epoch          int
	EpochFraction  exactFloat
	NextBatch      int
	Batches        [][]int
	Served         int `json:",omitempty"` // with a Stream: examples drawn from the pass
	SchedulerStep  int
	DropoutRNG     []byte `json:",omitempty"`
	HasGrad        []bool // which trainable parameters had gradient buffers
	BestStep       int
	BestMetric     exactFloat
	SinceBest      int
	HasBestWeights bool
	Steps          []savedStep
	Evals          []savedEval
	// The settings a resumed run must share.
	TrainSize, BatchSize, GradAccumulation, TotalSteps int
	Seed                                               uint64
	Batching                                           string
}

// trainableNamed lists the trainable parameters by state-dict name, in the
// order of nn.TrainableTensors (tied tensors once).
func trainableNamed(m nn.Module) []nn.NamedParameter {
	seen := map[*autograd.Tensor]bool{}
	var out []nn.NamedParameter
	for _, p := range nn.StateDict(m) {
		if p.Tensor.RequiresGrad() && !seen[p.Tensor] {
			seen[p.Tensor] = true
			out = append(out, p)
		}
	}
	return out
}

// tensorEntries turns named tensors into safetensors entries.
func tensorEntries(named []nn.NamedParameter, values []*autograd.Tensor) []safetensors.Entry {
	entries := make([]safetensors.Entry, len(named))
	for i, p := range named {
		v := p.Tensor
		if values != nil {
			v = values[i]
		}
		entries[i] = safetensors.F32Entry(p.Name, p.Tensor.Shape(), v.Contiguous().Data())
	}
	return entries
}

// readTensors reads every named tensor from path, checking names and shapes
// before anything is changed.
func readTensors(path string, named []nn.NamedParameter) ([][]float32, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([][]float32, len(named))
	for i, p := range named {
		values, shape, err := f.Float32(p.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !autograd.SameShape(shape, p.Tensor.Shape()) {
			return nil, fmt.Errorf("%s: %s has shape %v, the model's has %v", path, p.Name, shape, p.Tensor.Shape())
		}
		out[i] = values
	}
	if f.Len() != len(named) {
		return nil, fmt.Errorf("%s: %d tensors, the model has %d trainable ones", path, f.Len(), len(named))
	}
	return out, nil
}

// saveCheckpoint writes a resumable checkpoint for the position and returns
// its folder; older ones beyond SaveTotalLimit are removed.
func (r *run) saveCheckpoint(at position) (string, error) {
	opt, ok := r.opt.(statefulOptimizer)
	if !ok {
		return "", fmt.Errorf("train: optimizer %T cannot save its state (it needs SaveState and LoadState), so no resumable checkpoint", r.opt)
	}
	named := trainableNamed(r.trainer.Model)
	state := trainerState{Version: stateVersion, Step: at.step, Epoch: at.epoch, EpochFraction: exactFloat(at.fraction),
		NextBatch: at.next, Batches: at.batches, Served: at.served, SchedulerStep: at.schedStep,
		BestStep: r.history.BestStep, BestMetric: exactFloat(r.history.BestMetric), SinceBest: r.sinceEval,
		HasBestWeights: r.best != nil}
	r.fingerprint(&state)
	for _, p := range named {
		state.HasGrad = append(state.HasGrad, p.Tensor.Grad() != nil)
	}
	if rng := r.trainer.RNG; rng != nil {
		state.DropoutRNG, _ = rng.MarshalBinary()
	}
	for _, s := range r.history.Steps {
		state.Steps = append(state.Steps, savedStep{s.Step, exactFloat(s.Epoch), exactFloat(s.Loss), exactFloat(s.LearningRate), exactFloat(s.GradNorm), exactFloat(s.ExamplesPerSec)})
	}
	for _, e := range r.history.Evals {
		m := map[string]exactFloat{}
		for k, v := range e.Metrics {
			m[k] = exactFloat(v)
		}
		state.Evals = append(state.Evals, savedEval{e.Step, exactFloat(e.Epoch), m})
	}
	stateJSON, err := json.MarshalIndent(state, "", " ")
	if err != nil {
		return "", fmt.Errorf("train: encoding %s: %w", stateFileName, err)
	}
	dir := filepath.Join(r.cfg.OutputDir, fmt.Sprintf("%s%d", checkpointPrefix, at.step))
	err = atomicfile.ReplaceDir(dir, func(tmp string) error {
		if err := safetensors.Save(filepath.Join(tmp, weightsFileName), tensorEntries(named, nil), map[string]string{"step": strconv.Itoa(at.step)}); err != nil {
			return err
		}
		if err := opt.SaveState(filepath.Join(tmp, optimizerFileName)); err != nil {
			return err
		}
		if r.best != nil {
			if err := safetensors.Save(filepath.Join(tmp, bestFileName), tensorEntries(named, r.best), nil); err != nil {
				return err
			}
		}
		// The state file goes last: a folder with it is complete.
		return atomicfile.WriteFile(filepath.Join(tmp, stateFileName), stateJSON)
	})
	if err != nil {
		return "", fmt.Errorf("train: saving checkpoint %s: %w", dir, err)
	}
	return dir, r.pruneCheckpoints()
}

// fingerprint records the settings a resumed run must share.
func (r *run) fingerprint(s *trainerState) {
	s.TrainSize, s.BatchSize, s.GradAccumulation, s.TotalSteps = r.trainer.TrainSize, r.cfg.BatchSize, r.cfg.GradAccumulation, r.totalSteps
	s.Seed, s.Batching = r.cfg.Seed, r.batching().String()
	if r.trainer.Stream != nil {
		s.Batching = "Stream"
	}
}

// checkpointSteps lists the checkpoint folders of dir by step, oldest first.
func checkpointSteps(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var steps []int
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), checkpointPrefix) {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(e.Name(), checkpointPrefix)); err == nil {
			steps = append(steps, n)
		}
	}
	sort.Ints(steps)
	return steps, nil
}

// pruneCheckpoints removes all but the newest SaveTotalLimit checkpoints.
func (r *run) pruneCheckpoints() error {
	steps, err := checkpointSteps(r.cfg.OutputDir)
	if err != nil {
		return err
	}
	for len(steps) > r.cfg.SaveTotalLimit {
		if err := os.RemoveAll(filepath.Join(r.cfg.OutputDir, fmt.Sprintf("%s%d", checkpointPrefix, steps[0]))); err != nil {
			return fmt.Errorf("train: removing an old checkpoint: %w", err)
		}
		steps = steps[1:]
	}
	return nil
}

// LastCheckpoint returns the newest complete checkpoint folder in outputDir
// (the one with the highest step and a trainer_state.json), for
// Trainer.ResumeFromCheckpoint; an error when there is none.
func LastCheckpoint(outputDir string) (string, error) {
	steps, err := checkpointSteps(outputDir)
	if err != nil {
		return "", fmt.Errorf("train.LastCheckpoint: %w", err)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		dir := filepath.Join(outputDir, fmt.Sprintf("%s%d", checkpointPrefix, steps[i]))
		if _, err := os.Stat(filepath.Join(dir, stateFileName)); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("train.LastCheckpoint: no %s<step> folder with a %s in %s", checkpointPrefix, stateFileName, outputDir)
}

// resume restores everything a checkpoint holds and returns the position to
// go on from. It reads and checks every file before changing anything.
func (r *run) resume(dir string, sched *optim.Scheduler) (position, error) {
	fail := func(file string, err error) (position, error) {
		return position{}, fmt.Errorf("train: resuming from %s: %w", filepath.Join(dir, file), err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		return position{}, fmt.Errorf("train: resuming from %s: %w", dir, err)
	}
	var state trainerState
	if err := json.Unmarshal(raw, &state); err != nil {
		return fail(stateFileName, fmt.Errorf("not a trainer state (%v)", err))
	}
	var want trainerState
	r.fingerprint(&want)
	switch {
	case state.Version != stateVersion:
		return fail(stateFileName, fmt.Errorf("version %d, want %d", state.Version, stateVersion))
	case state.TrainSize != want.TrainSize || state.BatchSize != want.BatchSize || state.GradAccumulation != want.GradAccumulation ||
		state.TotalSteps != want.TotalSteps || state.Seed != want.Seed || state.Batching != want.Batching:
		return fail(stateFileName, fmt.Errorf("saved by a run with TrainSize %d, BatchSize %d, GradAccumulation %d, %d steps, Seed %d, %s; this run has %d, %d, %d, %d, %d, %s",
			state.TrainSize, state.BatchSize, state.GradAccumulation, state.TotalSteps, state.Seed, state.Batching,
			want.TrainSize, want.BatchSize, want.GradAccumulation, want.TotalSteps, want.Seed, want.Batching))
	case state.Step < 0 || state.Step > state.TotalSteps || state.NextBatch < 0 || state.Served < 0 || state.SchedulerStep != state.Step:
		return fail(stateFileName, fmt.Errorf("inconsistent position: step %d, next batch %d, %d examples of the stream, schedule step %d", state.Step, state.NextBatch, state.Served, state.SchedulerStep))
	}
	for _, b := range state.Batches {
		for _, i := range b {
			if i < 0 || i >= r.trainer.TrainSize {
				return fail(stateFileName, fmt.Errorf("batch index %d outside the %d training examples", i, r.trainer.TrainSize))
			}
		}
	}
	named := trainableNamed(r.trainer.Model)
	if len(state.HasGrad) != len(named) {
		return fail(stateFileName, fmt.Errorf("%d trainable parameters, the model has %d", len(state.HasGrad), len(named)))
	}
	if (state.DropoutRNG != nil) != (r.trainer.RNG != nil) {
		return fail(stateFileName, fmt.Errorf("the dropout RNG was saved: %v, Trainer.RNG is set: %v; set both runs alike", state.DropoutRNG != nil, r.trainer.RNG != nil))
	}
	weights, err := readTensors(filepath.Join(dir, weightsFileName), named)
	if err != nil {
		return position{}, fmt.Errorf("train: resuming: %w", err)
	}
	var best [][]float32
	if state.HasBestWeights {
		if best, err = readTensors(filepath.Join(dir, bestFileName), named); err != nil {
			return position{}, fmt.Errorf("train: resuming: %w", err)
		}
	}
	opt, ok := r.opt.(statefulOptimizer)
	if !ok {
		return position{}, fmt.Errorf("train: resuming from %s: optimizer %T cannot load a saved state", dir, r.opt)
	}
	if err := opt.LoadState(filepath.Join(dir, optimizerFileName)); err != nil {
		return fail(optimizerFileName, err)
	}
	// Everything is read and checked: apply it.
	if r.trainer.RNG != nil {
		if err := r.trainer.RNG.UnmarshalBinary(state.DropoutRNG); err != nil {
			return fail(stateFileName, err)
		}
	}
	for i, p := range named {
		copy(p.Tensor.Data(), weights[i])
		// Parameters that had gradient buffers get zeroed ones, as after
		// ZeroGrad in the uninterrupted run (the optimizer treats a zero
		// gradient and none differently).
		if state.HasGrad[i] && p.Tensor.Grad() == nil {
			p.Tensor.SetGrad(autograd.Zeros(p.Tensor.Shape()...))
		}
	}
	if best != nil {
		r.best = make([]*autograd.Tensor, len(named))
		for i, p := range named {
			r.best[i] = autograd.New(best[i], p.Tensor.Shape()...)
		}
	}
	sched.SetStepCount(state.SchedulerStep)
	h := r.history
	h.BestStep, h.BestMetric, r.sinceEval = state.BestStep, float64(state.BestMetric), state.SinceBest
	for _, s := range state.Steps {
		h.Steps = append(h.Steps, StepRecord{Step: s.Step, Epoch: float64(s.Epoch), Loss: float64(s.Loss), LearningRate: float64(s.LearningRate), GradNorm: float64(s.GradNorm), ExamplesPerSec: float64(s.EPS)})
	}
	for _, e := range state.Evals {
		m := map[string]float64{}
		for k, v := range e.Metrics {
			m[k] = float64(v)
		}
		h.Evals = append(h.Evals, EvalRecord{Step: e.Step, Epoch: float64(e.Epoch), Metrics: m})
	}
	h.ResumedFrom, h.ResumedAtStep = dir, state.Step
	return position{step: state.Step, epoch: state.Epoch, next: state.NextBatch, batches: state.Batches, served: state.Served,
		fraction: float64(state.EpochFraction), schedStep: state.SchedulerStep}, nil
}
