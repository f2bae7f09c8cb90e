package interpret

import (
	"fmt"
	"math"
	"sort"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/plots"
	"github.com/turinglab/turinglab/tokenizer"
)

// RankTokens returns the positions of enc that are not special tokens
// ([CLS], [SEP], [PAD]), ordered by scores from highest to lowest (ties by
// position): the order in which a deletion test removes them.
func RankTokens(enc *tokenizer.BertEncoding, scores []float64) []int {
	var ps []int
	for p := range enc.IDs {
		if enc.SpecialTokensMask == nil || enc.SpecialTokensMask[p] == 0 {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return scores[ps[i]] > scores[ps[j]] })
	return ps
}

// WithoutTokens returns enc with the tokens at positions removed (the rest
// keep their order, so the positions after a removed token shift left).
func WithoutTokens(enc *tokenizer.BertEncoding, positions []int) *tokenizer.BertEncoding {
	drop := map[int]bool{}
	for _, p := range positions {
		drop[p] = true
	}
	out := &tokenizer.BertEncoding{}
	for p := range enc.IDs {
		if drop[p] {
			continue
		}
		out.IDs = append(out.IDs, enc.IDs[p])
		out.TypeIDs = append(out.TypeIDs, enc.TypeIDs[p])
		out.AttentionMask = append(out.AttentionMask, enc.AttentionMask[p])
		out.Tokens = append(out.Tokens, enc.Tokens[p])
		if enc.SpecialTokensMask != nil {
			out.SpecialTokensMask = append(out.SpecialTokensMask, enc.SpecialTokensMask[p])
		}
	}
	return out
}

// DeletionDrops is the deletion test of one ranking (ERASER's
// comprehensiveness, DeYoung et al. 2020): drops[k−1] = F(x) − F(x without
// its first k ranked tokens), k = 1..maxK. An attribution that finds the
// tokens the model relies on makes the score drop fast.
func DeletionDrops(t *Target, enc *tokenizer.BertEncoding, ranking []int, maxK int) ([]float64, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	if maxK > len(ranking) {
		return nil, fmt.Errorf("interpret: deletion of %d tokens needs a ranking of at least %d positions, got %d", maxK, maxK, len(ranking))
	}
	nn.Eval(t.Module)
	full, err := scoresOf(t, repeatInputs(enc, 1))
	if err != nil {
		return nil, err
	}
	drops := make([]float64, maxK)
	for k := 1; k <= maxK; k++ {
		s, err := scoresOf(t, repeatInputs(WithoutTokens(enc, ranking[:k]), 1))
		if err != nil {
			return nil, err
		}
		drops[k-1] = full[0] - s[0]
	}
	return drops, nil
}

// DeletionOptions configure DeletionTest; zero values mean the defaults.
type DeletionOptions struct {
	// MaxK is the largest number of tokens removed; 0 means 3.
	MaxK int
	// RandomOrders is how many random rankings per text make the random
	// baseline; 0 means 5.
	RandomOrders int
	// Seed draws the random rankings.
	Seed uint64
	// IG configures the integrated gradients (PadID must be the tokenizer's).
	IG IGOptions
}

// The attribution methods DeletionTest compares, in its order.
const (
	MethodSaliency       = "saliency"
	MethodInputXGradient = "input × gradient"
	MethodIG             = "integrated gradients"
	MethodAttention      = "attention (last layer)"
	MethodRollout        = "attention rollout"
	MethodRandom         = "random"
)

// DeletionResult is the deletion test over several texts: Drops[m][k−1] is
// the mean over the texts of F(x) − F(x without method m's top k tokens),
// where F is the logit of the class the model predicts; SD the standard
// deviation over the texts.
type DeletionResult struct {
	Methods []string
	Drops   [][]float64
	SD      [][]float64
	Texts   int
	PerText [][][]float64 // [method][text][k−1]
	MaxK    int
	Skipped int // texts with fewer than MaxK ordinary tokens
}

// ClassifierAttributions returns, for one encoded text and the logit t of
// a classifier, every method's token scores (keyed by the Method constants,
// random excepted): gradient saliency, input × gradient, integrated
// gradients, the last layer's [CLS] attention (heads averaged) and the
// [CLS] row of attention rollout.
func ClassifierAttributions(t *Target, enc *tokenizer.BertEncoding, ig IGOptions) (map[string][]float64, error) {
	sal, err := Saliency(t, enc)
	if err != nil {
		return nil, err
	}
	ixg, err := InputXGradient(t, enc)
	if err != nil {
		return nil, err
	}
	a, err := IntegratedGradients(t, enc, ig)
	if err != nil {
		return nil, err
	}
	in := repeatInputs(enc, 1)
	in.OutputAttentions = true
	var out *bert.ModelOutput
	autograd.NoGrad(func() { out, err = t.Bert.Forward(in) })
	if err != nil {
		return nil, err
	}
	last := out.Attentions[len(out.Attentions)-1] // [1, heads, T, T]
	cls := last.Select(0, 0).Mean(0).Select(0, 0).Float64s()
	roll, err := Rollout(out.Attentions, 0)
	if err != nil {
		return nil, err
	}
	return map[string][]float64{
		MethodSaliency: sal.Scores, MethodInputXGradient: ixg.Scores, MethodIG: a.Scores,
		MethodAttention: cls, MethodRollout: roll[0],
	}, nil
}

