package bert

import (
	"fmt"
	"sort"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// MaskPrediction is one candidate for a [MASK] position: the token, its id and
// the probability the model gives it.
type MaskPrediction struct {
	Token string
	ID    int
	Prob  float64
}

// FillMask is HF's fill-mask pipeline: it encodes text, runs a masked-LM model
// (*ForPreTraining or *ForMaskedLM) and returns, for every [MASK] in the text
// in order, the topK most probable tokens. Like a pipeline it puts the model in
// evaluation mode (dropout off) and computes no gradients.
func FillMask(model nn.Module, tok *tokenizer.BertTokenizer, text string, topK int) ([][]MaskPrediction, error) {
	enc, err := tok.Encode(text, tokenizer.EncodeOptions{})
	if err != nil {
		return nil, err
	}
	var maskAt []int
	for i, id := range enc.IDs {
		if id == tok.MaskID {
			maskAt = append(maskAt, i)
		}
	}
	if len(maskAt) == 0 {
		return nil, fmt.Errorf("bert.FillMask: no %s token in %q", tok.MaskToken, text)
	}
	in, err := InputsFromEncodings([]*tokenizer.BertEncoding{enc})
	if err != nil {
		return nil, err
	}
	model.SetTraining(false)
	var logits *autograd.Tensor
	autograd.NoGrad(func() {
		switch m := model.(type) {
		case *ForPreTraining:
			var out *PreTrainingOutput
			if out, err = m.Forward(in, nil); err == nil {
				logits = out.PredictionLogits
			}
		case *ForMaskedLM:
			var out *MaskedLMOutput
			if out, err = m.Forward(in, nil); err == nil {
				logits = out.Logits
			}
		default:
			err = fmt.Errorf("bert.FillMask: %T is not a masked-LM model (want *ForPreTraining or *ForMaskedLM)", model)
		}
	})
	if err != nil {
		return nil, err
	}
	// Without labels the logits cover every position: [1, T, vocab].
	probs := logits.Softmax(-1)
	vocab := probs.Shape()[2]
	all := probs.Data()
	var result [][]MaskPrediction
	for _, pos := range maskAt {
		row := all[pos*vocab : (pos+1)*vocab]
		ids := make([]int, vocab)
		for i := range ids {
			ids[i] = i
		}
		sort.SliceStable(ids, func(a, b int) bool { return row[ids[a]] > row[ids[b]] })
		k := min(topK, vocab)
		preds := make([]MaskPrediction, k)
		for i := 0; i < k; i++ {
			preds[i] = MaskPrediction{Token: tok.Vocab.Token(ids[i]), ID: ids[i], Prob: float64(row[ids[i]])}
		}
		result = append(result, preds)
	}
	return result, nil
}
