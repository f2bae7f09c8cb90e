package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/bert"
)

// Forward runs a sequence classifier with the active adapter, PEFT's
// PeftModelForSequenceClassification.forward. Most methods work inside the
// base model, so this equals Base.Forward; two need the wrapper:
//
//   - prompt tuning prepends its virtual tokens to the input (promptForward);
//   - AdaLoRA adds its orthogonal regularisation to the loss (whenever there is one, as PEFT):
//     loss += orth_reg_weight · mean over A and B of ‖PPᵀ − I‖_F.
func (m *Model) Forward(in *bert.Inputs, labels *bert.SequenceLabels) (*bert.ClassificationOutput, error) {
	cls, ok := m.Base.(*bert.ForSequenceClassification)
	if !ok {
		return nil, fmt.Errorf("peft: Forward needs a *bert.ForSequenceClassification base, have %T", m.Base)
	}
	a := m.adapters[m.active]
	if m.disabled {
		a = nil
	}
	var out *bert.ClassificationOutput
	var err error
	if a != nil && a.prompt != nil && !a.prompt.Prefix {
		out, err = m.promptForward(cls, a.prompt, in, labels)
	} else {
		out, err = cls.Forward(in, labels)
	}
	if err != nil {
		return nil, err
	}
	if out.Loss != nil && a != nil {
		if c, ok := a.cfg.(*AdaLoraConfig); ok && c.OrthRegWeight > 0 {
			out.Loss = out.Loss.Add(m.orthRegularization(a).MulScalar(float32(c.OrthRegWeight)))
		}
	}
	return out, nil
}
