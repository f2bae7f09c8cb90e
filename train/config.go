package train

import (
	"fmt"
	"time"
)

// Config holds the training hyperparameters, named as HF's TrainingArguments
// names them where they exist. Zero values mean the defaults given per field.
type Config struct {
	Epochs           int // passes over the training set (default 1; ignored when MaxSteps > 0)
	MaxSteps         int // optimizer steps to run; overrides Epochs when positive
	BatchSize        int // examples per micro-batch (default 8)
	GradAccumulation int // micro-batches per optimizer step (default 1)

	LearningRate float64 // peak learning rate (default 5e-5, HF's)
	WeightDecay  float64 // AdamW decay, not applied to biases and LayerNorm weights
	WarmupSteps  int     // linear warmup steps; WarmupRatio is used when this is 0
	WarmupRatio  float64 // warmup as a fraction of all steps
	Schedule     string  // "linear" (default, warmup then linear decay), "cosine", or "constant"
	MaxGradNorm  float64 // clip the global gradient norm to this (0: no clipping; HF uses 1)

	EvalEvery         int    // evaluate every this many steps (0: at the end of every epoch)
	Metric            string // the metric that picks the best model and drives early stopping (default "loss")
	GreaterIsBetter   bool   // direction of Metric (false for losses)
	EarlyStopPatience int    // stop after this many evaluations without improvement (0: never)
	LoadBestAtEnd     bool   // restore the best evaluated weights when training ends
	CheckpointDir     string // if set, the best model is saved here (atomically) via Trainer.Save

	// TimeBudget stops training cleanly at the first step boundary after this
	// much wall time in this call to Train (0: no budget), beside Epochs and
	// MaxSteps; the history says so (StoppedByBudget). With OutputDir set, a
	// checkpoint is written there, so the run can go on later.
	TimeBudget time.Duration

	// OutputDir is where resumable checkpoints go, one folder per save:
	// OutputDir/checkpoint-<step> with the weights, the optimizer state, the
	// schedule, the random state, the data position and the history (see
	// Trainer.ResumeFromCheckpoint). Each is written atomically.
	OutputDir string
	// SaveSteps writes a checkpoint every this many optimizer steps (0: not by steps).
	SaveSteps int
	// SaveInterval writes a checkpoint at the first step boundary after this
	// much wall time since the last one (0: not by time).
	SaveInterval time.Duration
	// SaveTotalLimit keeps only the newest this many checkpoints (default 3).
	SaveTotalLimit int

	// Batching is how training batches are drawn: BatchesByLength (the
	// default; used when the Trainer has Lengths, as the tasks give it) or
	// RandomBatches.
	Batching BatchOrder

	Seed  uint64 // shuffling seed; epoch e uses Seed+e
	Quiet bool   // no progress bar and no live loss curve
}

// withDefaults fills zero fields and rejects impossible settings.
func (c Config) withDefaults() (Config, error) {
	if c.Epochs == 0 {
		c.Epochs = 1
	}
	if c.BatchSize == 0 {
		c.BatchSize = 8
	}
	if c.GradAccumulation == 0 {
		c.GradAccumulation = 1
	}
	if c.LearningRate == 0 {
		c.LearningRate = 5e-5
	}
	if c.Schedule == "" {
		c.Schedule = "linear"
	}
	if c.SaveTotalLimit == 0 {
		c.SaveTotalLimit = 3
	}
	if c.Metric == "" {
		c.Metric = "loss"
	}
	switch {
	case c.Epochs < 0 || c.MaxSteps < 0 || c.BatchSize < 0 || c.GradAccumulation < 0:
		return c, fmt.Errorf("train: negative Epochs, MaxSteps, BatchSize or GradAccumulation in %+v", c)
	case c.Schedule != "linear" && c.Schedule != "cosine" && c.Schedule != "constant":
		return c, fmt.Errorf("train: unknown Schedule %q (want linear, cosine or constant)", c.Schedule)
	case c.TimeBudget < 0 || c.SaveSteps < 0 || c.SaveInterval < 0 || c.SaveTotalLimit < 0:
		return c, fmt.Errorf("train: negative TimeBudget, SaveSteps, SaveInterval or SaveTotalLimit in %+v", c)
	case (c.SaveSteps > 0 || c.SaveInterval > 0) && c.OutputDir == "":
		return c, fmt.Errorf("train: SaveSteps or SaveInterval is set but OutputDir is empty: set Config.OutputDir to where checkpoints go")
	case c.Batching != BatchesByLength && c.Batching != RandomBatches:
		return c, fmt.Errorf("train: unknown Batching %v", c.Batching)
	case c.WarmupRatio < 0 || c.WarmupRatio > 1:
		return c, fmt.Errorf("train: WarmupRatio %v outside [0, 1]", c.WarmupRatio)
	}
	return c, nil
}
