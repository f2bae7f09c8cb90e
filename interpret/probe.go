package interpret

import (
	"fmt"
	"math"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/plots"
	"github.com/turinglab/turinglab/tokenizer"
)

// ProbeOptions configure a linear probe; zero values mean the defaults.
type ProbeOptions struct {
	Epochs       int     // full-batch gradient steps; 0 means 300
	LR           float64 // learning rate; 0 means 0.5
	WeightDecay  float64 // L2 penalty on the weights; 0 means 1e-4
	TestFraction float64 // held-out share of the examples; 0 means 0.25
	Seed         uint64  // the train/test split (and the control task's labels)
	// Control also trains every probe on the control task (ControlTask with
	// Seed) and reports its accuracy, Hewitt & Liang's check that the probe
	// reads the property from the representation rather than memorising words.
	Control bool
}

// ProbeResult is the accuracy of one linear probe per hidden state (0 =
// embedding output): if a linear map recovers a property from layer l's
// states, layer l represents it linearly.
type ProbeResult struct {
	Labels        []string
	TrainAccuracy []float64
	TestAccuracy  []float64
	// Majority is the test accuracy of always predicting the most common
	// training label: the floor a probe must beat.
	Majority float64
	// ControlAccuracy is the test accuracy of the same probe trained on the
	// control task (ProbeOptions.Control), per hidden state; nil without it.
	ControlAccuracy []float64
}

// Selectivity is test accuracy − control accuracy per hidden state (Hewitt
// & Liang 2019): the part of the probe's accuracy that the representation,
// not the probe's capacity to memorise word types, accounts for. It is nil
// without a control task.
func (r *ProbeResult) Selectivity() []float64 {
	if r.ControlAccuracy == nil {
		return nil
	}
	s := make([]float64, len(r.TestAccuracy))
	for l := range s {
		s[l] = r.TestAccuracy[l] - r.ControlAccuracy[l]
	}
	return s
}

// ProbeData are the examples of a word-level probe: States[l][i] is hidden
// state l (0 = embedding output) of word i (at its first word piece),
// Labels[i] its label and Words[i] the word itself, lower-cased (the control
// task assigns labels per word type).
type ProbeData struct {
	States [][][]float64
	Labels []int
	Words  []string
}

// NERProbeData runs m on tagged sentences such as data.NER's and collects
// every word's hidden states and NER tag. Sentences whose words the
// tokenizer splits differently are skipped.
func NERProbeData(m nn.Module, tok *tokenizer.BertTokenizer, sentences []data.TaggedSentence, labels []string) (*ProbeData, error) {
	enc, err := EncoderOf(m)
	if err != nil {
		return nil, err
	}
	nn.Eval(m)
	d := &ProbeData{}
	bar := display.Progress(len(sentences), "probe features")
	defer bar.Done()
	for si, s := range sentences {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		tags, err := data.TagIDs(s.Tags, labels)
		if err != nil {
			return nil, fmt.Errorf("interpret: sentence %d: %w", si, err)
		}
		e, err := tok.Encode(strings.Join(s.Tokens, " "), tokenizer.EncodeOptions{})
		if err != nil {
			return nil, err
		}
		first := map[int]int{}
		for p, w := range e.WordIDs {
			if _, seen := first[w]; w >= 0 && !seen {
				first[w] = p
			}
		}
		if len(first) != len(s.Tokens) {
			continue // the tokenizer split the words differently
		}
		in := repeatInputs(e, 1)
		in.OutputHiddenStates = true
		var out *bert.ModelOutput
		autograd.NoGrad(func() { out, err = enc.Forward(in) })
		if err != nil {
			return nil, err
		}
		if d.States == nil {
			d.States = make([][][]float64, len(out.HiddenStates))
		}
		for w := range s.Tokens {
			for l, h := range out.HiddenStates {
				d.States[l] = append(d.States[l], h.Select(1, first[w]).Float64s())
			}
			d.Labels = append(d.Labels, tags[w])
			d.Words = append(d.Words, strings.ToLower(s.Tokens[w]))
		}
		bar.Add(1)
	}
	if len(d.Labels) == 0 {
		return nil, fmt.Errorf("interpret: no usable sentences to probe")
	}
	return d, nil
}

// ProbeNER trains a linear probe per hidden state of m that predicts each
// word's NER tag (from the hidden state of its first word piece), on tagged
// sentences such as data.NER's; with opts.Control, also on the control task.
func ProbeNER(m nn.Module, tok *tokenizer.BertTokenizer, sentences []data.TaggedSentence, labels []string, opts ProbeOptions) (*ProbeResult, error) {
	d, err := NERProbeData(m, tok, sentences, labels)
	if err != nil {
		return nil, err
	}
	return ProbeLayers(d, len(labels), labels, opts)
}

// ProbeLayers trains one probe per hidden state of d (and, with
// opts.Control, one per hidden state on the control task).
func ProbeLayers(d *ProbeData, classes int, labels []string, opts ProbeOptions) (*ProbeResult, error) {
	res := &ProbeResult{Labels: labels}
	var control []int
	if opts.Control {
		control = ControlTask(d.Words, d.Labels, opts.Seed)
	}
	for l := range d.States {
		p, err := TrainProbe(d.States[l], d.Labels, classes, opts)
		if err != nil {
			return nil, err
		}
		res.TrainAccuracy = append(res.TrainAccuracy, p.TrainAccuracy)
		res.TestAccuracy = append(res.TestAccuracy, p.TestAccuracy)
		res.Majority = p.Majority
		if control != nil {
			c, err := TrainProbe(d.States[l], control, classes, opts)
			if err != nil {
				return nil, err
			}
			res.ControlAccuracy = append(res.ControlAccuracy, c.TestAccuracy)
		}
	}
	return res, nil
}

