package train

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
)

// ResponseLMTask is supervised fine-tuning of a causal LM on (prompt,
// response) pairs, as instruction tuning does it: the model reads the prompt
// and the response, and the loss covers only the response tokens (the labels
// under the prompt and the padding are IgnoreLabel), so the model learns to
// answer, not to ask. Each response should end with the end-of-text token.
type ResponseLMTask struct {
	Model     *gpt2.LMHeadModel
	Prompts   [][]int
	Responses [][]int
	Pad       int // the token that pads rows on the right (ignored in the loss)
}

// NewResponseLMTask checks that the pairs fit the model.
func NewResponseLMTask(m *gpt2.LMHeadModel, prompts, responses [][]int, pad int) (*ResponseLMTask, error) {
	if len(prompts) != len(responses) || len(prompts) == 0 {
		return nil, fmt.Errorf("train.ResponseLMTask: %d prompts and %d responses; want the same positive number", len(prompts), len(responses))
	}
	for i := range prompts {
		if n := len(prompts[i]) + len(responses[i]); n > m.Transformer.Config.NPositions || len(prompts[i]) == 0 || len(responses[i]) == 0 {
			return nil, fmt.Errorf("train.ResponseLMTask: example %d has a prompt of %d and a response of %d tokens; both must be non-empty and fit the model's %d positions",
				i, len(prompts[i]), len(responses[i]), m.Transformer.Config.NPositions)
		}
	}
	return &ResponseLMTask{Model: m, Prompts: prompts, Responses: responses, Pad: pad}, nil
}

// Loss is the mean cross-entropy over the response tokens of a batch.
func (t *ResponseLMTask) Loss(batch []int) (*autograd.Tensor, error) {
	width := 0
	for _, i := range batch {
		width = max(width, len(t.Prompts[i])+len(t.Responses[i]))
	}
	ids := make([]int, 0, len(batch)*width)
	labels := make([]int, 0, len(batch)*width)
	for _, i := range batch {
		p, r := t.Prompts[i], t.Responses[i]
		for j := 0; j < width; j++ {
			switch {
			case j < len(p):
				ids, labels = append(ids, p[j]), append(labels, gpt2.IgnoreLabel)
			case j < len(p)+len(r):
				ids, labels = append(ids, r[j-len(p)]), append(labels, r[j-len(p)])
			default:
				ids, labels = append(ids, t.Pad), append(labels, gpt2.IgnoreLabel)
			}
		}
	}
	out, err := t.Model.Forward(&gpt2.Inputs{InputIDs: ids, Batch: len(batch), SeqLen: width}, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Trainer returns a Trainer for the task that optimizes the trainable
// parameters of trainable: the model itself for full fine-tuning, or the
// PEFT model wrapping it (whose only trainable parameters are the adapter's).
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (t *ResponseLMTask) Trainer(trainable nn.Module, cfg Config) *Trainer {
	lengths := make([]int, len(t.Prompts))
	for i := range lengths {
		lengths[i] = len(t.Prompts[i]) + len(t.Responses[i])
	}
	return &Trainer{Model: trainable, TrainSize: len(t.Prompts), Loss: t.Loss, Lengths: lengths, Config: cfg, Recycle: true}
}
