package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// IA3Config configures (IA)³ (Liu et al. 2022, "Infused Adapter by
// Inhibiting and Amplifying Inner Activations"): a learned vector rescales
// the keys, the values and the feed-forward activations. A feed-forward
// module's vector scales its input (one entry per in-feature); any other
// target's vector scales its output (one entry per out-feature). Field names
// are PEFT's IA3Config fields.
type IA3Config struct {
	CommonConfig
	TargetModules      Targets `json:"target_modules"`
	FeedforwardModules Targets `json:"feedforward_modules"`
	FanInFanOut        bool    `json:"fan_in_fan_out"`
	InitIA3Weights     bool    `json:"init_ia3_weights"`
}

// NewIA3Config targets BERT's key, value and feed-forward output dense (the
// FFN's second linear layer, which scales its input), with the vectors
// initialised to 1 so the model starts unchanged.
func NewIA3Config() *IA3Config {
	ff := `.*\.layer\.\d+\.output\.dense`
	return &IA3Config{
		CommonConfig:       CommonConfig{PeftType: TypeIA3, TaskType: TaskSeqCls},
		TargetModules:      TargetRegex(`.*\.(key|value)|` + ff),
		FeedforwardModules: TargetRegex(ff),
		InitIA3Weights:     true,
	}
}

// IA3Linear is a frozen affine layer with one scaling vector per adapter,
// PEFT's ia3.Linear:
//
//	feed-forward: y = base(x ⊙ l)      l has shape [1, in]
//	otherwise:    y = base(x) ⊙ l      l has shape [out, 1]
//
// The base is an *nn.Linear in Base or, for GPT-2, an *nn.Conv1D in Conv
// with FanInFanOut set ([in, out] layout; Base is then nil); the vectors
// have the same shapes either way and only a merge follows the layout.
// The vector's name is "ia3_l.<adapter>" (saved as "<module>.ia3_l").
type IA3Linear struct {
	Base        *nn.Linear // the wrapped Linear (nil when Conv is set)
	Conv        *nn.Conv1D // the wrapped Conv1D (GPT-2), with FanInFanOut
	FanInFanOut bool       // the base weight is [in, out] (Conv1D)
	FeedForward bool
	Vectors     map[string]*autograd.Tensor

	order  []string
	active string
	merged []string
}

// addVector creates adapter name's vector: ones, or random when init is
// false (for tests).
func (l *IA3Linear) addVector(name string, init bool, rng *autograd.RNG) {
	shape := []int{l.weights().out, 1}
	if l.FeedForward {
		shape = []int{1, l.weights().in}
	}
	v := autograd.Ones(shape...)
	if !init {
		v = autograd.Normal(rng, 1, 0.5, shape...)
	}
	v.SetRequiresGrad(true)
	if _, ok := l.Vectors[name]; !ok {
		l.order = append(l.order, name)
	}
	l.Vectors[name] = v
}

// Forward scales the input (feed-forward) or the output by the active vector.
func (l *IA3Linear) Forward(x *autograd.Tensor) *autograd.Tensor {
	v := l.Vectors[l.active]
	if v == nil || l.isMerged(l.active) {
		return l.inner().Forward(x)
	}
	flat := v.Reshape(-1)
	if l.FeedForward {
		return l.inner().Forward(x.Mul(flat))
	}
	return l.inner().Forward(x).Mul(flat)
}

// merge folds the vector into the weight: rows (and the bias) scaled for an
// output vector, columns for a feed-forward input vector.
func (l *IA3Linear) merge(name string) error {
	v := l.Vectors[name]
	if v == nil {
		return fmt.Errorf("peft: layer has no IA3 adapter %q", name)
	}
	if l.isMerged(name) {
		return nil
	}
	l.scaleWeights(v.Data(), false)
	l.merged = append(l.merged, name)
	return nil
}

// unmerge divides the merged vectors out again (by l + 1e-8, as PEFT does).
func (l *IA3Linear) unmerge() {
	for len(l.merged) > 0 {
		name := l.merged[len(l.merged)-1]
		l.merged = l.merged[:len(l.merged)-1]
		l.scaleWeights(l.Vectors[name].Data(), true)
	}
}