// Probe is one trained linear (softmax-regression) probe.
type Probe struct {
	W                                     [][]float64 // [classes][features], on standardised features
	B                                     []float64
	Mean, Scale                           []float64 // the standardisation
	TrainAccuracy, TestAccuracy, Majority float64
}

// TrainProbe fits softmax regression y ~ x by full-batch gradient descent on
// standardised features, holding out opts.TestFraction of the examples.
func TrainProbe(x [][]float64, y []int, classes int, opts ProbeOptions) (*Probe, error) {
	if len(x) != len(y) || len(x) < 2 {
		return nil, fmt.Errorf("interpret: probe needs matching examples and labels, got %d and %d", len(x), len(y))
	}
	if opts.Epochs == 0 {
		opts.Epochs = 300
	}
	if opts.LR == 0 {
		opts.LR = 0.5
	}
	if opts.WeightDecay == 0 {
		opts.WeightDecay = 1e-4
	}
	if opts.TestFraction == 0 {
		opts.TestFraction = 0.25
	}
	split := data.Split(len(x), opts.Seed, 1-opts.TestFraction, opts.TestFraction)
	train, test := split[0], split[1]
	d := len(x[0])
	p := &Probe{Mean: make([]float64, d), Scale: make([]float64, d), B: make([]float64, classes)}
	for _, i := range train {
		for j, v := range x[i] {
			p.Mean[j] += v / float64(len(train))
		}
	}
	for _, i := range train {
		for j, v := range x[i] {
			p.Scale[j] += (v - p.Mean[j]) * (v - p.Mean[j]) / float64(len(train))
		}
	}
	for j := range p.Scale {
		p.Scale[j] = 1 / math.Sqrt(p.Scale[j]+1e-8)
	}
	std := func(i int) []float64 {
		z := make([]float64, d)
		for j, v := range x[i] {
			z[j] = (v - p.Mean[j]) * p.Scale[j]
		}
		return z
	}
	xs := make([][]float64, len(x))
	for i := range x {
		xs[i] = std(i)
	}
	p.W = make([][]float64, classes)
	for c := range p.W {
		p.W[c] = make([]float64, d)
	}
	gw := make([][]float64, classes)
	for c := range gw {
		gw[c] = make([]float64, d)
	}
	gb := make([]float64, classes)
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		for c := range gw {
			clear(gw[c])
		}
		clear(gb)
		for _, i := range train {
			pr := p.probs(xs[i])
			pr[y[i]]--
			for c, g := range pr {
				g /= float64(len(train))
				gb[c] += g
				for j, v := range xs[i] {
					gw[c][j] += g * v
				}
			}
		}
		for c := range p.W {
			p.B[c] -= opts.LR * gb[c]
			for j := range p.W[c] {
				p.W[c][j] -= opts.LR * (gw[c][j] + opts.WeightDecay*p.W[c][j])
			}
		}
	}
	acc := func(idx []int) float64 {
		ok := 0
		for _, i := range idx {
			if argmax(p.probs(xs[i])) == y[i] {
				ok++
			}
		}
		return float64(ok) / float64(max(1, len(idx)))
	}
	p.TrainAccuracy, p.TestAccuracy = acc(train), acc(test)
	counts := make([]int, classes)
	for _, i := range train {
		counts[y[i]]++
	}
	major := argmaxInt(counts)
	for _, i := range test {
		if y[i] == major {
			p.Majority++
		}
	}
	p.Majority /= float64(max(1, len(test)))
	return p, nil
}

// probs is the probe's softmax on standardised features z.
func (p *Probe) probs(z []float64) []float64 {
	out := make([]float64, len(p.W))
	m := math.Inf(-1)
	for c, w := range p.W {
		s := p.B[c]
		for j, v := range z {
			s += w[j] * v
		}
		out[c] = s
		m = math.Max(m, s)
	}
	var sum float64
	for c := range out {
		out[c] = math.Exp(out[c] - m)
		sum += out[c]
	}
	for c := range out {
		out[c] /= sum
	}
	return out
}

// Plot draws test accuracy per hidden state against the majority baseline.
func (r *ProbeResult) Plot() *plots.Line {
	l := plots.NewLine("linear probe accuracy per layer")
	xs := make([]float64, len(r.TestAccuracy))
	maj := make([]float64, len(r.TestAccuracy))
	for i := range xs {
		xs[i], maj[i] = float64(i), r.Majority
	}
	l.Add("test", xs, r.TestAccuracy)
	l.Add("train", xs, r.TrainAccuracy)
	l.Add("majority class", xs, maj)
	if r.ControlAccuracy != nil {
		l.Add("control task (test)", xs, r.ControlAccuracy)
	}
	l.XLabel, l.YLabel, l.Markers = "hidden state (0 = embeddings)", "accuracy", true
	return l
}

// MIMEBundle shows the plot.
func (r *ProbeResult) MIMEBundle() display.Bundle { return r.Plot().MIMEBundle() }

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

func argmaxInt(v []int) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// Best returns the hidden state whose probe has the best test accuracy.
func (r *ProbeResult) Best() (layer int, accuracy float64) {
	for l, a := range r.TestAccuracy {
		if a > accuracy {
			layer, accuracy = l, a
		}
	}
	return layer, accuracy
}
