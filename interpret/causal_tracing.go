package interpret

import (
	"fmt"
	"math"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/plots"
)

// TraceOptions configure CausalTrace; the zero value is ROME's setting.
type TraceOptions struct {
	// NoiseMultiplier scales the noise: its standard deviation is
	// NoiseMultiplier × the standard deviation of the clean embedding output
	// (over every real token and hidden unit). 0 means 3, ROME's choice.
	NoiseMultiplier float64
	// Samples is the number of noise samples averaged; 0 means 10.
	Samples int
	// Seed fixes the noise.
	Seed uint64
	// BatchSize is the number of corrupted runs per forward pass; 0 means 64.
	BatchSize int
}

// TraceResult is a causal-tracing grid: Scores[l][p] is the target's score
// (averaged over the noise samples) when the subject is corrupted and the
// clean hidden state l (0 = embedding output, l = output of layer l−1) at
// token p is restored. Where restoring one state brings the score back, that
// state carries the fact.
type TraceResult struct {
	Tokens  []string
	Subject []int // corrupted token positions
	Target  string
	Scores  [][]float64
	// Clean is the score of the clean input, Corrupted the mean score with
	// the subject corrupted and nothing restored.
	Clean, Corrupted float64
	NoiseStd         float64
}

// SubjectPositions returns the positions of the tokens of enc (encoded from
// text) that lie inside the first occurrence of subject in text.
func SubjectPositions(enc *bert.Encoding, text, subject string) ([]int, error) {
	start := strings.Index(strings.ToLower(text), strings.ToLower(subject))
	if start < 0 || subject == "" {
		return nil, fmt.Errorf("interpret: subject %q not found in %q", subject, text)
	}
	end := start + len(subject)
	var ps []int
	for i, o := range enc.ByteOffsets {
		if enc.SequenceIDs != nil && enc.SequenceIDs[i] != 0 {
			continue
		}
		if o.End > o.Start && o.Start >= start && o.End <= end {
			ps = append(ps, i)
		}
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("interpret: no token of %q covers subject %q", text, subject)
	}
	return ps, nil
}

// CausalTrace runs ROME's causal tracing (Meng et al. 2022) on BERT: the
// embedding outputs of the subject tokens get Gaussian noise, then each
// clean hidden state (layer × token) is restored in turn and the target
// score (the probability of the correct object at the [MASK]) is measured.
// All (layer, token, sample) runs are batched BatchSize at a time.
func CausalTrace(t *Target, enc *bert.Encoding, subject []int, opts TraceOptions) (*TraceResult, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	if len(subject) == 0 {
		return nil, fmt.Errorf("interpret: causal tracing needs at least one subject position")
	}
	for _, p := range subject {
		if p < 0 || p >= len(enc.IDs) {
			return nil, fmt.Errorf("interpret: subject position %d out of range: the input has %d tokens", p, len(enc.IDs))
		}
	}
	if opts.NoiseMultiplier == 0 {
		opts.NoiseMultiplier = 3
	}
	if opts.Samples <= 0 {
		opts.Samples = 10
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 64
	}
	nn.Eval(t.Module)
	clean, err := RunWithCache(t, repeatInputs(enc, 1))
	if err != nil {
		return nil, err
	}
	T, H := len(enc.IDs), clean.States[0].Size(2)
	L := len(clean.States)
	std := embeddingStd(clean.States[0].Data(), enc.AttentionMask, H)
	rng := autograd.NewRNG(opts.Seed)
	noise := make([][]float32, opts.Samples) // [sample][subject×H]
	for s := range noise {
		noise[s] = make([]float32, len(subject)*H)
		for i := range noise[s] {
			noise[s][i] = float32(opts.NoiseMultiplier * std * rng.NormFloat64())
		}
	}

	// Job −1 is "restore nothing"; job l·T+p restores state l at token p.
	type job struct{ layer, pos int }
	jobs := []job{{-1, -1}}
	for l := 0; l < L; l++ {
		for p := 0; p < T; p++ {
			jobs = append(jobs, job{l, p})
		}
	}
	means := make([]float64, len(jobs))
	perPass := max(1, opts.BatchSize/opts.Samples)
	bar := display.Progress(len(jobs), "causal tracing")
	defer bar.Done()
	for start := 0; start < len(jobs); start += perPass {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		chunk := jobs[start:min(start+perPass, len(jobs))]
		B := len(chunk) * opts.Samples
		hook := func(i int, h *autograd.Tensor) *autograd.Tensor {
			data := append([]float32(nil), h.Contiguous().Data()...)
			for r := 0; r < B; r++ {
				j, s := chunk[r/opts.Samples], r%opts.Samples
				if i == 0 {
					for k, p := range subject {
						row := data[(r*T+p)*H : (r*T+p+1)*H]
						for d := range row {
							row[d] += noise[s][k*H+d]
						}
					}
				}
				if j.layer == i {
					copy(data[(r*T+j.pos)*H:(r*T+j.pos+1)*H], clean.State(i, 0, j.pos))
				}
			}
			return autograd.New(data, B, T, H)
		}
		var scores []float64
		err := withHook(t.Bert, hook, func() error {
			var err error
			scores, err = scoresOf(t, repeatInputs(enc, B))
			return err
		})
		if err != nil {
			return nil, err
		}
		for r, v := range scores {
			means[start+r/opts.Samples] += v / float64(opts.Samples)
		}
		bar.Add(len(chunk))
	}

	res := &TraceResult{Tokens: enc.Tokens, Subject: subject, Target: t.Name, Clean: clean.Scores[0], Corrupted: means[0], NoiseStd: opts.NoiseMultiplier * std}
	for l := 0; l < L; l++ {
		res.Scores = append(res.Scores, means[1+l*T:1+(l+1)*T])
	}
	return res, nil
}