// scaleWeights multiplies (or divides) the weight by the vector along its
// axis (in-features for a feed-forward vector, out-features otherwise; which
// axis of the weight that is depends on its layout, PEFT's transpose(ia3_l,
// fan_in_fan_out)), and the bias too for an output vector.
func (l *IA3Linear) scaleWeights(v []float32, divide bool) {
	f := func(s float32) float32 {
		if divide {
			return 1 / (s + 1e-8)
		}
		return s
	}
	aw := l.weights()
	w := aw.weight.Data()
	cols := aw.in // the weight's row length: [out, in], or [in, out] for Conv1D
	if aw.fanInFanOut {
		cols = aw.out
	}
	for i := range w {
		row, col := i/cols, i%cols
		inAxis, outAxis := col, row
		if aw.fanInFanOut {
			inAxis, outAxis = row, col
		}
		if l.FeedForward {
			w[i] *= f(v[inAxis])
		} else {
			w[i] *= f(v[outAxis])
		}
	}
	if !l.FeedForward && aw.bias != nil {
		b := aw.bias.Data()
		for i := range b {
			b[i] *= f(v[i])
		}
	}
}

// isMerged reports whether adapter name is merged.
func (l *IA3Linear) isMerged(name string) bool {
	for _, m := range l.merged {
		if m == name {
			return true
		}
	}
	return false
}

// NamedParameters lists the base weight and bias, then "ia3_l.<adapter>".
func (l *IA3Linear) NamedParameters(prefix string) []nn.NamedParameter {
	ps := l.inner().NamedParameters(prefix)
	for _, n := range l.order {
		ps = append(ps, nn.NamedParameter{Name: nn.Join(prefix, "ia3_l."+n), Tensor: l.Vectors[n]})
	}
	return ps
}

// SetTraining does nothing (no dropout in IA3).
func (l *IA3Linear) SetTraining(bool) {}

// String prints the layer.
func (l *IA3Linear) String() string {
	return fmt.Sprintf("ia3.Linear(%s, fan_in_fan_out=%v, feedforward=%v, adapters=%v, active=%q)", extraRepr(l.inner()), l.FanInFanOut, l.FeedForward, l.order, l.active)
}

func (l *IA3Linear) setActive(name string) { l.active = name }

func (l *IA3Linear) removeAdapter(name string) bool {
	if l.isMerged(name) {
		l.unmerge()
	}
	delete(l.Vectors, name)
	l.order = remove(l.order, name)
	if l.active == name {
		l.active = ""
	}
	return len(l.order) == 0
}

// inner is the wrapped layer, put back when the last adapter goes.
func (l *IA3Linear) inner() nn.Layer {
	if l.Conv != nil {
		return l.Conv
	}
	return l.Base
}

func (l *IA3Linear) adapterParams(name string) []nn.NamedParameter {
	if v := l.Vectors[name]; v != nil {
		return []nn.NamedParameter{{Name: "ia3_l", Tensor: v}}
	}
	return nil
}

// injectIA3 wraps every target nn.Linear or nn.Conv1D in an IA3Linear (or
// adds a vector to one already wrapped); fan_in_fan_out follows the target's
// layout, as in PEFT (see injectLoRA).
func (m *Model) injectIA3(a *adapter, c *IA3Config) error {
	if c.TargetModules.Empty() {
		return fmt.Errorf("peft: IA3Config.target_modules is empty")
	}
	return m.wrap(a, fmt.Sprintf("target_modules %v", c.TargetModules), c.TargetModules.Match, func(path string, mod nn.Module) (tunerLayer, error) {
		ff, err := c.FeedforwardModules.Match(path)
		if err != nil {
			return nil, err
		}
		var l *IA3Linear
		switch t := mod.(type) {
		case *IA3Linear:
			if t.FeedForward != ff {
				return nil, fmt.Errorf("peft: %s: feed-forward in one IA3 adapter and not in another", path)
			}
			l = t
		case *nn.Linear:
			l = &IA3Linear{Base: t, FeedForward: ff, Vectors: map[string]*autograd.Tensor{}}
		case *nn.Conv1D:
			l = &IA3Linear{Conv: t, FanInFanOut: true, FeedForward: ff, Vectors: map[string]*autograd.Tensor{}}
		case tunerLayer:
			return nil, fmt.Errorf("peft: %s already carries a %T adapter; mixing methods on one layer is not supported", path, t)
		default:
			return nil, fmt.Errorf("peft: target module %s is a %T; IA3 supports nn.Linear and nn.Conv1D (GPT-2)", path, mod)
		}
		m.fanInFanOutRule(&c.FanInFanOut, l.FanInFanOut, path, "IA3Config")
		l.addVector(a.name, c.InitIA3Weights, m.RNG)
		return l, nil
	})
}
