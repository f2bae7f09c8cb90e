package bert

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// PredictionHeadTransform is the MLM head's first step, HF's
// BertPredictionHeadTransform: LayerNorm(act(h Wᵀ + b)).
type PredictionHeadTransform struct {
	Dense     nn.Layer       // dense: *nn.Linear, weight [hidden, hidden] and bias
	Act       *nn.Activation // hidden_act (no parameters; not listed among the children)
	LayerNorm *nn.LayerNorm  // LayerNorm.weight/bias
}

// NewPredictionHeadTransform builds the transform with HF's initialisation.
func NewPredictionHeadTransform(c *Config, rng *autograd.RNG) *PredictionHeadTransform {
	return &PredictionHeadTransform{
		Dense:     newDense(c.HiddenSize, c.HiddenSize, c, rng),
		Act:       mustActivation(c.HiddenAct),
		LayerNorm: nn.NewLayerNorm(c.HiddenSize, float32(c.LayerNormEps)),
	}
}

// Forward returns LayerNorm(act(Dense(h))).
func (t *PredictionHeadTransform) Forward(h *autograd.Tensor) *autograd.Tensor {
	return t.LayerNorm.Forward(t.Act.Forward(t.Dense.Forward(h)))
}

// Children names the sub-modules as HF does.
func (t *PredictionHeadTransform) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "dense", Module: t.Dense}, {Name: "LayerNorm", Module: t.LayerNorm}}
}

// SetChild replaces a sub-module by name.
func (t *PredictionHeadTransform) SetChild(name string, m nn.Module) error {
	switch name {
	case "dense":
		return setChild(&t.Dense, name, m)
	case "LayerNorm":
		return setChild(&t.LayerNorm, name, m)
	}
	return noChild("PredictionHeadTransform", name, t.Children())
}

// NamedParameters lists dense and LayerNorm under prefix (e.g. "cls.predictions.transform").
func (t *PredictionHeadTransform) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, t.Children())
}

// SetTraining passes the mode on (no dropout here).
func (t *PredictionHeadTransform) SetTraining(train bool) {
	nn.SetChildrenTraining(t.Children(), train)
}

// LMPredictionHead scores every vocabulary word at a position, HF's
// BertLMPredictionHead:
//
//	logits = Transform(h) Eᵀ + bias
//
// where E is the word-embedding matrix itself (the decoder weight is tied to
// it: one tensor, so its gradient collects both the lookup's and the
// decoder's contributions) and bias is the head's own cls.predictions.bias.
type LMPredictionHead struct {
	Transform *PredictionHeadTransform
	Decoder   *autograd.Tensor // [vocab, hidden], the tied word-embedding weight
	Bias      *autograd.Tensor // [vocab], cls.predictions.bias, zero at init
}

// NewLMPredictionHead builds the head with its decoder tied to wordEmbeddings.
func NewLMPredictionHead(c *Config, wordEmbeddings *autograd.Tensor, rng *autograd.RNG) *LMPredictionHead {
	return &LMPredictionHead{
		Transform: NewPredictionHeadTransform(c, rng),
		Decoder:   wordEmbeddings,
		Bias:      autograd.Zeros(c.VocabSize).SetRequiresGrad(true),
	}
}

// Forward returns the vocabulary logits [..., vocab] for h [..., hidden].
func (p *LMPredictionHead) Forward(h *autograd.Tensor) *autograd.Tensor {
	return autograd.Linear(p.Transform.Forward(h), p.Decoder, p.Bias)
}

// Children names the transform; the tied decoder is not a separate module.
func (p *LMPredictionHead) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "transform", Module: p.Transform}}
}

// SetChild replaces the transform.
func (p *LMPredictionHead) SetChild(name string, m nn.Module) error {
	if t, ok := m.(*PredictionHeadTransform); ok && name == "transform" {
		p.Transform = t
		return nil
	}
	return noChild("LMPredictionHead", name+" of that type", p.Children())
}

