package interpret

import (
	"fmt"
	"sort"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// LogitLens decodes every hidden state of a masked LM through its own MLM
// head (nostalgebraist's logit lens, applied to BERT): what the model would
// predict at a position if it stopped after each layer.
type LogitLens struct {
	Position int
	Token    string // the input token at Position
	// Top[l] are the K most probable tokens decoded from hidden state l
	// (0 = embedding output), with Probs[l] their probabilities.
	Top   [][]string
	Probs [][]float64
}

// RunLogitLens runs m (a *bert.ForMaskedLM or *bert.ForPreTraining) on enc and
// decodes every hidden state at position through the MLM head, keeping the
// top k tokens.
func RunLogitLens(m nn.Module, tok *tokenizer.BertTokenizer, enc *tokenizer.BertEncoding, position, k int) (*LogitLens, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	if position < 0 || position >= len(enc.IDs) {
		return nil, fmt.Errorf("interpret: logit lens position %d out of range: the input has %d tokens", position, len(enc.IDs))
	}
	enc2, head, err := MLMParts(m)
	if err != nil {
		return nil, err
	}
	nn.Eval(m)
	in := repeatInputs(enc, 1)
	in.OutputHiddenStates = true
	lens := &LogitLens{Position: position, Token: enc.Tokens[position]}
	autograd.NoGrad(func() {
		var out *bert.ModelOutput
		if out, err = enc2.Forward(in); err != nil {
			return
		}
		for _, h := range out.HiddenStates {
			probs := head.Forward(h.Select(1, position)).Softmax(1).Float64s()
			ids := topK(probs, k)
			lens.Top = append(lens.Top, tok.ConvertIDsToTokens(ids))
			var ps []float64
			for _, id := range ids {
				ps = append(ps, probs[id])
			}
			lens.Probs = append(lens.Probs, ps)
		}
	})
	return lens, err
}

// Rank returns, per hidden state, the probability the lens gives token (0
// when token is not among the top k).
func (l *LogitLens) Rank(token string) []float64 {
	out := make([]float64, len(l.Top))
	for i, row := range l.Top {
		for j, t := range row {
			if t == token {
				out[i] = l.Probs[i][j]
			}
		}
	}
	return out
}

// Table lists the top tokens per layer.
func (l *LogitLens) Table() display.TableValue {
	header := []string{"hidden state"}
	k := 0
	if len(l.Top) > 0 {
		k = len(l.Top[0])
	}
	for i := 1; i <= k; i++ {
		header = append(header, fmt.Sprintf("top %d", i))
	}
	var rows [][]any
	for i, top := range l.Top {
		name := "embeddings"
		if i > 0 {
			name = fmt.Sprintf("layer %d", i)
		}
		row := []any{name}
		for j, t := range top {
			row = append(row, fmt.Sprintf("%s (%.3f)", t, l.Probs[i][j]))
		}
		rows = append(rows, row)
	}
	return display.Table(header, rows)
}

// MIMEBundle shows the table.
func (l *LogitLens) MIMEBundle() display.Bundle { return l.Table().MIMEBundle() }

// topK returns the indices of the k largest values, largest first.
func topK(v []float64, k int) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] > v[idx[b]] })
	if k > len(idx) {
		k = len(idx)
	}
	return idx[:k]
}

// Prediction is the top token decoded from hidden state layer (−1: the
// last one, the model's own prediction).
func (l *LogitLens) Prediction(layer int) string {
	if layer < 0 {
		layer += len(l.Top)
	}
	return l.Top[layer][0]
}
