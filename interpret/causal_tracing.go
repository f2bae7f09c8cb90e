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
	"github.com/turinglab/turinglab/tokenizer"
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
	// residual add) or "attn" (only the attention sublayer's output),
	// ROME's three traces. They are restored through the models' sub-layer
	// hooks (bert.Encoder.AddSublayerHook, gpt2.Model.AddSublayerHook).
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
func SubjectPositions(enc *tokenizer.BertEncoding, text, subject string) ([]int, error) {
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
// All (layer, token, sample) runs are batched BatchSize at a time. The
// noise's scale is NoiseMultiplier × the standard deviation of this input's
// embedding output (every real token and hidden unit).
func CausalTrace(t *Target, enc *tokenizer.BertEncoding, subject []int, opts TraceOptions) (*TraceResult, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	nn.Eval(t.Module)
	std := func(clean *ActivationCache) float64 {
		return embeddingStd(clean.States[0].Data(), enc.AttentionMask, clean.States[0].Size(2))
	}
	return causalTrace(bertTraced{t, enc}, enc.Tokens, t.Name, subject, std, opts)
}

// traced is what causal tracing needs of a model: batched runs of one input
// with a residual-stream hook and a sub-layer hook installed (either may be
// nil), through the model's own hook seams (bert.Encoder.AddHook and
// AddSublayerHook, gpt2.Model.AddHook and AddSublayerHook), so the trace runs
// the model's real forward pass.
type traced interface {
	// run returns the target's score for each of batch copies of the input.
	// stream sees residual stream i = 0..layers (0 = the embedding output);
	// sub sees layer's "attn" or "mlp" output before its residual add.
	run(batch int, stream func(i int, h *autograd.Tensor) *autograd.Tensor, sub func(layer int, kind string, out *autograd.Tensor) *autograd.Tensor) ([]float64, error)
}

// bertTraced runs a BERT target on one encoding.
type bertTraced struct {
	t   *Target
	enc *tokenizer.BertEncoding
}

func (b bertTraced) run(batch int, stream func(int, *autograd.Tensor) *autograd.Tensor, sub func(int, string, *autograd.Tensor) *autograd.Tensor) ([]float64, error) {
	e := b.t.Bert.Encoder
	if stream != nil {
		defer e.AddHook(stream)()
	}
	if sub != nil {
		defer e.AddSublayerHook(func(layer int, kind bert.Sublayer, out *autograd.Tensor) *autograd.Tensor {
			return sub(layer, kind.String(), out)
		})()
	}
	return scoresOf(b.t, repeatInputs(b.enc, batch))
}

// causalTrace is the trace on any traced model: tokens are the input's
// tokens, name the target's, noiseStd the standard deviation (from the clean
// run) that the noise is NoiseMultiplier times.
func causalTrace(m traced, tokens []string, name string, subject []int, noiseStd func(clean *ActivationCache) float64, opts TraceOptions) (*TraceResult, error) {
	T := len(tokens)
	if len(subject) == 0 {
		return nil, fmt.Errorf("interpret: causal tracing needs at least one subject position")
	}
	for _, p := range subject {
		if p < 0 || p >= T {
			return nil, fmt.Errorf("interpret: subject position %d out of range: the input has %d tokens", p, T)
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
	// The clean run records every residual stream and every sub-layer
	// output of the traced kind.
	clean := &ActivationCache{}
	var cleanSub [][]float32 // [layer][T·hidden]
	var err error
	clean.Scores, err = m.run(1, func(i int, h *autograd.Tensor) *autograd.Tensor {
		clean.States = append(clean.States, h.Detach().Contiguous().Clone())
		return nil
	}, func(layer int, kind string, out *autograd.Tensor) *autograd.Tensor {
		if kind == opts.Kind {
			cleanSub = append(cleanSub, append([]float32(nil), out.Contiguous().Data()...))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	H := clean.States[0].Size(2)
	L := len(clean.States)
	std := noiseStd(clean)
	noise := traceNoise(std, len(subject), H, opts) // [sample][subject×H]

	// Job −1 is "restore nothing"; job l·T+p restores state l at token p.
	type job struct{ layer, pos int }
	jobs := []job{{-1, -1}}
	rows := L // hidden states 0..layers
	if opts.Kind != "hidden" {
		rows = L - 1 // layers
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
	lo, hi := opts.Window/2, (opts.Window+1)/2
	for start := 0; start < len(jobs); start += perPass {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		chunk := jobs[start:min(start+perPass, len(jobs))]
		B := len(chunk) * opts.Samples
		stream := func(i int, h *autograd.Tensor) *autograd.Tensor {
			if i > 0 && opts.Kind != "hidden" {
				return nil
			}
			data := append([]float32(nil), h.Contiguous().Data()...)
			if i == 0 {
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
			if opts.Kind == "hidden" {
				for r := 0; r < B; r++ {
					if j := chunk[r/opts.Samples]; j.layer == i {
						copy(data[(r*T+j.pos)*H:(r*T+j.pos+1)*H], clean.State(i, 0, j.pos))
					}
				}
			}
			return autograd.New(data, B, T, H)
		}
		var sub func(int, string, *autograd.Tensor) *autograd.Tensor
		if opts.Kind != "hidden" {
			sub = func(layer int, kind string, out *autograd.Tensor) *autograd.Tensor {
				if kind != opts.Kind {
					return nil
				}
				data := append([]float32(nil), out.Contiguous().Data()...)
				for r := 0; r < B; r++ {
					j := chunk[r/opts.Samples]
					if j.layer >= 0 && layer >= j.layer-lo && layer < j.layer+hi {
						copy(data[(r*T+j.pos)*H:(r*T+j.pos+1)*H], cleanSub[layer][j.pos*H:(j.pos+1)*H])
					}
				}
				return autograd.New(data, out.Shape()...)
			}
		}
		scores, err := m.run(B, stream, sub)
		if err != nil {
			return nil, err
		}
		for r, v := range scores {
			means[start+r/opts.Samples] += v / float64(opts.Samples)
		}
		bar.Add(len(chunk))
	}

	res := &TraceResult{Kind: opts.Kind, Window: opts.Window, Tokens: tokens, Subject: subject, Target: name, Clean: clean.Scores[0], Corrupted: means[0], NoiseStd: opts.NoiseMultiplier * std}
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
func TraceNoise(t *Target, enc *tokenizer.BertEncoding, subject []int, opts TraceOptions) (*autograd.Tensor, float64, error) {
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
