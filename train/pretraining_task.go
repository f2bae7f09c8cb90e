package train

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// PretrainingTask connects BERT pre-training to the Trainer: it turns
// pretraining instances (data.CreatePretrainingInstances) into padded batches
// with masked-LM and next-sentence labels, and measures MLM and NSP accuracy on
// held-out instances. Instances made with MLMOnly (give their options as
// Masking) train the masked-LM loss alone: no NSP labels, loss or accuracy.
//
// Masking is dynamic by default (RoBERTa; what HF's
// DataCollatorForLanguageModeling does): in a Trainer from the Trainer
// method, the first epoch uses the instances' own masks and every later epoch
// e masks them afresh with data.RemaskInstances(Train, ..., e), so no two
// epochs predict the same positions. The masks of epoch e depend only on
// Masking.Seed and e, so a resumed run sees exactly the masks of an
// uninterrupted one. StaticMasks turns this off: every epoch sees the same
// masks, as in the original BERT code, where DupeFactor copies of the corpus
// with different masks were made once.
type PretrainingTask struct {
	Model *bert.ForPreTraining
	Vocab *tokenizer.Vocab
	Train []data.PretrainingInstance
	Dev   []data.PretrainingInstance
	// EvalBatchSize is the batch size of Evaluate (default 64).
	EvalBatchSize int
	// StaticMasks keeps the instances' masks in every epoch (no dynamic masking).
	StaticMasks bool
	// Masking holds the options the instances were made with: the rules of
	// the fresh masks (MaskedLMProb, MaxPredictionsPerSeq, WholeWordMask,
	// SalientWords and Seed) and MLMOnly, the objective. Left zero
	// (MaskedLMProb 0), data.DefaultPretraining's masks apply.
	Masking data.PretrainingOptions

	epochTrain []data.PretrainingInstance // Train with this epoch's masks (nil: Train's own)
}

// Batch builds model inputs and labels for instances[batch...], padded to the
// longest in the batch. Tokens missing from the vocabulary become [UNK].
// With Masking.MLMOnly the labels have no NSP part (nil).
func (p *PretrainingTask) Batch(instances []data.PretrainingInstance, batch []int) (*bert.Inputs, *bert.PreTrainingLabels, error) {
	unk, ok := p.Vocab.ID("[UNK]")
	if !ok {
		return nil, nil, fmt.Errorf("train.PretrainingTask: the vocabulary has no [UNK]")
	}
	pad, _ := p.Vocab.ID("[PAD]")
	longest := 0
	for _, i := range batch {
		longest = max(longest, len(instances[i].Tokens))
	}
	n := len(batch) * longest
	in := &bert.Inputs{InputIDs: make([]int, n), TokenTypeIDs: make([]int, n), AttentionMask: make([]int, n), Batch: len(batch), SeqLen: longest}
	labels := &bert.PreTrainingLabels{MLM: make([]int, n)}
	if !p.Masking.MLMOnly {
		labels.NSP = make([]int, len(batch))
	}
	for b, i := range batch {
		inst := instances[i]
		row := b * longest
		for t := 0; t < longest; t++ {
			labels.MLM[row+t] = data.IgnoreLabel
			if t >= len(inst.Tokens) {
				in.InputIDs[row+t] = pad
				continue
			}
			id, ok := p.Vocab.ID(inst.Tokens[t])
			if !ok {
				id = unk
			}
			in.InputIDs[row+t] = id
			in.TokenTypeIDs[row+t] = inst.SegmentIDs[t]
			in.AttentionMask[row+t] = 1
		}
		for k, pos := range inst.MaskedPositions {
			id, ok := p.Vocab.ID(inst.MaskedLabels[k])
			if !ok {
				id = unk
			}
			labels.MLM[row+pos] = id
		}
		if inst.IsRandomNext && labels.NSP != nil {
			labels.NSP[b] = 1
		}
	}
	return in, labels, nil
}

