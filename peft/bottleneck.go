package peft

import (
	"fmt"
	"regexp"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// BottleneckConfig configures bottleneck adapters (adapter-hub/adapters): a
// small down-project → non-linearity → up-project network inserted in every
// layer, h ← h + up(act(down(h))), whose hidden size is hidden/reduction.
// Houlsby et al. 2019 put one after the attention output projection and one
// after the feed-forward output (mh_adapter and output_adapter); Pfeiffer et
// al. 2020 only after the feed-forward output. Both sit before the residual
// LayerNorm. Field names follow adapter-hub's BnConfig. HF PEFT has no
// bottleneck adapters; files are written in PEFT's layout with peft_type
// "BOTTLENECK".
type BottleneckConfig struct {
	CommonConfig
	Architecture    string `json:"architecture"`     // "houlsby" or "pfeiffer" (informational)
	MhAdapter       bool   `json:"mh_adapter"`       // after attention.output.dense
	OutputAdapter   bool   `json:"output_adapter"`   // after the feed-forward output.dense
	ReductionFactor int    `json:"reduction_factor"` // bottleneck size = hidden / reduction_factor
	NonLinearity    string `json:"non_linearity"`    // "relu", "swish" (= silu), "gelu" or "tanh"
	Residual        bool   `json:"residual"`         // add the adapter's input back (the usual case)
	// InitStd is the standard deviation of the normal initialisation of both
	// projections (biases zero). Small values make the adapter start near the
	// identity (adapter-hub's "bert" init uses 0.02).
	InitStd float64 `json:"init_std"`
}

// NewHoulsbyConfig is adapter-hub's DoubleSeqBnConfig: adapters after the
// attention and the feed-forward block, reduction 16, swish.
func NewHoulsbyConfig() *BottleneckConfig {
	return &BottleneckConfig{CommonConfig: CommonConfig{PeftType: TypeBottleneck, TaskType: TaskSeqCls},
		Architecture: "houlsby", MhAdapter: true, OutputAdapter: true, ReductionFactor: 16, NonLinearity: "swish", Residual: true, InitStd: 0.02}
}

// NewPfeifferConfig is adapter-hub's SeqBnConfig: one adapter after the
// feed-forward block, reduction 16, relu.
func NewPfeifferConfig() *BottleneckConfig {
	return &BottleneckConfig{CommonConfig: CommonConfig{PeftType: TypeBottleneck, TaskType: TaskSeqCls},
		Architecture: "pfeiffer", OutputAdapter: true, ReductionFactor: 16, NonLinearity: "relu", Residual: true, InitStd: 0.02}
}

// Bottleneck wraps a dense projection with one bottleneck adapter per name:
//
//	y = Dense(x);  out = y + up(act(down(y)))   (without the "+ y" when not residual)
//
// Parameter names: "adapter_down.<name>.weight/bias", "adapter_up.<name>.weight/bias".
type Bottleneck struct {
	Base nn.Layer
	Down map[string]*nn.Linear
	Up   map[string]*nn.Linear
	Act  map[string]*nn.Activation
	Res  map[string]bool

	order  []string
	active string
}

// activationByName maps adapter-hub's non_linearity names.
func activationByName(name string) (*nn.Activation, error) {
	switch name {
	case "relu":
		return nn.NewReLU(), nil
	case "swish", "silu":
		return nn.NewSiLU(), nil
	case "gelu":
		return nn.NewGELU(), nil
	case "tanh":
		return nn.NewTanh(), nil
	}
	return nil, fmt.Errorf("peft: non_linearity %q, want relu, swish, gelu or tanh", name)
}

// Forward applies the dense layer, then the active adapter.
func (b *Bottleneck) Forward(x *autograd.Tensor) *autograd.Tensor {
	y := b.Base.Forward(x)
	d := b.Down[b.active]
	if d == nil {
		return y
	}
	h := b.Up[b.active].Forward(b.Act[b.active].Forward(d.Forward(y)))
	if b.Res[b.active] {
		return y.Add(h)
	}
	return h
}

// NamedParameters lists the dense layer's parameters, then every adapter's.
func (b *Bottleneck) NamedParameters(prefix string) []nn.NamedParameter {
	ps := b.Base.NamedParameters(prefix)
	for _, n := range b.order {
		ps = append(ps, b.Down[n].NamedParameters(nn.Join(prefix, "adapter_down."+n))...)
		ps = append(ps, b.Up[n].NamedParameters(nn.Join(prefix, "adapter_up."+n))...)
	}
	return ps
}

// SetTraining passes the mode on.
func (b *Bottleneck) SetTraining(train bool) { b.Base.SetTraining(train) }

// String prints the wrapper.
func (b *Bottleneck) String() string {
	return fmt.Sprintf("Bottleneck(%v, adapters=%v, active=%q)", b.Base, b.order, b.active)
}

func (b *Bottleneck) setActive(name string) { b.active = name }

func (b *Bottleneck) removeAdapter(name string) bool {
	delete(b.Down, name)
	delete(b.Up, name)
	delete(b.Act, name)
	delete(b.Res, name)
	b.order = remove(b.order, name)
	if b.active == name {
		b.active = ""
	}
	return len(b.order) == 0
}

func (b *Bottleneck) inner() nn.Layer { return b.Base }

func (b *Bottleneck) adapterParams(name string) []nn.NamedParameter {
	if b.Down[name] == nil {
		return nil
	}
	return append(b.Down[name].NamedParameters("adapter_down"), b.Up[name].NamedParameters("adapter_up")...)
}

// injectBottleneck wraps attention.output.dense (mh_adapter) and/or the
// feed-forward output.dense (output_adapter) of every layer.
func (m *Model) injectBottleneck(a *adapter, c *BottleneckConfig) error {
	if c.ReductionFactor <= 0 {
		return fmt.Errorf("peft: BottleneckConfig.reduction_factor is %d, must be positive", c.ReductionFactor)
	}
	if !c.MhAdapter && !c.OutputAdapter {
		return fmt.Errorf("peft: BottleneckConfig: neither mh_adapter nor output_adapter is set")
	}
	if _, err := activationByName(c.NonLinearity); err != nil {
		return err
	}
	std := float32(c.InitStd)
	var alts []string
	if c.MhAdapter {
		alts = append(alts, `attention\.output`)
	}
	if c.OutputAdapter {
		alts = append(alts, `output`)
	}
	re := regexp.MustCompile(`^(.*\.)?layer\.\d+\.(` + joinAlt(alts) + `)\.dense$`)
	match := func(p string) (bool, error) { return re.MatchString(p), nil }
	return m.wrap(a, "attention/feed-forward output projections", match, func(path string, mod nn.Module) (tunerLayer, error) {
		var b *Bottleneck
		switch t := mod.(type) {
		case *Bottleneck:
			b = t
		case tunerLayer:
			return nil, fmt.Errorf("peft: %s already carries a %T adapter; mixing methods on one layer is not supported", path, t)
		case *nn.Linear:
			b = &Bottleneck{Base: t, Down: map[string]*nn.Linear{}, Up: map[string]*nn.Linear{}, Act: map[string]*nn.Activation{}, Res: map[string]bool{}}
		default:
			return nil, fmt.Errorf("peft: %s is a %T, want an nn.Linear", path, mod)
		}
		hidden := baseLinear(mod).OutFeatures
		bn := hidden / c.ReductionFactor
		if bn < 1 {
			bn = 1
		}
		down := nn.LinearFrom(autograd.Normal(m.RNG, 0, std, bn, hidden), autograd.Zeros(bn))
		up := nn.LinearFrom(autograd.Normal(m.RNG, 0, std, hidden, bn), autograd.Zeros(hidden))
		for _, p := range append(down.NamedParameters(""), up.NamedParameters("")...) {
			p.Tensor.SetRequiresGrad(true)
		}
		act, _ := activationByName(c.NonLinearity)
		if _, ok := b.Down[a.name]; !ok {
			b.order = append(b.order, a.name)
		}
		b.Down[a.name], b.Up[a.name], b.Act[a.name], b.Res[a.name] = down, up, act, c.Residual
		return b, nil
	})
}

// joinAlt joins regex alternatives with "|".
func joinAlt(alts []string) string {
	s := ""
	for i, a := range alts {
		if i > 0 {
			s += "|"
		}
		s += a
	}
	return s
}

// baseLinear finds the nn.Linear inside a (possibly wrapped) layer.
func baseLinear(mod nn.Module) *nn.Linear {
	for {
		switch t := mod.(type) {
		case *nn.Linear:
			return t
		case tunerLayer:
			mod = t.inner()
		default:
			return nil
		}
	}
}