// DeletionTest compares the attribution methods by deletion on texts: for
// each text it explains the logit of the predicted class, removes each
// method's k highest-scored ordinary tokens (k = 1..MaxK) and measures the
// logit drop; a random ranking (averaged over RandomOrders draws) is the
// floor. A method whose drops beat random's points at tokens the model
// actually uses.
func DeletionTest(m *bert.ForSequenceClassification, tok *tokenizer.BertTokenizer, texts []string, opts DeletionOptions) (*DeletionResult, error) {
	if opts.MaxK <= 0 {
		opts.MaxK = 3
	}
	if opts.RandomOrders <= 0 {
		opts.RandomOrders = 5
	}
	methods := []string{MethodSaliency, MethodInputXGradient, MethodIG, MethodAttention, MethodRollout, MethodRandom}
	res := &DeletionResult{Methods: methods, MaxK: opts.MaxK, PerText: make([][][]float64, len(methods))}
	rng := autograd.NewRNG(opts.Seed)
	nn.Eval(m)
	bar := display.Progress(len(texts), "deletion test")
	defer bar.Done()
	for _, text := range texts {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		bar.Add(1)
		enc, err := tok.Encode(text, tokenizer.EncodeOptions{})
		if err != nil {
			return nil, err
		}
		if len(RankTokens(enc, make([]float64, len(enc.IDs)))) < opts.MaxK {
			res.Skipped++
			continue
		}
		var logits []float64
		autograd.NoGrad(func() {
			var out *bert.ClassificationOutput
			out, err = m.Forward(repeatInputs(enc, 1), nil)
			if err == nil {
				logits = out.Logits.Float64s()
			}
		})
		if err != nil {
			return nil, err
		}
		t := ClassLogit(m, argmax(logits))
		scores, err := ClassifierAttributions(t, enc, opts.IG)
		if err != nil {
			return nil, err
		}
		for i, name := range methods {
			var drops []float64
			if name == MethodRandom {
				drops = make([]float64, opts.MaxK)
				for r := 0; r < opts.RandomOrders; r++ {
					random := make([]float64, len(enc.IDs))
					for p := range random {
						random[p] = rng.Float64()
					}
					d, err := DeletionDrops(t, enc, RankTokens(enc, random), opts.MaxK)
					if err != nil {
						return nil, err
					}
					for k, v := range d {
						drops[k] += v / float64(opts.RandomOrders)
					}
				}
			} else if drops, err = DeletionDrops(t, enc, RankTokens(enc, scores[name]), opts.MaxK); err != nil {
				return nil, err
			}
			res.PerText[i] = append(res.PerText[i], drops)
		}
		res.Texts++
	}
	if res.Texts == 0 {
		return nil, fmt.Errorf("interpret: deletion test: none of the %d texts has %d ordinary tokens", len(texts), opts.MaxK)
	}
	for i := range methods {
		mean, sd := make([]float64, opts.MaxK), make([]float64, opts.MaxK)
		for k := range mean {
			for _, d := range res.PerText[i] {
				mean[k] += d[k] / float64(res.Texts)
			}
			for _, d := range res.PerText[i] {
				sd[k] += (d[k] - mean[k]) * (d[k] - mean[k]) / float64(max(1, res.Texts-1))
			}
			sd[k] = math.Sqrt(sd[k])
		}
		res.Drops = append(res.Drops, mean)
		res.SD = append(res.SD, sd)
	}
	return res, nil
}

// Drop returns method's mean logit drop with k tokens removed.
func (r *DeletionResult) Drop(method string, k int) float64 {
	for i, m := range r.Methods {
		if m == method && k >= 1 && k <= r.MaxK {
			return r.Drops[i][k-1]
		}
	}
	panic(fmt.Sprintf("interpret: no deletion result for method %q and k = %d (methods %v, k = 1..%d)", method, k, r.Methods, r.MaxK))
}

// Plot draws the mean logit drop against k, one line per method.
func (r *DeletionResult) Plot() *plots.Line {
	l := plots.NewLine(fmt.Sprintf("deletion test: mean logit drop over %d texts", r.Texts))
	xs := make([]float64, r.MaxK)
	for k := range xs {
		xs[k] = float64(k + 1)
	}
	for i, m := range r.Methods {
		l.Add(m, xs, r.Drops[i])
	}
	l.XLabel, l.YLabel, l.Markers = "tokens removed (k)", "logit drop F(x) − F(x without top k)", true
	return l
}

// Table lists mean ± sd of the drops per method and k.
func (r *DeletionResult) Table() display.TableValue {
	header := []string{"method"}
	for k := 1; k <= r.MaxK; k++ {
		header = append(header, fmt.Sprintf("k = %d", k))
	}
	var rows [][]any
	for i, m := range r.Methods {
		row := []any{m}
		for k := 0; k < r.MaxK; k++ {
			row = append(row, fmt.Sprintf("%.3f ± %.3f", r.Drops[i][k], r.SD[i][k]))
		}
		rows = append(rows, row)
	}
	return display.Table(header, rows)
}

// MIMEBundle shows the plot.
func (r *DeletionResult) MIMEBundle() display.Bundle { return r.Plot().MIMEBundle() }
