package optim

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// SGDConfig holds SGD's hyperparameters, with torch.optim.SGD's meanings.
type SGDConfig struct {
	LR          float64 // learning rate (required, > 0)
	Momentum    float64 // momentum factor μ (0 = plain SGD)
	Dampening   float64 // dampening τ of the momentum update
	WeightDecay float64 // L2 penalty λ added to the gradient
	Nesterov    bool    // Nesterov momentum (needs Momentum > 0 and Dampening = 0)
}

// SGD is stochastic gradient descent with torch's exact rule. For each parameter
// p with gradient g, at step t:
//
//	g ← g + λ·p                      (weight decay)
//	b ← g             if t = 1        (momentum buffer; no dampening the first time)
//	b ← μ·b + (1−τ)·g otherwise
//	g ← g + μ·b       if Nesterov, else g ← b
//	p ← p − lr·g
type SGD struct {
	Config SGDConfig
	groups []*ParamGroup
	// momentum holds each parameter's buffer b, created at its first step.
	momentum map[*autograd.Tensor][]float32
}

// NewSGD makes an SGD optimizer over params, all in one group.
func NewSGD(params []*autograd.Tensor, cfg SGDConfig) *SGD {
	return NewSGDGroups([]*ParamGroup{NewGroup(params, cfg.LR, cfg.WeightDecay)}, cfg)
}

// NewSGDGroups makes an SGD optimizer over parameter groups; a group with LR 0
// uses cfg.LR. Momentum, dampening and Nesterov are shared by all groups.
func NewSGDGroups(groups []*ParamGroup, cfg SGDConfig) *SGD {
	if cfg.LR <= 0 || cfg.Momentum < 0 || cfg.WeightDecay < 0 {
		panic(fmt.Sprintf("optim.NewSGD: need lr > 0, momentum >= 0, weight decay >= 0; got %+v", cfg))
	}
	if cfg.Nesterov && (cfg.Momentum <= 0 || cfg.Dampening != 0) {
		panic(fmt.Sprintf("optim.NewSGD: Nesterov momentum requires momentum > 0 and zero dampening; got momentum %g dampening %g", cfg.Momentum, cfg.Dampening))
	}
	return &SGD{Config: cfg, groups: setupGroups("NewSGD", groups, cfg.LR), momentum: map[*autograd.Tensor][]float32{}}
}

// ParamGroups returns the optimizer's groups (schedules change their LR).
func (o *SGD) ParamGroups() []*ParamGroup { return o.groups }

// ZeroGrad zeroes the gradients of all parameters.
func (o *SGD) ZeroGrad() { zeroGroups(o.groups) }

// Step updates every parameter that has a gradient; the others are skipped.
func (o *SGD) Step() {
	mu := float32(o.Config.Momentum)
	oneMinusDamp := float32(1 - o.Config.Dampening)
	for _, g := range o.groups {
		lr := float32(g.LR)
		wd := float32(g.WeightDecay)
		for _, p := range g.Params {
			if p.Grad() == nil {
				continue
			}
			w, grad := p.Data(), p.Grad().Data()
			buf, started := o.momentum[p]
			if mu != 0 && !started {
				buf = make([]float32, len(w))
				o.momentum[p] = buf
			}
			for i := range w {
				d := grad[i]
				if wd != 0 {
					d += wd * w[i]
				}
				if mu != 0 {
					if started {
						buf[i] = buf[i]*mu + oneMinusDamp*d
					} else {
						buf[i] = d
					}
					if o.Config.Nesterov {
						d += mu * buf[i]
					} else {
						d = buf[i]
					}
				}
				w[i] += -lr * d
			}
		}
	}
}
