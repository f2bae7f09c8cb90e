package train

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// StreamingPretrainingTask is BERT pre-training on a corpus file larger than
// memory: its training instances come from a data.PretrainingStream, which
// holds only a buffer of documents and makes instances on the fly, with new
// sentence pairs and new masks in every pass (dynamic masking). It is the
// Trainer's DataStream: give the Trainer Config.MaxSteps; budgets,
// checkpoints and resumption work as with PretrainingTask, and a resumed run
// returns to the same instance of the same pass, so it is exact.
//
//	stream, err := data.OpenPretrainingStream("corpus.txt", tok.Tokenize, tok.Vocab.Tokens(), opts, 1000)
//	defer stream.Close()
//	task := &train.StreamingPretrainingTask{Model: model, Vocab: tok.Vocab, Stream: stream, Dev: dev}
//	history, err := task.Trainer(train.Config{MaxSteps: 2000, BatchSize: 32, ...}).Train()
type StreamingPretrainingTask struct {
	Model  *bert.ForPreTraining
	Vocab  *tokenizer.Vocab
	Stream *data.PretrainingStream
	// Dev are held-out instances, e.g. data.PretrainingFromFile on a small
	// held-out file; without them the run trains without evaluation.
	Dev []data.PretrainingInstance
	// EvalBatchSize is the batch size of Evaluate (default 64).
	EvalBatchSize int

	drawn []data.PretrainingInstance // the current step's instances
}

// StartEpoch rewinds the stream to the start of pass epoch (DataStream).
func (p *StreamingPretrainingTask) StartEpoch(epoch int) error { return p.Stream.StartEpoch(epoch) }

// Next draws the next step's instances from the stream (DataStream).
func (p *StreamingPretrainingTask) Next(n int) (int, error) {
	batch, err := p.Stream.NextBatch(n)
	p.drawn = batch
	return len(batch), err
}

// inMemory is the same model and dev set as a PretrainingTask, whose batching
// and evaluation this task shares.
func (p *StreamingPretrainingTask) inMemory() *PretrainingTask {
	return &PretrainingTask{Model: p.Model, Vocab: p.Vocab, Dev: p.Dev, EvalBatchSize: p.EvalBatchSize, Masking: p.Stream.Options()}
}

// Loss is the Trainer's LossFunc: MLM loss + NSP loss (the MLM loss alone
// with the stream's MLMOnly) of a micro-batch of the instances the last Next
// drew.
func (p *StreamingPretrainingTask) Loss(batch []int) (*autograd.Tensor, error) {
	in, labels, err := p.inMemory().Batch(p.drawn, batch)
	if err != nil {
		return nil, err
	}
	out, err := p.Model.Forward(in, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Evaluate is the Trainer's EvalFunc, PretrainingTask.Evaluate on Dev.
func (p *StreamingPretrainingTask) Evaluate() (map[string]float64, error) {
	return p.inMemory().Evaluate()
}

// Trainer returns a Trainer that reads its training instances from the
// stream, with the given configuration (MaxSteps is required). Without Dev
// instances it trains without evaluation and says so in a note.
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (p *StreamingPretrainingTask) Trainer(cfg Config) *Trainer {
	t := &Trainer{Model: p.Model, Stream: p, Loss: p.Loss, Config: cfg, Recycle: true}
	return t.evaluatingOnDev(len(p.Dev), p.Evaluate)
}
