package bert

import (
	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// OnlyMLMHead is the masked-LM model's "cls" module, HF's BertOnlyMLMHead:
// just the predictions head.
type OnlyMLMHead struct {
	Predictions *LMPredictionHead // cls.predictions
}

// Children names the head as HF does.
func (h *OnlyMLMHead) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "predictions", Module: h.Predictions}}
}

// SetChild replaces the predictions head.
func (h *OnlyMLMHead) SetChild(name string, m nn.Module) error {
	if p, ok := m.(*LMPredictionHead); ok && name == "predictions" {
		h.Predictions = p
		return nil
	}
	return noChild("OnlyMLMHead", name+" of that type", h.Children())
}

// NamedParameters lists the head under prefix ("cls").
func (h *OnlyMLMHead) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, h.Children())
}

// SetTraining passes the mode on.
func (h *OnlyMLMHead) SetTraining(train bool) { nn.SetChildrenTraining(h.Children(), train) }

// ForMaskedLM is BERT with only the masked-language-model head, HF's
// BertForMaskedLM: no pooler, no next-sentence head. Names: "bert.*" (without
// "bert.pooler.*") and "cls.predictions.*".
type ForMaskedLM struct {
	Bert *Model
	Cls  *OnlyMLMHead // cls.predictions, decoder tied to the word embeddings

	// MaskedOnly makes Forward compute logits only where the label is not -100
	// (see ForPreTraining.MaskedOnly).
	MaskedOnly bool
}

// NewForMaskedLM builds the model from c with HF's initialisation (in
// training mode).
func NewForMaskedLM(c *Config, rng *autograd.RNG) (*ForMaskedLM, error) {
	m, err := NewModel(c, rng, false)
	if err != nil {
		return nil, err
	}
	return &ForMaskedLM{Bert: m, Cls: &OnlyMLMHead{Predictions: NewLMPredictionHead(c, m.Embeddings.WordEmbeddings.Weight, rng)}}, nil
}

// MaskedLMOutput is what ForMaskedLM.Forward computes.
type MaskedLMOutput struct {
	Loss            *autograd.Tensor // mean cross-entropy over labels != -100; nil without labels
	Logits          *autograd.Tensor // [batch, T, vocab], or [masked, vocab] with MaskedOnly
	MaskedPositions []int            // with MaskedOnly: flat position b*T+t of each logits row
	HiddenStates    []*autograd.Tensor
	Attentions      []*autograd.Tensor
}

// Forward runs the model and the MLM head. labels ([batch*T], -100 = not
// predicted) may be nil.
func (m *ForMaskedLM) Forward(in *Inputs, labels []int) (*MaskedLMOutput, error) {
	if err := checkLabels("MLM labels", labels, in.Batch*in.SeqLen, m.Bert.Config.VocabSize); err != nil {
		return nil, err
	}
	base, err := m.Bert.Forward(in)
	if err != nil {
		return nil, err
	}
	out := &MaskedLMOutput{HiddenStates: base.HiddenStates, Attentions: base.Attentions}
	out.Logits, out.MaskedPositions, out.Loss = mlmLogitsAndLoss(m.Cls.Predictions, base.LastHiddenState, labels, m.MaskedOnly)
	return out, nil
}

// Children names the sub-modules as HF does.
func (m *ForMaskedLM) Children() []nn.NamedModule {
	return []nn.NamedModule{{Name: "bert", Module: m.Bert}, {Name: "cls", Module: m.Cls}}
}

// SetChild replaces a sub-module by name (it must have the same type).
func (m *ForMaskedLM) SetChild(name string, c nn.Module) error {
	switch name {
	case "bert":
		return setChild(&m.Bert, name, c)
	case "cls":
		if h, ok := c.(*OnlyMLMHead); ok {
			m.Cls = h
			return nil
		}
	}
	return noChild("ForMaskedLM", name+" of that type", m.Children())
}

// NamedParameters lists every parameter with its HF name under prefix.
func (m *ForMaskedLM) NamedParameters(prefix string) []nn.NamedParameter {
	return nn.ChildParameters(prefix, m.Children())
}

// SetTraining switches every dropout on or off.
func (m *ForMaskedLM) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }

// String prints the module tree as torch prints a model.
func (m *ForMaskedLM) String() string { return nn.Repr(m) }
