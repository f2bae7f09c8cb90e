package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
)

// TrainOptions are the settings of TrainContrastive and TrainFusion.
type TrainOptions struct {
	Steps       int     // optimizer steps
	BatchSize   int     // pairs (or questions) per step
	LR          float64 // peak learning rate of AdamW (cosine schedule, 10% warm-up)
	WeightDecay float64 // AdamW's decoupled weight decay
	ClipNorm    float64 // gradient-norm clipping; 0 means 1.0
	Seed        uint64  // batch sampling
	Quiet       bool    // no progress bar
	// OnStep, when set, is called after every step with the step number
	// (from 1) and its loss: a notebook appends to a live loss curve here.
	OnStep func(step int, loss float64)
}

func (o *TrainOptions) check(name string, n int) error {
	if o.Steps < 1 || o.BatchSize < 2 || o.LR <= 0 {
		return fmt.Errorf("multimodal.%s: need Steps >= 1, BatchSize >= 2, LR > 0 (got %d, %d, %g)", name, o.Steps, o.BatchSize, o.LR)
	}
	if n < o.BatchSize {
		return fmt.Errorf("multimodal.%s: %d examples are fewer than a batch of %d", name, n, o.BatchSize)
	}
	if o.ClipNorm == 0 {
		o.ClipNorm = 1
	}
	return nil
}

// trainLoop runs the optimisation shared by both trainers: AdamW on the
// trainable parameters with a warm-up + cosine schedule, clipping, a
// progress bar, and a stop-button check between steps. loss computes one
// step's loss.
func trainLoop(name string, m nn.Module, o TrainOptions, loss func(step int) (*autograd.Tensor, error)) ([]float64, error) {
	params := nn.TrainableTensors(m)
	if len(params) == 0 {
		return nil, fmt.Errorf("multimodal.%s: the model has no trainable parameters", name)
	}
	opt := optim.NewAdamW(params, optim.AdamConfig{LR: o.LR, WeightDecay: o.WeightDecay})
	sched := optim.NewCosineSchedule(opt, o.Steps/10, o.Steps, 0.5)
	var bar *display.ProgressBar
	if !o.Quiet {
		bar = display.Progress(o.Steps, name)
		defer bar.Done()
	}
	m.SetTraining(true)
	defer m.SetTraining(false)
	losses := make([]float64, 0, o.Steps)
	for step := 1; step <= o.Steps; step++ {
		if err := display.CheckInterrupt(); err != nil {
			return losses, err
		}
		opt.ZeroGrad()
		l, err := loss(step)
		if err != nil {
			return losses, err
		}
		l.Backward()
		optim.ClipGradNorm(params, o.ClipNorm)
		opt.Step()
		sched.Step()
		v := float64(l.Item())
		losses = append(losses, v)
		if bar != nil {
			bar.SetPostfix(fmt.Sprintf("loss %.3f", v))
			bar.Add(1)
		}
		if o.OnStep != nil {
			o.OnStep(step, v)
		}
	}
	return losses, nil
}

// distinctBatch draws size indices in [0, n) whose keys all differ, so no
// batch holds two pairs with the same caption (which would be false
// negatives for the contrastive loss). When the keys have fewer than size
// distinct values the batch is smaller.
func distinctBatch(rng *splitMix, keys []string, size int) []int {
	seen := map[string]bool{}
	var out []int
	for tries := 0; len(out) < size && tries < 20*size; tries++ {
		i := rng.intn(len(keys))
		if !seen[keys[i]] {
			seen[keys[i]] = true
			out = append(out, i)
		}
	}
	return out
}

// TrainContrastive trains a dual encoder on media patches [N, ...] and
// their captions with the CLIP loss, one batch of distinct captions per
// step. It returns every step's loss; on an interrupt it stops early and
// returns the losses so far with display.ErrInterrupted.
func TrainContrastive(m *DualEncoder, patches *autograd.Tensor, captions []string, o TrainOptions) ([]float64, error) {
	if patches.Size(0) != len(captions) {
		return nil, fmt.Errorf("multimodal.TrainContrastive: %d media items but %d captions", patches.Size(0), len(captions))
	}
	if err := o.check("TrainContrastive", len(captions)); err != nil {
		return nil, err
	}
	rng := newSplitMix(o.Seed)
	return trainLoop("TrainContrastive", m, o, func(int) (*autograd.Tensor, error) {
		idx := distinctBatch(rng, captions, o.BatchSize)
		texts := make([]string, len(idx))
		for i, j := range idx {
			texts[i] = captions[j]
		}
		return m.Loss(patches.IndexSelect(0, idx), texts)
	})
}

// TrainFusion trains a fusion model on questions about media patches
// [N, ...] (qa.Index picks the item), with random batches.
func TrainFusion(f *FusionModel, patches *autograd.Tensor, qas []QA, o TrainOptions) ([]float64, error) {
	if err := o.check("TrainFusion", len(qas)); err != nil {
		return nil, err
	}
	for _, q := range qas {
		if q.Index < 0 || q.Index >= patches.Size(0) {
			return nil, fmt.Errorf("multimodal.TrainFusion: question %q is about item %d, have %d", q.Question, q.Index, patches.Size(0))
		}
	}
	rng := newSplitMix(o.Seed)
	return trainLoop("TrainFusion", f, o, func(int) (*autograd.Tensor, error) {
		batch := make([]QA, o.BatchSize)
		idx := make([]int, o.BatchSize)
		for i := range batch {
			batch[i] = qas[rng.intn(len(qas))]
			idx[i] = batch[i].Index
		}
		return f.Loss(patches.IndexSelect(0, idx), batch)
	})
}
