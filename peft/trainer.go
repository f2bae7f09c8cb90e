package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/train"
)

// NewTrainer connects an adapted sequence classifier to the training loop:
// the loss and the evaluation go through Model.Forward (so prompt tuning's
// virtual tokens and AdaLoRA's orthogonal regularisation are included), the
// optimizer sees only the trainable parameters, and AdaLoRA's rank allocator
// runs after every optimizer step as a train.StepHook (PEFT users must call
// update_and_allocate themselves). task supplies the data, the tokenizer
// and the labels; task.Model must be pm.Base. The best checkpoint, when
// cfg.CheckpointDir is set, is the adapter in PEFT's format.
func NewTrainer(pm *Model, task *train.SequenceClassificationTask, cfg train.Config) (*train.Trainer, error) {
	if task == nil || pm == nil {
		return nil, fmt.Errorf("peft: NewTrainer needs a model and a task")
	}
	if bert.Architecture(pm.Base) != "" && task.Model != pm.Base {
		return nil, fmt.Errorf("peft: NewTrainer: task.Model is not the adapted model pm.Base")
	}
	t := &train.Trainer{
		Model:     pm,
		Config:    cfg,
		TrainSize: len(task.Train),
		Loss: func(batch []int) (*autograd.Tensor, error) {
			in, labels, err := task.Batch(task.Train, batch)
			if err != nil {
				return nil, err
			}
			out, err := pm.Forward(in, labels)
			if err != nil {
				return nil, err
			}
			return out.Loss, nil
		},
		Evaluate: func() (map[string]float64, error) { return Evaluate(pm, task) },
		Save:     pm.SavePretrained,
		// The loss keeps nothing of the step's graph, and the rank allocator
		// reads only the adapter's weights and gradients.
		Recycle: true,
		Hooks: []train.StepHook{func(info train.StepInfo) error {
			return pm.AllocatorStep(info.Step)
		}},
	}
	return t, nil
}

// Evaluate measures pm on task.Dev through Model.Forward: "loss" (mean over
// examples), "accuracy" and "macro_f1". Call it with gradients off (the
// Trainer does).
func Evaluate(pm *Model, task *train.SequenceClassificationTask) (map[string]float64, error) {
	pred, loss, err := Predict(pm, task, task.Dev)
	if err != nil {
		return nil, err
	}
	gold := train.Golds(task.Dev)
	rep := train.ClassificationReport(pred, gold, task.Labels)
	return map[string]float64{"loss": loss, "accuracy": rep.Accuracy, "macro_f1": rep.Macro.F1}, nil
}

// Predict returns the predicted class of every example and the mean loss,
// running the adapted model (with prompt tuning's tokens when active) batch
// by batch; the notebook's stop button ends it between batches.
func Predict(pm *Model, task *train.SequenceClassificationTask, examples []data.Example) ([]int, float64, error) {
	bs := task.EvalBatchSize
	if bs <= 0 {
		bs = 64
	}
	var pred []int
	total := 0.0
	for start := 0; start < len(examples); start += bs {
		if err := display.CheckInterrupt(); err != nil {
			return nil, 0, fmt.Errorf("peft: prediction stopped after %d of %d examples: %w", start, len(examples), err)
		}
		end := min(start+bs, len(examples))
		idx := make([]int, end-start)
		for i := range idx {
			idx[i] = start + i
		}
		in, labels, err := task.Batch(examples, idx)
		if err != nil {
			return nil, 0, err
		}
		out, err := pm.Forward(in, labels)
		if err != nil {
			return nil, 0, err
		}
		pred = append(pred, out.Logits.ArgMax(-1)...)
		total += float64(out.Loss.Item()) * float64(len(idx))
	}
	if len(examples) == 0 {
		return nil, 0, nil
	}
	return pred, total / float64(len(examples)), nil
}