// NamedParameters lists the bias, then the transform, under prefix (e.g.
// "cls.predictions"), in torch's order (own parameters first). The tied
// decoder weight is not listed again: it is the word-embedding parameter (HF's
// named_parameters does the same, and HF's saved files leave it out).
func (p *LMPredictionHead) NamedParameters(prefix string) []nn.NamedParameter {
	own := []nn.NamedParameter{{Name: nn.Join(prefix, "bias"), Tensor: p.Bias}}
	return append(own, nn.ChildParameters(prefix, p.Children())...)
}

// SetTraining passes the mode on (no dropout here).
func (p *LMPredictionHead) SetTraining(train bool) { nn.SetChildrenTraining(p.Children(), train) }

// PreTrainingHeads are the two pre-training heads, HF's BertPreTrainingHeads
// ("cls"): masked-LM predictions on every position and next-sentence
// prediction on the pooled output.
type PreTrainingHeads struct {
	Predictions     *LMPredictionHead // cls.predictions
	SeqRelationship nn.Layer          // cls.seq_relationship: *nn.Linear [2, hidden]
}

// Children names the heads as HF does.
func (h *PreTrainingHeads) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "predictions", Module: h.Predictions}, {Name: "seq_relationship", Module: h.SeqRelationship}}
}

// SetChild replaces a head by name.
func (h *PreTrainingHeads) SetChild(name string, m nn.Module) error {
	switch name {
	case "predictions":
		if p, ok := m.(*LMPredictionHead); ok {
			h.Predictions = p
			return nil
		}
	case "seq_relationship":
		return setChild(&h.SeqRelationship, name, m)
	}
	return noChild("PreTrainingHeads", name+" of that type", h.Children())
}

// NamedParameters lists both heads under prefix ("cls").
func (h *PreTrainingHeads) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, h.Children())
}

// SetTraining passes the mode on.
func (h *PreTrainingHeads) SetTraining(train bool) { nn.SetChildrenTraining(h.Children(), train) }

// PreTrainingLabels are the targets of BERT pre-training.
type PreTrainingLabels struct {
	MLM []int // [batch*T] original token id at masked positions, -100 elsewhere; nil: no MLM loss
	NSP []int // [batch] 0 = B follows A, 1 = B is random; nil: no NSP loss
}

// ForPreTraining is BERT with both pre-training heads, HF's
// BertForPreTraining: masked-language-model logits at every position (tied
// decoder) and next-sentence logits on the pooled output. Names: "bert.*",
// "cls.predictions.*", "cls.seq_relationship.*".
type ForPreTraining struct {
	Bert *Model
	Cls  *PreTrainingHeads

	// MaskedOnly makes Forward compute MLM logits only at the positions whose
	// MLM label is not -100 (the vocabulary projection dominates small models).
	// The loss is unchanged; PreTrainingOutput.MaskedPositions says which rows
	// the logits are.
	MaskedOnly bool
}

// NewForPreTraining builds the model from c with HF's initialisation (in
// training mode, like a new torch module).
func NewForPreTraining(c *Config, rng *autograd.RNG) (*ForPreTraining, error) {
	m, err := NewModel(c, rng, true)
	if err != nil {
		return nil, err
	}
	return &ForPreTraining{
		Bert: m,
		Cls: &PreTrainingHeads{
			Predictions:     NewLMPredictionHead(c, m.Embeddings.WordEmbeddings.Weight, rng),
			SeqRelationship: newDense(c.HiddenSize, 2, c, rng),
		},
	}, nil
}

// PreTrainingOutput is what ForPreTraining.Forward computes (HF's
// BertForPreTrainingOutput, with the two losses also reported separately).
type PreTrainingOutput struct {
	Loss    *autograd.Tensor // MLMLoss + NSPLoss (those that have labels); nil without labels
	MLMLoss *autograd.Tensor // mean cross-entropy over positions with a label != -100
	NSPLoss *autograd.Tensor // mean cross-entropy of the next-sentence logits

	PredictionLogits      *autograd.Tensor // [batch, T, vocab], or [masked, vocab] with MaskedOnly
	MaskedPositions       []int            // with MaskedOnly: flat position b*T+t of each logits row
	SeqRelationshipLogits *autograd.Tensor // [batch, 2]
	PoolerOutput          *autograd.Tensor // [batch, hidden]

	HiddenStates []*autograd.Tensor
	Attentions   []*autograd.Tensor
}

