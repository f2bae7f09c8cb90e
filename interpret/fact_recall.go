package interpret

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// FactRecall quizzes a masked LM (*bert.ForPreTraining or *bert.ForMaskedLM)
// on facts before causal tracing asks where it keeps them: every fact of
// relation ("capital", "birthplace", ...; "" for all) whose object is one
// token of tok's vocabulary is asked as its cloze sentence. It returns the
// share the model answers right (its top prediction is the object) and a
// table with, per fact, the top prediction, the probability of the right
// answer and its rank among all tokens (0 = first).
func FactRecall(m nn.Module, tok *tokenizer.BertTokenizer, facts []data.Fact, relation string) (float64, display.TableValue, error) {
	var rows [][]any
	right, asked := 0, 0
	for _, fact := range facts {
		if relation != "" && fact.Relation != relation {
			continue
		}
		object := strings.ToLower(fact.Object)
		if !tok.Vocab.Has(object) {
			continue
		}
		if err := display.CheckInterrupt(); err != nil {
			return 0, display.TableValue{}, err
		}
		p, err := bert.FillMask(m, tok, fact.Cloze, tok.Vocab.Size())
		if err != nil {
			return 0, display.TableValue{}, err
		}
		if len(p) != 1 || len(p[0]) == 0 {
			return 0, display.TableValue{}, fmt.Errorf("interpret.FactRecall: cloze %q has %d masks, want 1", fact.Cloze, len(p))
		}
		rank, prob := len(p[0]), 0.0
		for i, c := range p[0] {
			if c.Token == object {
				rank, prob = i, c.Prob
				break
			}
		}
		asked++
		if rank == 0 {
			right++
		}
		rows = append(rows, []any{fact.Cloze, object, p[0][0].Token, fmt.Sprintf("%.3f", prob), rank, rank == 0})
	}
	if asked == 0 {
		return 0, display.TableValue{}, fmt.Errorf("interpret.FactRecall: no fact of relation %q has a one-token object in the vocabulary", relation)
	}
	return float64(right) / float64(asked), display.Table([]string{"cloze", "answer", "top prediction", "P(answer)", "rank of answer", "correct"}, rows), nil
}
