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
	// Kind is what is restored: "hidden" (the default: a layer's whole output
	// state), "mlp" (only the feed-forward sublayer's output, before its
	// residual LayerNorm) or "attn" (only the attention sublayer's output),
	// ROME's three traces.
	Kind string
	// Window is, for "mlp" and "attn", how many consecutive layers around
	// each layer l are restored together (ROME's window: layers
	// [l − ⌊w/2⌋, l + ⌈w/2⌉)); 0 means 1.
	Window int
}

// TraceResult is a causal-tracing grid: Scores[l][p] is the target's score
// (averaged over the noise samples) when the subject is corrupted and the
// clean hidden state l (0 = embedding output, l = output of layer l−1) at
// token p is restored. Where restoring one state brings the score back, that
// state carries the fact.
//
// For Kind "mlp" and "attn", Scores[l] restores that sublayer of encoder
// layers around l (see TraceOptions.Window), l = 0 .. layers−1.
type TraceResult struct {
	Kind    string
	Window  int
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
	opts = opts.withNoiseDefaults()
	if opts.BatchSize <= 0 {
		opts.BatchSize = 64
	}
	if opts.Kind == "" {
		opts.Kind = "hidden"
	}
	if opts.Kind != "hidden" && opts.Kind != "mlp" && opts.Kind != "attn" {
		return nil, fmt.Errorf("interpret: trace kind %q: want \"hidden\", \"mlp\" or \"attn\"", opts.Kind)
	}
	if opts.Window <= 0 {
		opts.Window = 1
	}
	nn.Eval(t.Module)
	clean, err := RunWithCache(t, repeatInputs(enc, 1))
	if err != nil {
		return nil, err
	}
	T, H := len(enc.IDs), clean.States[0].Size(2)
	L := len(clean.States)
	std := embeddingStd(clean.States[0].Data(), enc.AttentionMask, H)
	noise := traceNoise(std, len(subject), H, opts) // [sample][subject×H]

	// Job −1 is "restore nothing"; job l·T+p restores state l at token p.
	type job struct{ layer, pos int }
	jobs := []job{{-1, -1}}
	rows := L // hidden states 0..layers
	var cleanSub [][]float32
	if opts.Kind != "hidden" {
		rows = L - 1 // encoder layers
		if cleanSub, err = cleanSublayers(t, enc, opts.Kind); err != nil {
			return nil, err
		}
	}
	for l := 0; l < rows; l++ {
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
		noiseAt := func(data []float32) {
			for r := 0; r < B; r++ {
				s := r % opts.Samples
				for k, p := range subject {
					row := data[(r*T+p)*H : (r*T+p+1)*H]
					for d := range row {
						row[d] += noise[s][k*H+d]
					}
				}
			}
		}
		hook := func(i int, h *autograd.Tensor) *autograd.Tensor {
			data := append([]float32(nil), h.Contiguous().Data()...)
			if i == 0 {
				noiseAt(data)
			}
			for r := 0; r < B; r++ {
				if j := chunk[r/opts.Samples]; j.layer == i {
					copy(data[(r*T+j.pos)*H:(r*T+j.pos+1)*H], clean.State(i, 0, j.pos))
				}
			}
			return autograd.New(data, B, T, H)
		}
		if opts.Kind != "hidden" {
			lo, hi := opts.Window/2, (opts.Window+1)/2
			hook = sublayerHook(t.Bert, repeatInputs(enc, B), opts.Kind, noiseAt, func(layer int, sub []float32) {
				for r := 0; r < B; r++ {
					j := chunk[r/opts.Samples]
					if j.layer >= 0 && layer >= j.layer-lo && layer < j.layer+hi {
						copy(sub[(r*T+j.pos)*H:(r*T+j.pos+1)*H], cleanSub[layer][j.pos*H:(j.pos+1)*H])
					}
				}
			})
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

	res := &TraceResult{Kind: opts.Kind, Window: opts.Window, Tokens: enc.Tokens, Subject: subject, Target: t.Name, Clean: clean.Scores[0], Corrupted: means[0], NoiseStd: opts.NoiseMultiplier * std}
	for l := 0; l < rows; l++ {
		res.Scores = append(res.Scores, means[1+l*T:1+(l+1)*T])
	}
	return res, nil
}

// withNoiseDefaults fills in ROME's noise scale (3) and 10 samples.
func (o TraceOptions) withNoiseDefaults() TraceOptions {
	if o.NoiseMultiplier == 0 {
		o.NoiseMultiplier = 3
	}
	if o.Samples <= 0 {
		o.Samples = 10
	}
	return o
}

// traceNoise draws the noise of every sample: [sample][subject token×hidden]
// values of N(0, (NoiseMultiplier·std)²) from Seed, sample by sample,
// subject token by subject token, hidden unit by hidden unit.
func traceNoise(std float64, subjectLen, hidden int, opts TraceOptions) [][]float32 {
	rng := autograd.NewRNG(opts.Seed)
	noise := make([][]float32, opts.Samples)
	for s := range noise {
		noise[s] = make([]float32, subjectLen*hidden)
		for i := range noise[s] {
			noise[s][i] = float32(opts.NoiseMultiplier * std * rng.NormFloat64())
		}
	}
	return noise
}

// TraceNoise returns the noise CausalTrace adds to the embedding output of
// enc with the same options: a [Samples, T, hidden] tensor that is zero off
// the subject positions, and the noise's standard deviation (NoiseMultiplier
// × the standard deviation of the clean embedding output). Adding it to the
// clean embedding output of Samples copies of enc gives CausalTrace's
// corrupted runs.
func TraceNoise(t *Target, enc *bert.Encoding, subject []int, opts TraceOptions) (*autograd.Tensor, float64, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, 0, err
	}
	opts = opts.withNoiseDefaults()
	nn.Eval(t.Module)
	emb := embeddingOutput(t.Bert, enc)
	T, H := len(enc.IDs), emb.Size(2)
	std := embeddingStd(emb.Data(), enc.AttentionMask, H)
	noise := traceNoise(std, len(subject), H, opts)
	out := make([]float32, opts.Samples*T*H)
	for s, ns := range noise {
		for k, p := range subject {
			if p < 0 || p >= T {
				return nil, 0, fmt.Errorf("interpret: subject position %d out of range: the input has %d tokens", p, T)
			}
			copy(out[(s*T+p)*H:(s*T+p+1)*H], ns[k*H:(k+1)*H])
		}
	}
	return autograd.New(out, opts.Samples, T, H), opts.NoiseMultiplier * std, nil
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
	var cols []string
	first, what := 0, "restored hidden state (layer)"
	if r.Kind == "mlp" || r.Kind == "attn" {
		first, what = 1, fmt.Sprintf("restored %s output (layer, window %d)", r.Kind, r.Window)
	} else {
		cols = append(cols, "emb")
	}
	for l := len(cols); l < len(r.Scores); l++ {
		cols = append(cols, fmt.Sprint(l+first))
	}
	kind := r.Kind
	if kind == "" {
		kind = "hidden"
	}
	h := plots.NewHeatMap(fmt.Sprintf("causal trace (%s): %s (clean %.3f, corrupted %.3f)", kind, r.Target, r.Clean, r.Corrupted), rows)
	h.RowLabels, h.ColLabels = labels, cols
	h.XLabel, h.YLabel = what, "token"
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

// sublayerHook is an encoder hook that recomputes every layer from its
// input so that a sublayer's output ("attn" or "mlp") can be patched before
// its residual LayerNorm: hidden state 0 gets noise (noiseAt), and hidden
// state i > 0, the output of layer i−1, is replaced by the recomputation
// with patch(i−1, sublayer output) applied. It assumes evaluation mode and
// no key/value prefixes.
func sublayerHook(m *bert.Model, in *bert.Inputs, kind string, noiseAt func([]float32), patch func(layer int, sub []float32)) bert.LayerHook {
	mask := bert.ExtendedAttentionMask(in)
	var input *autograd.Tensor
	return func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == 0 {
			data := append([]float32(nil), h.Contiguous().Data()...)
			if noiseAt != nil {
				noiseAt(data)
			}
			input = autograd.New(data, h.Shape()...)
			return input
		}
		input = layerWithPatch(m.Encoder.Layers[i-1], input, mask, kind, func(sub []float32) { patch(i-1, sub) })
		return input
	}
}

// layerWithPatch is bert.Layer.Forward (evaluation mode, no prefix) written
// out so that the attention or feed-forward sublayer output can be changed
// before it is added to the residual stream.
func layerWithPatch(l *bert.Layer, h, mask *autograd.Tensor, kind string, patch func(sub []float32)) *autograd.Tensor {
	apply := func(x *autograd.Tensor) *autograd.Tensor {
		data := append([]float32(nil), x.Contiguous().Data()...)
		patch(data)
		return autograd.New(data, x.Shape()...)
	}
	ctx, _ := l.Attention.Self.Forward(h, mask, nil)
	attn := l.Attention.Output.Dense.Forward(ctx)
	if kind == "attn" {
		attn = apply(attn)
	}
	a := l.Attention.Output.LayerNorm.Forward(attn.Add(h))
	mlp := l.Output.Dense.Forward(l.Intermediate.Forward(a))
	if kind == "mlp" {
		mlp = apply(mlp)
	}
	return l.Output.LayerNorm.Forward(mlp.Add(a))
}

// cleanSublayers runs enc cleanly and records each layer's kind sublayer
// output, [layer][T·hidden].
func cleanSublayers(t *Target, enc *bert.Encoding, kind string) ([][]float32, error) {
	var subs [][]float32
	hook := sublayerHook(t.Bert, repeatInputs(enc, 1), kind, nil, func(layer int, sub []float32) {
		subs = append(subs, append([]float32(nil), sub...))
	})
	err := withHook(t.Bert, hook, func() error {
		_, err := scoresOf(t, repeatInputs(enc, 1))
		return err
	})
	return subs, err
}