// Forward runs the model and both heads; labels may be nil (no losses).
func (m *ForPreTraining) Forward(in *Inputs, labels *PreTrainingLabels) (*PreTrainingOutput, error) {
	if labels == nil {
		labels = &PreTrainingLabels{}
	}
	if err := checkLabels("MLM labels", labels.MLM, in.Batch*in.SeqLen, m.Bert.Config.VocabSize); err != nil {
		return nil, err
	}
	if err := checkLabels("NSP labels", labels.NSP, in.Batch, 2); err != nil {
		return nil, err
	}
	base, err := m.Bert.Forward(in)
	if err != nil {
		return nil, err
	}
	out := &PreTrainingOutput{PoolerOutput: base.PoolerOutput, HiddenStates: base.HiddenStates, Attentions: base.Attentions}
	out.PredictionLogits, out.MaskedPositions, out.MLMLoss = mlmLogitsAndLoss(m.Cls.Predictions, base.LastHiddenState, labels.MLM, m.MaskedOnly)
	out.SeqRelationshipLogits = m.Cls.SeqRelationship.Forward(base.PoolerOutput)
	if labels.NSP != nil {
		out.NSPLoss = autograd.CrossEntropy(out.SeqRelationshipLogits, labels.NSP, autograd.CrossEntropyOptions{})
	}
	out.Loss = addLosses(out.MLMLoss, out.NSPLoss)
	return out, nil
}

// Children names the sub-modules as HF does.
func (m *ForPreTraining) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "bert", Module: m.Bert}, {Name: "cls", Module: m.Cls}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (m *ForPreTraining) SetChild(name string, c nn.Module) error {
	switch name {
	case "bert":
		return setChild(&m.Bert, name, c)
	case "cls":
		if h, ok := c.(*PreTrainingHeads); ok {
			m.Cls = h
			return nil
		}
	}
	return noChild("ForPreTraining", name+" of that type", m.Children())
}

// NamedParameters lists every parameter with its HF name under prefix
// (normally "").
func (m *ForPreTraining) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on or off.
func (m *ForPreTraining) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *ForPreTraining) String() string { return nn.Repr(m) }

// mlmLogitsAndLoss computes the MLM logits for the hidden states h [B, T,
// hidden] — at every position, or with maskedOnly and labels only at the
// labelled ones — and the mean cross-entropy over labelled positions when
// labels are given.
func mlmLogitsAndLoss(head *LMPredictionHead, h *autograd.Tensor, labels []int, maskedOnly bool) (logits *autograd.Tensor, positions []int, loss *autograd.Tensor) {
	s := h.Shape()
	if maskedOnly && labels != nil {
		var targets []int
		for i, l := range labels {
			if l != -100 {
				positions = append(positions, i)
				targets = append(targets, l)
			}
		}
		if len(positions) == 0 {
			panic("bert: MaskedOnly MLM with no labelled position (every MLM label is -100)")
		}
		rows := h.Reshape(s[0]*s[1], s[2]).IndexSelect(0, positions)
		logits = head.Forward(rows)
		return logits, positions, autograd.CrossEntropy(logits, targets, autograd.CrossEntropyOptions{})
	}
	logits = head.Forward(h)
	if labels != nil {
		loss = autograd.CrossEntropy(logits.Reshape(s[0]*s[1], -1), labels, autograd.CrossEntropyOptions{})
	}
	return logits, nil, loss
}

// checkLabels checks that labels (if any) has n entries in [0, classes) or -100.
func checkLabels(name string, labels []int, n, classes int) error {
	if labels == nil {
		return nil
	}
	if len(labels) != n {
		return fmt.Errorf("bert: %s have %d values, want %d", name, len(labels), n)
	}
	for i, l := range labels {
		if l != -100 && (l < 0 || l >= classes) {
			return fmt.Errorf("bert: %s[%d] = %d is outside [0, %d) and not -100", name, i, l, classes)
		}
	}
	return nil
}

// addLosses sums the non-nil losses (nil when all are nil).
func addLosses(losses ...*autograd.Tensor) *autograd.Tensor {
	var total *autograd.Tensor
	for _, l := range losses {
		switch {
		case l == nil:
		case total == nil:
			total = l
		default:
			total = total.Add(l)
		}
	}
	return total
}
