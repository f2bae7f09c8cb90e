package optim

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// AdamConfig holds the hyperparameters of Adam and AdamW, with torch's meanings.
// Zero Beta1, Beta2 and Eps take torch's defaults (0.9, 0.999, 1e-8).
type AdamConfig struct {
	LR          float64 // learning rate (required, > 0)
	Beta1       float64 // decay of the first-moment average (default 0.9)
	Beta2       float64 // decay of the second-moment average (default 0.999)
	Eps         float64 // added to √v̂ in the denominator (default 1e-8)
	WeightDecay float64 // Adam: L2 added to the gradient; AdamW: decoupled decay
}

// withDefaults fills zero betas and eps with torch's defaults.
func (c AdamConfig) withDefaults() AdamConfig {
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-8
	}
	return c
}

// Adam is torch.optim.Adam, and with Decoupled set, torch.optim.AdamW. For a
// parameter p with gradient g, at its step t (counted per parameter):
//
//	p ← p·(1 − lr·λ)            AdamW only (decoupled weight decay)
//	g ← g + λ·p                 Adam only (L2 penalty)
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
//
// which is p − lr·m̂/(√v̂ + ε) with the bias-corrected moments m̂ = m/(1−β₁ᵗ) and
// v̂ = v/(1−β₂ᵗ), arranged as torch arranges it. A parameter without a gradient
// is skipped entirely: no decay, no moment update, no step count.
type Adam struct {
	Config AdamConfig
	// Decoupled selects AdamW's weight decay instead of Adam's L2 penalty.
	Decoupled bool
	groups    []*ParamGroup
	state     map[*autograd.Tensor]*adamState
}

// adamState is one parameter's optimizer state.
type adamState struct {
	step int
	m, v []float32 // exp_avg and exp_avg_sq in torch's names
}

// NewAdam makes torch.optim.Adam over params (weight decay as an L2 penalty).
func NewAdam(params []*autograd.Tensor, cfg AdamConfig) *Adam {
	return newAdam("NewAdam", []*ParamGroup{NewGroup(params, cfg.LR, cfg.WeightDecay)}, cfg, false)
}

// NewAdamW makes torch.optim.AdamW over params (decoupled weight decay).
// Note that torch's default weight decay for AdamW is 0.01; here it is whatever
// cfg.WeightDecay says.
func NewAdamW(params []*autograd.Tensor, cfg AdamConfig) *Adam {
	return newAdam("NewAdamW", []*ParamGroup{NewGroup(params, cfg.LR, cfg.WeightDecay)}, cfg, true)
}

// NewAdamGroups is NewAdam over parameter groups; a group with LR 0 uses cfg.LR,
// and each group's WeightDecay is used as given.
func NewAdamGroups(groups []*ParamGroup, cfg AdamConfig) *Adam {
	return newAdam("NewAdamGroups", groups, cfg, false)
}

// NewAdamWGroups is NewAdamW over parameter groups (see NewAdamGroups), e.g. the
// two groups of DecayGroups.
func NewAdamWGroups(groups []*ParamGroup, cfg AdamConfig) *Adam {
	return newAdam("NewAdamWGroups", groups, cfg, true)
}

func newAdam(op string, groups []*ParamGroup, cfg AdamConfig, decoupled bool) *Adam {
	cfg = cfg.withDefaults()
	if cfg.LR <= 0 || cfg.Eps < 0 || cfg.WeightDecay < 0 || cfg.Beta1 < 0 || cfg.Beta1 >= 1 || cfg.Beta2 < 0 || cfg.Beta2 >= 1 {
		panic(fmt.Sprintf("optim.%s: need lr > 0, 0 <= betas < 1, eps >= 0, weight decay >= 0; got %+v", op, cfg))
	}
	return &Adam{Config: cfg, Decoupled: decoupled, groups: setupGroups(op, groups, cfg.LR), state: map[*autograd.Tensor]*adamState{}}
}

// ParamGroups returns the optimizer's groups (schedules change their LR).
func (o *Adam) ParamGroups() []*ParamGroup { return o.groups }

// ZeroGrad zeroes the gradients of all parameters.
func (o *Adam) ZeroGrad() { zeroGroups(o.groups) }

// String names the algorithm and its hyperparameters.
func (o *Adam) String() string {
	name := "Adam"
	if o.Decoupled {
		name = "AdamW"
	}
	c := o.Config
	return fmt.Sprintf("%s(lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g, groups=%d)", name, c.LR, c.Beta1, c.Beta2, c.Eps, c.WeightDecay, len(o.groups))
}

// Step updates every parameter that has a gradient, through the fused
// element loop autograd.AdamWUpdate.
func (o *Adam) Step() {
	c := o.Config
	for _, g := range o.groups {
		for _, p := range g.Params {
			if p.Grad() == nil {
				continue
			}
			w, grad := p.Data(), p.Grad().Data()
			st := o.state[p]
			if st == nil {
				st = &adamState{m: make([]float32, len(w)), v: make([]float32, len(w))}
				o.state[p] = st
			}
			st.step++
			t := float64(st.step)
			// Scalars are computed in float64 and rounded once, as torch does
			// with Python floats; the element loop is the fused kernel.
			s := autograd.AdamUpdateScalars{
				Decay:         1,
				Beta1:         float32(c.Beta1),
				Beta2:         float32(c.Beta2),
				OneMinusBeta1: float32(1 - c.Beta1),
				OneMinusBeta2: float32(1 - c.Beta2),
				BC2Sqrt:       float32(math.Sqrt(1 - math.Pow(c.Beta2, t))),
				Eps:           float32(c.Eps),
				StepSize:      float32(g.LR / (1 - math.Pow(c.Beta1, t))),
			}
			if o.Decoupled {
				s.Decay = float32(1 - g.LR*g.WeightDecay)
			} else {
				s.L2 = float32(g.WeightDecay)
			}
			autograd.AdamWUpdate(s, w, grad, st.m, st.v)
		}
	}
}

// StepCount returns how many updates p has received (0 if none).
func (o *Adam) StepCount(p *autograd.Tensor) int {
	if st := o.state[p]; st != nil {
		return st.step
	}
	return 0
}
