package interpret

import (
	"sort"

	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
)

// GreedyWordAttack is TextAttack's greedy word-importance-ranking attack
// (Jin et al.'s TextFooler search with deletion importance): rank the words
// by how much deleting each lowers the gold label's probability, then, most
// important first, replace each with the embedding neighbour that lowers it
// most, until the prediction flips or MaxWordFraction of the words have
// changed. It needs only black-box queries.
func GreedyWordAttack(clf TextClassifier, nb *Neighbours, examples []data.Example, opts AttackOptions) ([]AttackResult, error) {
	opts = opts.withDefaults()
	bar := display.Progress(len(examples), "greedy word attack")
	defer bar.Done()
	var out []AttackResult
	for _, ex := range examples {
		if err := display.CheckInterrupt(); err != nil {
			return out, err
		}
		r, err := greedyAttackOne(clf, nb, ex, opts)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		bar.Add(1)
	}
	return out, nil
}

func greedyAttackOne(clf TextClassifier, nb *Neighbours, ex data.Example, opts AttackOptions) (AttackResult, error) {
	r, words, done, err := beginAttack(clf, ex)
	if done {
		return r, err
	}
	pieces := r.before
	// Importance by deletion.
	var deleted []string
	for _, w := range words {
		deleted = append(deleted, joinPieces(withWord(pieces, w, "")))
	}
	pd, err := clf.Probabilities(deleted)
	if err != nil {
		return r, err
	}
	r.Queries += len(deleted)
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pd[order[a]][ex.Label] < pd[order[b]][ex.Label] })

	cur, curProb := pieces, r.OriginalProb
	budget := opts.budget(len(words))
	for _, k := range order {
		if len(r.Changed) >= budget {
			break
		}
		w := words[k]
		cands := nb.Of(pieces[w].Text, opts.Candidates, opts.MinCosine)
		if len(cands) == 0 {
			continue
		}
		texts := make([]string, len(cands))
		for i, c := range cands {
			texts[i] = joinPieces(withWord(cur, w, c))
		}
		pc, err := clf.Probabilities(texts)
		if err != nil {
			return r, err
		}
		r.Queries += len(texts)
		best, bestProb, flipped := -1, curProb, false
		for i, row := range pc {
			f := argmax(row) != ex.Label
			if (f && !flipped) || (f == flipped && row[ex.Label] < bestProb) {
				best, bestProb, flipped = i, row[ex.Label], f
			}
		}
		if best < 0 {
			continue
		}
		cur, curProb = withWord(cur, w, cands[best]), bestProb
		r.Changed = append(r.Changed, w)
		r.FinalPrediction = argmax(pc[best])
		if flipped {
			break
		}
	}
	r.after, r.Perturbed, r.FinalProb = cur, joinPieces(cur), curProb
	if r.FinalPrediction != ex.Label {
		r.Status = AttackSucceeded
	} else {
		r.Status = AttackFailed
	}
	return r, nil
}
