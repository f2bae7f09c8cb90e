package interpret

import (
	"sort"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// HotFlip is Ebrahimi et al.'s gradient-guided token substitution, at the
// word level as TextAttack's WordSwapGradientBased does it: the gradient g of
// the loss of the gold label with respect to the input word embeddings
// estimates, to first order, the loss increase of replacing the word at
// position i by word w as (E_w − E_{x_i})·g_i. Each step picks, for every
// single-token word, the substitute with the best estimate (among the word's
// embedding neighbours, within the cosine floor), checks the TopN positions
// with the best estimates with the model, and keeps the swap that flips the
// label or lowers its probability most. It stops when the label flips or
// MaxWordFraction of the words have changed. (The first-order estimate alone
// is unreliable on a saturated classifier, whose gradients are tiny; the
// model check keeps the search honest, as in TextAttack's greedy search.)
func HotFlip(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, nb *Neighbours, examples []data.Example, opts AttackOptions) ([]AttackResult, error) {
	opts = opts.withDefaults()
	clf := NewClassifier(m, tok)
	bar := display.Progress(len(examples), "HotFlip")
	defer bar.Done()
	var out []AttackResult
	for _, ex := range examples {
		if err := display.CheckInterrupt(); err != nil {
			return out, err
		}
		r, err := hotFlipOne(m, tok, clf, nb, ex, opts)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		bar.Add(1)
	}
	return out, nil
}

func hotFlipOne(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, clf *Classifier, nb *Neighbours, ex data.Example, opts AttackOptions) (AttackResult, error) {
	r, words, done, err := beginAttack(clf, ex)
	if done {
		return r, err
	}
	pieces := r.before
	enc, err := tok.Encode(ex.Text, tokenizer.EncodeOptions{})
	if err != nil {
		return r, err
	}
	// Token positions that are exactly one word of the text.
	pieceAt := map[int]int{}
	for pos, o := range enc.ByteOffsets {
		if enc.SpecialTokensMask[pos] == 1 {
			continue
		}
		for _, w := range words {
			if pieces[w].Start == o.Start && pieces[w].End == o.End {
				pieceAt[pos] = w
			}
		}
	}
	cur := *enc
	cur.IDs = append([]int(nil), enc.IDs...)
	after := pieces
	changed := map[int]bool{}
	budget := opts.budget(len(words))
	for len(r.Changed) < budget {
		g, err := WordEmbeddingGradient(m, &cur, ex.Label)
		if err != nil {
			return r, err
		}
		r.Queries++
		type swap struct {
			pos, id int
			gain    float64
		}
		var swaps []swap
		for pos := range cur.IDs {
			if _, ok := pieceAt[pos]; !ok || changed[pos] {
				continue
			}
			curRow := nb.raw[cur.IDs[pos]*nb.dim : (cur.IDs[pos]+1)*nb.dim]
			gRow := g[pos*nb.dim : (pos+1)*nb.dim]
			best := swap{pos: -1}
			for _, c := range nb.nearestIDs(enc.IDs[pos], opts.Candidates, opts.MinCosine) {
				var gain float64
				for h, v := range nb.raw[c*nb.dim : (c+1)*nb.dim] {
					gain += float64(v-curRow[h]) * float64(gRow[h])
				}
				if best.pos < 0 || gain > best.gain {
					best = swap{pos, c, gain}
				}
			}
			if best.pos >= 0 {
				swaps = append(swaps, best)
			}
		}
		if len(swaps) == 0 {
			break
		}
		sort.SliceStable(swaps, func(a, b int) bool { return swaps[a].gain > swaps[b].gain })
		swaps = swaps[:min(opts.TopN, len(swaps))]
		// Check the best first-order swaps with the model; keep the one that
		// flips the label, else the one that lowers its probability most.
		texts := make([]string, len(swaps))
		for i, sw := range swaps {
			texts[i] = joinPieces(withWord(after, pieceAt[sw.pos], tok.Vocab.Token(sw.id)))
		}
		p, err := clf.Probabilities(texts)
		if err != nil {
			return r, err
		}
		r.Queries += len(texts)
		best, flipped := 0, false
		for i, row := range p {
			f := argmax(row) != ex.Label
			if (f && !flipped) || (f == flipped && row[ex.Label] < p[best][ex.Label]) {
				best, flipped = i, f
			}
		}
		sw := swaps[best]
		cur.IDs[sw.pos] = sw.id
		changed[sw.pos] = true
		after = withWord(after, pieceAt[sw.pos], tok.Vocab.Token(sw.id))
		r.Changed = append(r.Changed, pieceAt[sw.pos])
		r.FinalPrediction, r.FinalProb = argmax(p[best]), p[best][ex.Label]
		if r.FinalPrediction != ex.Label {
			break
		}
	}
	r.after, r.Perturbed = after, joinPieces(after)
	if r.FinalPrediction != ex.Label {
		r.Status = AttackSucceeded
	} else {
		r.Status = AttackFailed
	}
	return r, nil
}

// WordEmbeddingGradient returns ∂loss/∂e [T·hidden] of the cross-entropy of
// label with respect to the word-embedding rows e looked up for enc (before
// positions, token types and LayerNorm are added): the gradient HotFlip
// ranks swaps with. The embedding output is recomputed from those rows by
// BERT's formula and fed in through the encoder hook.
func WordEmbeddingGradient(m *bert.ForSequenceClassification, enc *tokenizer.BertEncoding, label int) ([]float32, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	nn.Eval(m)
	emb := m.Bert.Embeddings
	T, H := len(enc.IDs), emb.WordEmbeddings.EmbeddingDim
	table := emb.WordEmbeddings.Weight.Contiguous().Data()
	rows := make([]float32, 0, T*H)
	for _, id := range enc.IDs {
		rows = append(rows, table[id*H:(id+1)*H]...)
	}
	leaf := autograd.New(rows, 1, T, H).SetRequiresGrad(true)
	err := withFrozenParameters(m, func() error {
		h := embeddingFromWords(emb, leaf, enc.TypeIDs)
		return withHook(m.Bert, func(i int, x *autograd.Tensor) *autograd.Tensor {
			if i == 0 {
				return h
			}
			return nil
		}, func() error {
			out, err := m.Forward(repeatInputs(enc, 1), nil)
			if err != nil {
				return err
			}
			autograd.CrossEntropy(out.Logits, []int{label}, autograd.CrossEntropyOptions{}).Backward()
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return leaf.Grad().Contiguous().Data(), nil
}

// embeddingFromWords is BERT's embedding output (evaluation mode) from
// already looked-up word rows [1, T, hidden]:
// LayerNorm(words + position[0..T−1] + token_type[types]).
func embeddingFromWords(emb *bert.Embeddings, words *autograd.Tensor, types []int) *autograd.Tensor {
	T := words.Size(1)
	pos := emb.PositionEmbeddings.Weight.Slice(0, 0, T)
	tt := autograd.Embedding(emb.TokenTypeEmbeddings.Weight, types, []int{1, T}, -1)
	return autograd.LayerNorm(words.Add(pos).Add(tt), emb.LayerNorm.Weight, emb.LayerNorm.Bias, emb.LayerNorm.Eps)
}
