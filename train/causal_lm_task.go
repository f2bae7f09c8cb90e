package train

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/gpt2"
)

// CausalLMTask connects GPT-2 language-model training to the Trainer, as HF's
// run_clm.py does: the training and evaluation sets are blocks of token ids
// of one length (GroupTexts), each block is its own label sequence (the
// model predicts token t+1 from tokens 0..t), and evaluation reports the mean
// loss and the perplexity exp(loss). The Trainer draws the live loss curve.
type CausalLMTask struct {
	Model *gpt2.LMHeadModel
	Train [][]int // training blocks, all of one length
	Dev   [][]int // evaluation blocks
	// EvalBatchSize is the batch size of Evaluate (default 16).
	EvalBatchSize int
}

// NewCausalLMTask groups the training and evaluation documents into blocks
// of blockSize tokens (GroupTexts) and checks that they fit the model.
func NewCausalLMTask(m *gpt2.LMHeadModel, trainDocs, devDocs [][]int, blockSize int) (*CausalLMTask, error) {
	if blockSize > m.Transformer.Config.NPositions {
		return nil, fmt.Errorf("train.CausalLMTask: block size %d exceeds the model's n_positions %d", blockSize, m.Transformer.Config.NPositions)
	}
	if blockSize < 2 {
		return nil, fmt.Errorf("train.CausalLMTask: block size %d leaves nothing to predict (want at least 2)", blockSize)
	}
	train, err := GroupTexts(trainDocs, blockSize)
	if err != nil {
		return nil, err
	}
	if len(train) == 0 {
		return nil, fmt.Errorf("train.CausalLMTask: the training documents hold fewer than %d tokens (one block)", blockSize)
	}
	dev, err := GroupTexts(devDocs, blockSize)
	if err != nil {
		return nil, err
	}
	return &CausalLMTask{Model: m, Train: train, Dev: dev}, nil
}

// Batch stacks blocks[batch...] into model inputs; the labels are the input
// ids (shifted inside the loss).
func (c *CausalLMTask) Batch(blocks [][]int, batch []int) (*gpt2.Inputs, []int, error) {
	if len(batch) == 0 {
		return nil, nil, fmt.Errorf("train.CausalLMTask: empty batch")
	}
	length := len(blocks[batch[0]])
	ids := make([]int, 0, len(batch)*length)
	for _, i := range batch {
		if len(blocks[i]) != length {
			return nil, nil, fmt.Errorf("train.CausalLMTask: block %d has %d tokens, block %d has %d (use GroupTexts)", i, len(blocks[i]), batch[0], length)
		}
		ids = append(ids, blocks[i]...)
	}
	return &gpt2.Inputs{InputIDs: ids, Batch: len(batch), SeqLen: length}, ids, nil
}

// Loss is the Trainer's LossFunc: the causal-LM loss of a training batch.
func (c *CausalLMTask) Loss(batch []int) (*autograd.Tensor, error) {
	in, labels, err := c.Batch(c.Train, batch)
	if err != nil {
		return nil, err
	}
	out, err := c.Model.Forward(in, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Evaluate is the Trainer's EvalFunc: "loss", the mean cross-entropy over
// every predicted token of the Dev blocks, and "perplexity", exp(loss).
func (c *CausalLMTask) Evaluate() (map[string]float64, error) {
	if len(c.Dev) == 0 {
		return nil, fmt.Errorf("train.CausalLMTask: no Dev blocks to evaluate on")
	}
	size := c.EvalBatchSize
	if size <= 0 {
		size = 16
	}
	var sum float64
	var tokens int
	for _, batch := range data.Batches(len(c.Dev), size, false, 0) {
		in, labels, err := c.Batch(c.Dev, batch)
		if err != nil {
			return nil, err
		}
		out, err := c.Model.Forward(in, labels)
		if err != nil {
			return nil, err
		}
		n := in.Batch * (in.SeqLen - 1)
		sum += float64(out.Loss.Item()) * float64(n)
		tokens += n
	}
	loss := sum / float64(tokens)
	return map[string]float64{"loss": loss, "perplexity": math.Exp(loss)}, nil
}

// Trainer returns a Trainer for this task with the given configuration: the
// model, the number of training blocks, the loss and the evaluation are the
// task's, and checkpoints are HF GPT-2 directories (gpt2.SavePretrained).
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (c *CausalLMTask) Trainer(cfg Config) *Trainer {
	t := &Trainer{Model: c.Model, TrainSize: len(c.Train), Loss: c.Loss, Config: cfg, Recycle: true,
		Save: func(dir string) error {
			mc := c.Model.Transformer.Config
			return gpt2.SavePretrained(dir, c.Model, mc, gpt2.NewGenerationConfig(mc), nil)
		}}
	if len(c.Dev) > 0 {
		t.Evaluate = c.Evaluate
	}
	return t
}
