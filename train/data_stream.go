package train

import (
	"errors"
	"fmt"
	"io"

	"github.com/turinglab/turinglab/optim"
)

// DataStream is training data read in order rather than indexed — PyTorch's
// IterableDataset — for a corpus larger than memory (StreamingPretrainingTask
// is one). Each pass over the data is an epoch, and a pass must be the same
// in every run (fixed by a seed and the epoch), so that a resumed run is
// exact.
//
// A Trainer with a Stream asks it, for every optimizer step, for the
// examples of that step (Config.BatchSize × Config.GradAccumulation), then
// calls Loss with micro-batches of indices into them: 0..BatchSize-1, then
// BatchSize..2·BatchSize-1, and so on. The length of a pass is not known in
// advance, so Config.MaxSteps sets the length of training (as HF's Trainer
// requires max_steps for an IterableDataset); record epochs count whole
// passes, and with EvalEvery 0 evaluation runs at the end only. A
// checkpoint keeps the pass and the number of examples drawn from it; a
// resumed run starts that pass again and draws them once more to get back.
type DataStream interface {
	// StartEpoch starts pass epoch (0, 1, ...) from the beginning.
	StartEpoch(epoch int) error
	// Next draws up to n examples, the next step's; fewer at the end of the
	// pass, and 0 with io.EOF when the pass is over.
	Next(n int) (int, error)
}

// checkStream rejects a Trainer whose Stream cannot run with cfg.
func (t *Trainer) checkStream(cfg Config) error {
	switch {
	case t.Stream == nil:
		return nil
	case t.TrainSize != 0 || t.Lengths != nil:
		return fmt.Errorf("train.Trainer: Stream is set, so TrainSize (%d) and Lengths must not be: the stream is the training data", t.TrainSize)
	case cfg.MaxSteps <= 0:
		return fmt.Errorf("train.Trainer: a Stream's length is not known in advance: set Config.MaxSteps (Epochs cannot be used)")
	}
	return nil
}

// trainStream is the training loop over a Stream, from the position r.at.
func (r *run) trainStream(sched *optim.Scheduler) (*History, error) {
	stream, cfg := r.trainer.Stream, r.cfg
	stepSize := cfg.BatchSize * cfg.GradAccumulation
	epoch, served := r.at.epoch, r.at.served
	if err := stream.StartEpoch(epoch); err != nil {
		return r.finish(fmt.Errorf("train: starting pass %d over the stream: %w", epoch, err))
	}
	// Back to where the checkpoint was: draw the pass's first served examples again.
	for left := served; left > 0; {
		n, err := stream.Next(min(stepSize, left))
		if err == nil && n == 0 {
			err = io.ErrNoProgress
		}
		if err != nil {
			return r.finish(fmt.Errorf("train: resuming pass %d of the stream after %d examples: %d left to skip: %w", epoch, served, left, err))
		}
		left -= n
	}
	for step := r.at.step; step < r.totalSteps; {
		n, err := stream.Next(stepSize)
		if errors.Is(err, io.EOF) && n == 0 {
			if served == 0 {
				return r.finish(fmt.Errorf("train: pass %d of the stream has no examples", epoch))
			}
			epoch, served = epoch+1, 0
			if err := stream.StartEpoch(epoch); err != nil {
				return r.finish(fmt.Errorf("train: starting pass %d over the stream: %w", epoch, err))
			}
			continue
		}
		if err != nil {
			return r.finish(fmt.Errorf("train: reading pass %d of the stream after %d examples: %w", epoch, served, err))
		}
		var micro [][]int
		for start := 0; start < n; start += cfg.BatchSize {
			batch := make([]int, min(cfg.BatchSize, n-start))
			for i := range batch {
				batch[i] = start + i
			}
			micro = append(micro, batch)
		}
		record, err := r.step(micro)
		if err != nil {
			optim.ZeroGrad(r.params)
			return r.finish(err)
		}
		step++
		served += n
		reached := position{step: step, epoch: epoch, served: served, fraction: float64(epoch)}
		if stop, err := r.finishStep(record, reached, false, sched); stop {
			return r.finish(err)
		}
	}
	return r.finish(nil)
}
