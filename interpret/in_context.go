package interpret

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// RelationPair is one (subject, object) pair of a relation, e.g.
// ("Gechath Ruzan", "Luxor") for "was born in".
type RelationPair struct {
	Subject, Object string
}

// FewShotPrompt writes a k-shot prompt for a relation: each demonstration is
// the template with {subject} and {object} filled in, joined by spaces, and
// the query is the template cut just before " {object}", so the model's next
// token should be the query's object. With the template
// "{subject} was born in {object}." and one demonstration:
// "Gechath Ruzan was born in Luxor. Ilsa Varn was born in".
func FewShotPrompt(template string, demos []RelationPair, query string) (string, error) {
	cut := strings.Index(template, " {object}")
	if !strings.Contains(template, "{subject}") || cut < 0 {
		return "", fmt.Errorf("interpret.FewShotPrompt: template %q needs {subject} and \" {object}\"", template)
	}
	parts := make([]string, 0, len(demos)+1)
	for _, d := range demos {
		s := strings.ReplaceAll(template, "{subject}", d.Subject)
		parts = append(parts, strings.ReplaceAll(s, "{object}", d.Object))
	}
	parts = append(parts, strings.ReplaceAll(template[:cut], "{subject}", query))
	return strings.Join(parts, " "), nil
}

// InContextRun is how accurately a model completes a relation with k
// demonstrations, over several random draws of the demonstrations.
type InContextRun struct {
	K        int
	Accuracy []float64 // one per seed: the fraction of queries whose next token is right
}

// InContextAccuracy measures k-shot next-token accuracy on a relation: for
// every pair of pool as the query, k other pairs drawn at random (per seed)
// are the demonstrations of FewShotPrompt, the prompt starts with prefix (e.g.
// "<|endoftext|>", how the training documents start), and the answer counts
// when the model's arg max next token is the first token of " "+object.
func InContextAccuracy(m *gpt2.LMHeadModel, tok *tokenizer.GPT2, template, prefix string, pool []RelationPair, k int, seeds []uint64) (*InContextRun, error) {
	if m == nil || tok == nil {
		return nil, fmt.Errorf("interpret.InContextAccuracy: needs a model and its tokenizer")
	}
	if k < 0 || k >= len(pool) {
		return nil, fmt.Errorf("interpret.InContextAccuracy: k = %d demonstrations need more than k pairs in the pool (have %d)", k, len(pool))
	}
	nn.Eval(m)
	run := &InContextRun{K: k}
	for _, seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, uint64(k)))
		correct := 0
		for qi, q := range pool {
			others := make([]RelationPair, 0, len(pool)-1)
			for j, p := range pool {
				if j != qi {
					others = append(others, p)
				}
			}
			rng.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
			prompt, err := FewShotPrompt(template, others[:k], q.Subject)
			if err != nil {
				return nil, err
			}
			next, err := nextToken(m, tok.EncodeIDs(prefix+prompt))
			if err != nil {
				return nil, err
			}
			if want := tok.EncodeIDs(" " + q.Object); len(want) > 0 && next == want[0] {
				correct++
			}
		}
		run.Accuracy = append(run.Accuracy, float64(correct)/float64(len(pool)))
	}
	return run, nil
}

// nextToken is the model's arg max next token after ids.
func nextToken(m *gpt2.LMHeadModel, ids []int) (int, error) {
	if len(ids) > m.Transformer.Config.NPositions {
		return 0, fmt.Errorf("interpret: prompt of %d tokens exceeds the model's %d positions", len(ids), m.Transformer.Config.NPositions)
	}
	var out *gpt2.LMOutput
	var err error
	autograd.NoGrad(func() {
		out, err = m.Forward(&gpt2.Inputs{InputIDs: ids, Batch: 1, SeqLen: len(ids)}, nil)
	})
	if err != nil {
		return 0, err
	}
	last := out.Logits.Select(1, len(ids)-1)
	best, err := gpt2.ArgMax(last)
	if err != nil {
		return 0, err
	}
	return best[0], nil
}
