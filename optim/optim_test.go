package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// The expected values in these tests come from the update rules written out in
// float64, step by step, next to each test: they are the formulas of the torch
// source (torch/optim/sgd.py, adam.py, adamw.py), not numbers copied from a run.

// param makes a leaf parameter holding vals.
func param(vals ...float32) *autograd.Tensor {
	return autograd.New(append([]float32(nil), vals...), len(vals)).SetRequiresGrad(true)
}

// setGrad gives p the gradient g (as if Backward had produced it).
func setGrad(p *autograd.Tensor, g []float64) {
	p.SetGrad(autograd.FromFloat64s(g, len(g)))
}

// gradsAt is a deterministic gradient sequence: different at each step and
// element, with both signs and varied magnitudes.
func gradsAt(step, n int) []float64 {
	g := make([]float64, n)
	for i := range g {
		g[i] = math.Sin(float64(3*step+7*i+1)) * math.Pow(10, float64(i%3)-1)
	}
	return g
}

func near(t *testing.T, what string, got []float32, want []float64, atol float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > atol+1e-6*math.Abs(want[i]) || math.IsNaN(float64(got[i])) {
			t.Errorf("%s[%d] = %.9g, want %.9g (diff %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// sgdReference is torch's SGD rule in float64.
func sgdReference(p0 []float64, steps int, lr, mu, damp, wd float64, nesterov bool) []float64 {
	p := append([]float64(nil), p0...)
	buf := make([]float64, len(p))
	for s := 0; s < steps; s++ {
		g := gradsAt(s, len(p))
		for i := range p {
			d := g[i] + wd*p[i]
			if mu != 0 {
				if s == 0 {
					buf[i] = d
				} else {
					buf[i] = mu*buf[i] + (1-damp)*d
				}
				if nesterov {
					d += mu * buf[i]
				} else {
					d = buf[i]
				}
			}
			p[i] -= lr * d
		}
	}
	return p
}

func TestSGD(t *testing.T) {
	p0 := []float64{0.5, -1.25, 2}
	cases := []struct {
		name string
		cfg  SGDConfig
	}{
		{"plain", SGDConfig{LR: 0.1}},
		{"weight decay", SGDConfig{LR: 0.1, WeightDecay: 0.05}},
		{"momentum", SGDConfig{LR: 0.05, Momentum: 0.9}},
		{"momentum dampening", SGDConfig{LR: 0.05, Momentum: 0.9, Dampening: 0.3, WeightDecay: 0.01}},
		{"nesterov", SGDConfig{LR: 0.05, Momentum: 0.8, Nesterov: true, WeightDecay: 0.02}},
	}
	for _, c := range cases {
		p := param(0.5, -1.25, 2)
		opt := NewSGD([]*autograd.Tensor{p}, c.cfg)
		const steps = 5
		for s := 0; s < steps; s++ {
			setGrad(p, gradsAt(s, 3))
			opt.Step()
		}
		want := sgdReference(p0, steps, c.cfg.LR, c.cfg.Momentum, c.cfg.Dampening, c.cfg.WeightDecay, c.cfg.Nesterov)
		near(t, "SGD "+c.name, p.Data(), want, 1e-6)
	}
}

// TestSGDHandValues checks two momentum steps against numbers worked by hand:
// p=1, lr=0.1, μ=0.9, g1=1, g2=2: b1=1, p=0.9; b2=0.9·1+2=2.9, p=0.9−0.29=0.61.
// Nesterov: d1=1+0.9·1=1.9, p=0.81; b2=2.9, d2=2+0.9·2.9=4.61, p=0.81−0.461=0.349.
func TestSGDHandValues(t *testing.T) {
	for _, c := range []struct {
		nesterov bool
		want     float64
	}{{false, 0.61}, {true, 0.349}} {
		p := param(1)
		opt := NewSGD([]*autograd.Tensor{p}, SGDConfig{LR: 0.1, Momentum: 0.9, Nesterov: c.nesterov})
		setGrad(p, []float64{1})
		opt.Step()
		setGrad(p, []float64{2})
		opt.Step()
		near(t, "SGD hand", p.Data(), []float64{c.want}, 1e-6)
	}
}

// adamReference is torch's Adam/AdamW rule in float64.
func adamReference(p0 []float64, steps int, lr, b1, b2, eps, wd float64, decoupled bool) []float64 {
	p := append([]float64(nil), p0...)
	m := make([]float64, len(p))
	v := make([]float64, len(p))
	for s := 1; s <= steps; s++ {
		g := gradsAt(s-1, len(p))
		for i := range p {
			d := g[i]
			if decoupled {
				p[i] *= 1 - lr*wd
			} else {
				d += wd * p[i]
			}
			m[i] = b1*m[i] + (1-b1)*d
			v[i] = b2*v[i] + (1-b2)*d*d
			mHat := m[i] / (1 - math.Pow(b1, float64(s)))
			vHat := v[i] / (1 - math.Pow(b2, float64(s)))
			p[i] -= lr * mHat / (math.Sqrt(vHat) + eps)
		}
	}
	return p
}

func TestAdamAndAdamW(t *testing.T) {
	p0 := []float64{0.5, -1.25, 2}
	cases := []struct {
		name      string
		cfg       AdamConfig
		decoupled bool
	}{
		{"Adam", AdamConfig{LR: 1e-2}, false},
		{"Adam L2", AdamConfig{LR: 1e-2, WeightDecay: 0.1}, false},
		{"AdamW", AdamConfig{LR: 1e-3, WeightDecay: 0.01}, true},
		{"AdamW big decay, eps, betas", AdamConfig{LR: 5e-2, Beta1: 0.8, Beta2: 0.99, Eps: 1e-3, WeightDecay: 0.5}, true},
	}
	for _, c := range cases {
		p := param(0.5, -1.25, 2)
		var opt *Adam
		if c.decoupled {
			opt = NewAdamW([]*autograd.Tensor{p}, c.cfg)
		} else {
			opt = NewAdam([]*autograd.Tensor{p}, c.cfg)
		}
		const steps = 6
		for s := 0; s < steps; s++ {
			setGrad(p, gradsAt(s, 3))
			opt.Step()
		}
		cfg := c.cfg.withDefaults()
		want := adamReference(p0, steps, cfg.LR, cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.WeightDecay, c.decoupled)
		near(t, c.name, p.Data(), want, 1e-6)
		if opt.StepCount(p) != steps {
			t.Errorf("%s: step count %d, want %d", c.name, opt.StepCount(p), steps)
		}
	}
}

// TestAdamWHandValues: the first AdamW step moves every element by almost
// exactly lr against the gradient's sign (m̂ = g, v̂ = g²), after the decay:
// p = 1·(1 − 0.1·0.5) − 0.1·g/(|g| + 1e-8).
func TestAdamWHandValues(t *testing.T) {
	p := param(1, 1)
	opt := NewAdamW([]*autograd.Tensor{p}, AdamConfig{LR: 0.1, WeightDecay: 0.5})
	setGrad(p, []float64{3, -0.001})
	opt.Step()
	near(t, "AdamW step 1", p.Data(), []float64{0.95 - 0.1*3/(3+1e-8), 0.95 + 0.1*0.001/(0.001+1e-8)}, 1e-7)
}

// TestSkipWithoutGrad: torch skips a parameter with no gradient entirely — no
// weight decay, no moments, no step count.
func TestSkipWithoutGrad(t *testing.T) {
	a, b := param(1, 2), param(3, 4)
	opt := NewAdamW([]*autograd.Tensor{a, b}, AdamConfig{LR: 0.1, WeightDecay: 0.1})
	setGrad(a, []float64{1, 1})
	opt.Step()
	opt.Step()
	near(t, "skipped", b.Data(), []float64{3, 4}, 0)
	if opt.StepCount(b) != 0 || opt.StepCount(a) != 2 {
		t.Errorf("step counts a=%d b=%d, want 2 and 0", opt.StepCount(a), opt.StepCount(b))
	}
	// b's first step, later, uses bias correction for t=1.
	setGrad(b, []float64{1, -1})
	opt.Step()
	near(t, "first step later", b.Data(), []float64{3*0.99 - 0.1, 4*0.99 + 0.1}, 1e-6)

	s := param(5)
	sgd := NewSGD([]*autograd.Tensor{s}, SGDConfig{LR: 1, WeightDecay: 1, Momentum: 0.9})
	sgd.Step()
	near(t, "SGD skipped", s.Data(), []float64{5}, 0)
}

// TestGroups: each group uses its own lr and weight decay.
func TestGroups(t *testing.T) {
	a, b := param(1, -1), param(2, -2)
	ga := NewGroup([]*autograd.Tensor{a}, 0, 0.1) // lr from the optimizer
	gb := NewGroup([]*autograd.Tensor{b}, 0.5, 0)
	opt := NewAdamWGroups([]*ParamGroup{ga, gb}, AdamConfig{LR: 0.01})
	if ga.LR != 0.01 || gb.LR != 0.5 {
		t.Fatalf("group lrs %g %g", ga.LR, gb.LR)
	}
	for s := 0; s < 3; s++ {
		setGrad(a, gradsAt(s, 2))
		setGrad(b, gradsAt(s, 2))
		opt.Step()
	}
	near(t, "group a", a.Data(), adamReference([]float64{1, -1}, 3, 0.01, 0.9, 0.999, 1e-8, 0.1, true), 1e-6)
	near(t, "group b", b.Data(), adamReference([]float64{2, -2}, 3, 0.5, 0.9, 0.999, 1e-8, 0, true), 1e-6)

	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "only one group") {
			t.Errorf("a parameter in two groups should panic, got %v", r)
		}
	}()
	NewSGDGroups([]*ParamGroup{NewGroup([]*autograd.Tensor{a}, 0, 0), NewGroup([]*autograd.Tensor{a}, 0, 0)}, SGDConfig{LR: 1})
}

// TestDecayGroups follows HF Trainer: biases and LayerNorm weights get no decay,
// frozen parameters are left out.
func TestDecayGroups(t *testing.T) {
	mk := func(name string) nn.NamedParameter { return nn.NamedParameter{Name: name, Tensor: param(1)} }
	frozen := mk("bert.embeddings.word_embeddings.weight")
	frozen.Tensor.SetRequiresGrad(false)
	params := []nn.NamedParameter{
		frozen,
		mk("bert.encoder.layer.0.attention.self.query.weight"),
		mk("bert.encoder.layer.0.attention.self.query.bias"),
		mk("bert.embeddings.LayerNorm.weight"),
		mk("bert.embeddings.LayerNorm.bias"),
		mk("encoder.layer_norm.weight"),
		mk("classifier.weight"),
	}
	groups := DecayGroups(params, 0.01)
	if len(groups) != 2 {
		t.Fatalf("%d groups, want 2", len(groups))
	}
	if got := strings.Join(groups[0].Names, ","); got != "bert.encoder.layer.0.attention.self.query.weight,classifier.weight" || groups[0].WeightDecay != 0.01 {
		t.Errorf("decay group %s (wd %g)", got, groups[0].WeightDecay)
	}
	if got := strings.Join(groups[1].Names, ","); got != "bert.encoder.layer.0.attention.self.query.bias,bert.embeddings.LayerNorm.weight,bert.embeddings.LayerNorm.bias,encoder.layer_norm.weight" || groups[1].WeightDecay != 0 {
		t.Errorf("no-decay group %s (wd %g)", got, groups[1].WeightDecay)
	}
}

func TestZeroGrad(t *testing.T) {
	a := param(1, 2)
	setGrad(a, []float64{3, 4})
	opt := NewSGD([]*autograd.Tensor{a}, SGDConfig{LR: 1})
	opt.ZeroGrad()
	near(t, "zeroed grad", a.Grad().Data(), []float64{0, 0}, 0)
}

// TestClipGradNorm: gradients (3, 4) and (12) have global norm 13.
func TestClipGradNorm(t *testing.T) {
	a, b, c := param(0, 0), param(0), param(0)
	setGrad(a, []float64{3, 4})
	setGrad(b, []float64{12})
	norm := ClipGradNorm([]*autograd.Tensor{a, b, c}, 6.5)
	if math.Abs(float64(norm)-13) > 1e-6 {
		t.Errorf("norm %v, want 13", norm)
	}
	coef := 6.5 / (13 + 1e-6)
	near(t, "clipped a", a.Grad().Data(), []float64{3 * coef, 4 * coef}, 1e-6)
	near(t, "clipped b", b.Grad().Data(), []float64{12 * coef}, 1e-6)
	if n := GradNorm([]*autograd.Tensor{a, b}); math.Abs(float64(n)-6.5) > 1e-5 {
		t.Errorf("norm after clipping %v, want 6.5", n)
	}
	// Below the threshold nothing changes.
	norm = ClipGradNorm([]*autograd.Tensor{a, b}, 100)
	if math.Abs(float64(norm)-6.5) > 1e-5 {
		t.Errorf("second norm %v", norm)
	}
	near(t, "unclipped b", b.Grad().Data(), []float64{12 * coef}, 1e-6)
}

// TestScheduleFactors checks HF's formulas at specific steps.
func TestScheduleFactors(t *testing.T) {
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"warmup 0", WarmupFactor(0, 10), 0},
		{"warmup 4", WarmupFactor(4, 10), 0.4},
		{"warmup after", WarmupFactor(50, 10), 1},
		{"warmup none", WarmupFactor(0, 0), 1},
		{"linear 0", LinearWarmupFactor(0, 10, 110), 0},
		{"linear 5", LinearWarmupFactor(5, 10, 110), 0.5},
		{"linear peak", LinearWarmupFactor(10, 10, 110), 1},
		{"linear 35", LinearWarmupFactor(35, 10, 110), 0.75},
		{"linear end", LinearWarmupFactor(110, 10, 110), 0},
		{"linear past end", LinearWarmupFactor(200, 10, 110), 0},
		{"linear no warmup", LinearWarmupFactor(25, 0, 100), 0.75},
		{"cosine 5", CosineWarmupFactor(5, 10, 110, 0.5), 0.5},
		{"cosine peak", CosineWarmupFactor(10, 10, 110, 0.5), 1},
		{"cosine middle", CosineWarmupFactor(60, 10, 110, 0.5), 0.5},
		{"cosine quarter", CosineWarmupFactor(35, 10, 110, 0.5), 0.5 * (1 + math.Cos(math.Pi/4))},
		{"cosine end", CosineWarmupFactor(110, 10, 110, 0.5), 0},
		{"cosine one cycle end", CosineWarmupFactor(110, 10, 110, 1), 1},
		{"constant", ConstantFactor(1000), 1},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestScheduler: the LR follows initial·factor(step), applying step 0 at
// creation, per group, as torch's LambdaLR.
func TestScheduler(t *testing.T) {
	a, b := param(1), param(1)
	opt := NewSGDGroups([]*ParamGroup{NewGroup([]*autograd.Tensor{a}, 0.1, 0), NewGroup([]*autograd.Tensor{b}, 0.02, 0)}, SGDConfig{LR: 0.1})
	s := NewLinearSchedule(opt, 2, 6)
	want := [][2]float64{{0, 0}, {0.05, 0.01}, {0.1, 0.02}, {0.075, 0.015}, {0.05, 0.01}, {0.025, 0.005}, {0, 0}, {0, 0}}
	for step, w := range want {
		lr := s.LastLR()
		if math.Abs(lr[0]-w[0]) > 1e-12 || math.Abs(lr[1]-w[1]) > 1e-12 {
			t.Errorf("step %d: lrs %v, want %v", step, lr, w)
		}
		setGrad(a, []float64{1})
		opt.Step()
		s.Step()
	}
	// The lr really is used: a moved by the sum of the lrs of group 0.
	near(t, "scheduled SGD", a.Data(), []float64{1 - (0.05 + 0.1 + 0.075 + 0.05 + 0.025)}, 1e-6)
	if s.StepCount() != len(want) {
		t.Errorf("step count %d", s.StepCount())
	}

	c := param(1)
	opt2 := NewAdamW([]*autograd.Tensor{c}, AdamConfig{LR: 1e-3})
	cs := NewCosineSchedule(opt2, 0, 10, 0.5)
	for i := 0; i < 5; i++ {
		cs.Step()
	}
	if lr := opt2.ParamGroups()[0].LR; math.Abs(lr-0.5e-3) > 1e-15 {
		t.Errorf("cosine halfway lr %v, want 5e-4", lr)
	}
	w := NewWarmupSchedule(NewSGD([]*autograd.Tensor{param(0)}, SGDConfig{LR: 1}), 4)
	w.Step()
	if lr := w.LastLR()[0]; lr != 0.25 {
		t.Errorf("warmup lr %v", lr)
	}
}

// TestConfigErrors checks invalid settings panic with clear messages.
func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"nesterov without momentum", func() { NewSGD(nil, SGDConfig{LR: 1, Nesterov: true}) }, "Nesterov"},
		{"zero lr", func() { NewAdamW(nil, AdamConfig{}) }, "lr > 0"},
		{"bad beta", func() { NewAdam(nil, AdamConfig{LR: 1, Beta1: 1}) }, "betas"},
		{"warmup past total", func() { NewLinearSchedule(NewSGD(nil, SGDConfig{LR: 1}), 10, 5) }, "warmup"},
		{"non-contiguous", func() {
			NewSGD([]*autograd.Tensor{autograd.Zeros(2, 3).Transpose(0, 1)}, SGDConfig{LR: 1})
		}, "not contiguous"},
	}
	for _, c := range cases {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), c.want) {
					t.Errorf("%s: panic %v, want one mentioning %q", c.name, r, c.want)
				}
			}()
			c.f()
		}()
	}
}