// Loss is the Trainer's LossFunc: MLM loss + NSP loss of a training batch
// (the MLM loss alone with Masking.MLMOnly).
func (p *PretrainingTask) Loss(batch []int) (*autograd.Tensor, error) {
	in, labels, err := p.Batch(p.trainInstances(), batch)
	if err != nil {
		return nil, err
	}
	out, err := p.Model.Forward(in, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// trainInstances are the training instances with the current epoch's masks.
func (p *PretrainingTask) trainInstances() []data.PretrainingInstance {
	if p.epochTrain != nil {
		return p.epochTrain
	}
	return p.Train
}

// BeginEpoch is the Trainer's EpochFunc for dynamic masking: epoch 0 uses the
// instances' own masks, every later epoch fresh ones (see PretrainingTask).
func (p *PretrainingTask) BeginEpoch(epoch int) error {
	if p.StaticMasks || epoch == 0 {
		p.epochTrain = nil
		return nil
	}
	opts := p.Masking
	if opts.MaskedLMProb == 0 {
		opts = data.DefaultPretraining
	}
	p.epochTrain = data.RemaskInstances(p.Train, p.Vocab.Tokens(), opts, epoch)
	return nil
}

// Evaluate is the Trainer's EvalFunc: on the dev instances it reports "loss"
// (MLM + NSP), "mlm_loss", "perplexity" (of the MLM), "mlm_accuracy" (masked
// positions whose top prediction is the original token) and "nsp_accuracy";
// with Masking.MLMOnly, "loss" is the MLM loss and there is no NSP accuracy.
func (p *PretrainingTask) Evaluate() (map[string]float64, error) {
	if len(p.Dev) == 0 {
		return nil, fmt.Errorf("train.PretrainingTask: no Dev instances to evaluate on")
	}
	size := p.EvalBatchSize
	if size <= 0 {
		size = 64
	}
	var mlmLoss, nspLoss float64
	var masked, mlmCorrect, nspCorrect int
	for _, batch := range data.Batches(len(p.Dev), size, false, 0) {
		in, labels, err := p.Batch(p.Dev, batch)
		if err != nil {
			return nil, err
		}
		out, err := p.Model.Forward(in, labels)
		if err != nil {
			return nil, err
		}
		correct, count := maskedLMHits(out, labels.MLM, in)
		mlmCorrect += correct
		masked += count
		mlmLoss += float64(out.MLMLoss.Item()) * float64(count)
		if labels.NSP != nil {
			nspLoss += float64(out.NSPLoss.Item()) * float64(len(batch))
			nspCorrect += int(Accuracy(out.SeqRelationshipLogits.ArgMax(1), labels.NSP)*float64(len(batch)) + 0.5)
		}
	}
	meanMLM := mlmLoss / float64(max(masked, 1))
	metrics := map[string]float64{
		"loss":         meanMLM,
		"mlm_loss":     meanMLM,
		"perplexity":   math.Exp(meanMLM),
		"mlm_accuracy": float64(mlmCorrect) / float64(max(masked, 1)),
	}
	if !p.Masking.MLMOnly {
		meanNSP := nspLoss / float64(len(p.Dev))
		metrics["loss"] = meanMLM + meanNSP
		metrics["nsp_accuracy"] = float64(nspCorrect) / float64(len(p.Dev))
	}
	return metrics, nil
}

// maskedLMHits counts masked positions and how many the model predicts
// exactly, whether the logits cover every position or only the masked ones.
func maskedLMHits(out *bert.PreTrainingOutput, mlmLabels []int, in *bert.Inputs) (correct, count int) {
	logits := out.PredictionLogits
	vocab := logits.Shape()[logits.Dim()-1]
	predictions := logits.Reshape(-1, vocab).ArgMax(1)
	positions := out.MaskedPositions
	if positions == nil {
		positions = make([]int, in.Batch*in.SeqLen)
		for i := range positions {
			positions[i] = i
		}
	}
	for row, pos := range positions {
		if label := mlmLabels[pos]; label != data.IgnoreLabel {
			count++
			if predictions[row] == label {
				correct++
			}
		}
	}
	return correct, count
}

// Trainer returns a Trainer for this task with the given configuration: the
// model, the training-set size, the loss and the evaluation are the task's.
//
// The instances' lengths go with it, for length-bucketed batches, and
// BeginEpoch, for dynamic masking (unless StaticMasks). Without Dev instances
// it trains without evaluation and says so in a note.
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (p *PretrainingTask) Trainer(cfg Config) *Trainer {
	lengths := make([]int, len(p.Train))
	for i, inst := range p.Train {
		lengths[i] = len(inst.Tokens)
	}
	t := &Trainer{Model: p.Model, TrainSize: len(p.Train), Loss: p.Loss, Lengths: lengths, Config: cfg, Recycle: true}
	if !p.StaticMasks {
		t.BeginEpoch = p.BeginEpoch
	}
	return t.evaluatingOnDev(len(p.Dev), p.Evaluate)
}