// embeddingStd is the standard deviation of the embedding output over every
// real token and hidden unit.
func embeddingStd(h []float32, mask []int, hidden int) float64 {
	var n, sum, sq float64
	for p, m := range mask {
		if m == 0 {
			continue
		}
		for _, v := range h[p*hidden : (p+1)*hidden] {
			sum += float64(v)
			sq += float64(v) * float64(v)
			n++
		}
	}
	mean := sum / n
	return math.Sqrt(math.Max(0, sq/n-mean*mean))
}

// Best returns the (layer, token) whose restoration recovers the most.
func (r *TraceResult) Best() (layer, pos int) {
	best := math.Inf(-1)
	for l, row := range r.Scores {
		for p, v := range row {
			if v > best {
				best, layer, pos = v, l, p
			}
		}
	}
	return layer, pos
}

// HeatMap draws the grid with tokens down (the subject's marked with *) and
// hidden states across, as ROME's figures do.
func (r *TraceResult) HeatMap() *plots.HeatMap {
	rows := make([][]float64, len(r.Tokens))
	labels := make([]string, len(r.Tokens))
	for p, tok := range r.Tokens {
		labels[p] = tok
		for _, s := range r.Subject {
			if s == p {
				labels[p] = tok + "*"
			}
		}
		for l := range r.Scores {
			rows[p] = append(rows[p], r.Scores[l][p])
		}
	}
	cols := []string{"emb"}
	for l := 1; l < len(r.Scores); l++ {
		cols = append(cols, fmt.Sprint(l))
	}
	h := plots.NewHeatMap(fmt.Sprintf("causal trace: %s (clean %.3f, corrupted %.3f)", r.Target, r.Clean, r.Corrupted), rows)
	h.RowLabels, h.ColLabels = labels, cols
	h.XLabel, h.YLabel = "restored hidden state (layer)", "token"
	h.ColorBar = true
	return h
}

// MIMEBundle shows the heat map.
func (r *TraceResult) MIMEBundle() display.Bundle { return r.HeatMap().MIMEBundle() }

// At is the score with hidden state layer (−1: the last) restored at token
// pos.
func (r *TraceResult) At(layer, pos int) float64 {
	if layer < 0 {
		layer += len(r.Scores)
	}
	return r.Scores[layer][pos]
}

// BestAt returns the restored state among the given token positions that
// recovers the most, and its score.
func (r *TraceResult) BestAt(positions []int) (layer, pos int, score float64) {
	score = math.Inf(-1)
	for l, row := range r.Scores {
		for _, p := range positions {
			if row[p] > score {
				layer, pos, score = l, p, row[p]
			}
		}
	}
	return layer, pos, score
}
