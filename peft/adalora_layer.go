package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// AdaLoraConfig configures AdaLoRA (Zhang et al. 2023): LoRA in SVD form,
// ΔW = B diag(E) A, whose singular values E are pruned during training by
// importance so that a total rank budget (target_r per matrix on average)
// goes to the matrices that need it. Every matrix starts at init_r; the
// budget shrinks on a cubic schedule from step tinit to total_step − tfinal,
// with masking every deltaT steps; afterwards the final pattern is kept.
// Field names are PEFT's AdaLoraConfig fields (which extend LoraConfig's;
// r is unused, init_r is the starting rank).
type AdaLoraConfig struct {
	LoraConfig
	TargetR       int               `json:"target_r"`
	InitR         int               `json:"init_r"`
	Tinit         int               `json:"tinit"`
	Tfinal        int               `json:"tfinal"`
	DeltaT        int               `json:"deltaT"`
	Beta1         float64           `json:"beta1"`
	Beta2         float64           `json:"beta2"`
	OrthRegWeight float64           `json:"orth_reg_weight"`
	TotalStep     int               `json:"total_step"`
	RankPattern   map[string][]bool `json:"rank_pattern"` // "<module>.lora_E" → which singular values are kept

	loadRanks map[string]int // when loading: each module's rank in the file
}

// NewAdaLoraConfig returns PEFT's defaults (init_r 12, target_r 8, β 0.85,
// orth_reg_weight 0.5, lora_alpha 8, targets query and value) for a run of
// totalStep optimizer steps.
func NewAdaLoraConfig(totalStep int) *AdaLoraConfig {
	lc := NewLoraConfig()
	lc.PeftType = TypeAdaLoRA
	return &AdaLoraConfig{LoraConfig: *lc, TargetR: 8, InitR: 12, DeltaT: 1, Beta1: 0.85, Beta2: 0.85, OrthRegWeight: 0.5, TotalStep: totalStep}
}

// validate checks the schedule, as PEFT's __post_init__ does.
func (c *AdaLoraConfig) validate() error {
	switch {
	case c.InitR <= 0 || c.TargetR <= 0:
		return fmt.Errorf("peft: AdaLoraConfig init_r %d and target_r %d must be positive", c.InitR, c.TargetR)
	case c.TotalStep <= 0:
		return fmt.Errorf("peft: AdaLoraConfig.total_step is %d; AdaLoRA needs the number of training steps", c.TotalStep)
	case c.Tinit >= c.TotalStep-c.Tfinal:
		return fmt.Errorf("peft: AdaLoraConfig tinit %d >= total_step %d - tfinal %d: no budgeting phase", c.Tinit, c.TotalStep, c.Tfinal)
	case c.DeltaT <= 0:
		return fmt.Errorf("peft: AdaLoraConfig.deltaT is %d, must be positive", c.DeltaT)
	case c.FanInFanOut || c.UseDoRA:
		return fmt.Errorf("peft: AdaLoraConfig: fan_in_fan_out and use_dora are not supported")
	case c.TargetModules.Empty():
		return fmt.Errorf("peft: AdaLoraConfig.target_modules is empty")
	}
	return nil
}

// SVDLinear is a frozen nn.Linear with AdaLoRA triplets, PEFT's
// adalora.SVDLinear:
//
//	y = x Wᵀ + b + (dropout(x) (A ⊙ E)ᵀ Bᵀ) · lora_alpha / (ranknum + 1e-5)
//
// with A [r, in], E [r, 1], B [out, r] and ranknum fixed at init_r (also after
// pruning, so pruning does not rescale what is left). Names: "lora_A.<name>",
// "lora_E.<name>", "lora_B.<name>", "ranknum.<name>" (PEFT's ParameterDicts).
type SVDLinear struct {
	Base     *nn.Linear
	Triplets map[string]*SVDTriplet

	order  []string
	active string
	merged mergedDeltas
}

// SVDTriplet is one adapter's A, E, B and its fixed ranknum.
type SVDTriplet struct {
	A, E, B  *autograd.Tensor
	Ranknum  *autograd.Tensor // [1], not trained
	Scaling  float32          // lora_alpha
	Dropout  *nn.Dropout
	CurrentR int
}

// addTriplet creates adapter name's triplet of rank r (E zero, A and B
// N(0, 0.02), PEFT's reset_lora_parameters; with init false all N(0, 1) as
// torch.randn leaves them), with ranknum = rankNum.
func (l *SVDLinear) addTriplet(name string, r, rankNum int, alpha float64, p float64, init bool, rng *autograd.RNG) {
	in, out := l.Base.InFeatures, l.Base.OutFeatures
	t := &SVDTriplet{CurrentR: r, Dropout: nn.NewDropout(float32(p), rng), Ranknum: autograd.Full(float32(rankNum), 1)}
	t.Scaling = float32(alpha)
	if alpha <= 0 {
		t.Scaling = float32(r)
	}
	if init {
		t.A = autograd.Normal(rng, 0, 0.02, r, in)
		t.E = autograd.Zeros(r, 1)
		t.B = autograd.Normal(rng, 0, 0.02, out, r)
	} else {
		t.A, t.E, t.B = autograd.RandN(rng, r, in), autograd.RandN(rng, r, 1), autograd.RandN(rng, out, r)
	}
	for _, x := range []*autograd.Tensor{t.A, t.E, t.B} {
		x.SetRequiresGrad(true)
	}
	if _, ok := l.Triplets[name]; !ok {
		l.order = append(l.order, name)
	}
	l.Triplets[name] = t
}

// factor is lora_alpha / (ranknum + 1e-5).
func (t *SVDTriplet) factor() float32 {
	return t.Scaling / (t.Ranknum.Data()[0] + 1e-5)
}

// Forward adds the active triplet's update (a rank-0 triplet adds nothing).
func (l *SVDLinear) Forward(x *autograd.Tensor) *autograd.Tensor {
	y := l.Base.Forward(x)
	t := l.Triplets[l.active]
	if t == nil || t.CurrentR == 0 || l.isMerged(l.active) {
		return y
	}
	h := t.Dropout.Forward(x)
	ae := t.A.Mul(t.E)
	return y.Add(autograd.Linear(autograd.Linear(h, ae, nil), t.B, nil).MulScalar(t.factor()))
}

// DeltaWeight is B (A ⊙ E) · lora_alpha / (ranknum + 1e-5).
func (l *SVDLinear) DeltaWeight(name string) (*autograd.Tensor, error) {
	t := l.Triplets[name]
	if t == nil {
		return nil, fmt.Errorf("peft: layer has no AdaLoRA adapter %q", name)
	}
	if t.CurrentR == 0 {
		return autograd.Zeros(l.Base.OutFeatures, l.Base.InFeatures), nil
	}
	var d *autograd.Tensor
	autograd.NoGrad(func() { d = t.B.MatMul(t.A.Mul(t.E)).MulScalar(t.factor()) })
	return d, nil
}

// merge adds adapter name's update to the base weight in place.
func (l *SVDLinear) merge(name string) error {
	return l.merged.add(l.Base.Weight, name, l.DeltaWeight)
}

// unmerge subtracts every merged update from the base weight again.
func (l *SVDLinear) unmerge() { l.merged.subtractAll(l.Base.Weight, l.DeltaWeight) }

// isMerged reports whether adapter name's update is in the base weight.
func (l *SVDLinear) isMerged(name string) bool { return l.merged.has(name) }

// NamedParameters lists the base, then every adapter's A, B, E and ranknum.
func (l *SVDLinear) NamedParameters(prefix string) []nn.NamedParameter {
	ps := l.Base.NamedParameters(prefix)
	for _, n := range l.order {
		t := l.Triplets[n]
		if t.CurrentR > 0 {
			ps = append(ps,
				nn.NamedParameter{Name: nn.Join(prefix, "lora_A."+n), Tensor: t.A},
				nn.NamedParameter{Name: nn.Join(prefix, "lora_B."+n), Tensor: t.B},
				nn.NamedParameter{Name: nn.Join(prefix, "lora_E."+n), Tensor: t.E})
		}
		ps = append(ps, nn.NamedParameter{Name: nn.Join(prefix, "ranknum."+n), Tensor: t.Ranknum})
	}
	return ps
}

// SetTraining switches the dropout.
func (l *SVDLinear) SetTraining(train bool) {
	for _, t := range l.Triplets {
		t.Dropout.SetTraining(train)
	}
}

// String prints the layer.
func (l *SVDLinear) String() string {
	return fmt.Sprintf("adalora.SVDLinear(%s, adapters=%v, active=%q)", l.Base.ExtraRepr(), l.order, l.active)
}

func (l *SVDLinear) setActive(name string) { l.active = name }

func (l *SVDLinear) removeAdapter(name string) bool {
	if l.isMerged(name) {
		l.unmerge()
	}
	delete(l.Triplets, name)
	l.order = remove(l.order, name)
	if l.active == name {
		l.active = ""
	}
	return len(l.order) == 0
}

func (l *SVDLinear) inner() nn.Layer { return l.Base }

// adapterParams lists A, B, E under PEFT's saved names (no ".weight": they
// are ParameterDict entries); ranknum is not saved (PEFT keeps only "lora_"
// names). A rank-0 triplet saves nothing.
func (l *SVDLinear) adapterParams(name string) []nn.NamedParameter {
	t := l.Triplets[name]
	if t == nil || t.CurrentR == 0 {
		return nil
	}
	return []nn.NamedParameter{{Name: "lora_A", Tensor: t.A}, {Name: "lora_B", Tensor: t.B}, {Name: "lora_E", Tensor: t.E}}
}

// injectAdaLoRA wraps every target nn.Linear in an SVDLinear of rank init_r
// (or, when loading, the rank the file holds) and attaches the allocator.
func (m *Model) injectAdaLoRA(a *adapter, c *AdaLoraConfig) error {
	if c.Bias == "" {
		c.Bias = "none"
	}
	if err := c.validate(); err != nil {
		return err
	}
	init := c.InitLoraWeights != LoraInitRandom
	err := m.wrap(a, fmt.Sprintf("target_modules %v", c.TargetModules), c.TargetModules.Match, func(path string, mod nn.Module) (tunerLayer, error) {
		if !layerAllowed(path, c.LayersToTransform) {
			return nil, nil
		}
		var l *SVDLinear
		switch t := mod.(type) {
		case *SVDLinear:
			l = t
		case *nn.Linear:
			l = &SVDLinear{Base: t, Triplets: map[string]*SVDTriplet{}}
		case tunerLayer:
			return nil, fmt.Errorf("peft: %s already carries a %T adapter; mixing methods on one layer is not supported", path, t)
		default:
			return nil, fmt.Errorf("peft: target module %s is a %T; AdaLoRA supports nn.Linear only", path, mod)
		}
		r := c.InitR
		if n, ok := c.loadRanks[path+".lora_E"]; ok {
			r = n
		}
		l.addTriplet(a.name, r, c.InitR, c.LoraAlpha, c.LoraDropout, init, m.RNG)
		return l, nil
	})
	if err != nil {
		return err
	}
	a.allocator = newRankAllocator(a.name, c, a.layers)
	return nil
}

// orthRegularization is AdaLoRA's R(P, Q): the mean over every A and B of the
// active adapter of ‖A Aᵀ − I‖_F and ‖Bᵀ B − I‖_F, pushing the triplets
// towards an SVD (orthonormal singular vectors).
func (m *Model) orthRegularization(a *adapter) *autograd.Tensor {
	var sum *autograd.Tensor
	n := 0
	for _, l := range a.layers {
		s, ok := l.layer.(*SVDLinear)
		if !ok {
			continue
		}
		t := s.Triplets[a.name]
		if t == nil || t.CurrentR == 0 {
			continue
		}
		for _, cov := range []*autograd.Tensor{t.A.MatMul(t.A.T()), t.B.T().MatMul(t.B)} {
			d := cov.Sub(autograd.Eye(cov.Size(0))).Square().Sum().Sqrt()
			if sum == nil {
				sum = d
			} else {
				sum = sum.Add(d)
			}
			n++
		}
	}
	if sum == nil {
		return autograd.Scalar(0)
	}
	return sum.DivScalar(float32(n))
}

// pruneByRankPattern drops the pruned ranks from a state dict about to be
// saved (PEFT's resize_state_dict_by_rank_pattern): rows of lora_E and lora_A,
// columns of lora_B.
func pruneByRankPattern(sd []nn.NamedParameter, pattern map[string][]bool) ([]nn.NamedParameter, error) {
	out := make([]nn.NamedParameter, 0, len(sd))
	for _, p := range sd {
		path, local := "", ""
		for _, l := range []string{"lora_A", "lora_B", "lora_E"} {
			if q, ok := keyLayer(p.Name, l); ok {
				path, local = q, l
			}
		}
		mask, ok := pattern[path+".lora_E"]
		if path == "" || !ok {
			out = append(out, p)
			continue
		}
		var keep []int
		for i, k := range mask {
			if k {
				keep = append(keep, i)
			}
		}
		axis := 0
		if local == "lora_B" {
			axis = 1
		}
		if len(mask) != p.Tensor.Size(axis) {
			if len(keep) == p.Tensor.Size(axis) {
				out = append(out, p) // already at the pruned size (a loaded adapter)
				continue
			}
			return nil, fmt.Errorf("peft: rank_pattern for %s has %d entries, tensor %s has %d ranks", path, len(mask), p.Name, p.Tensor.Size(axis))
		}
		if len(keep) == 0 {
			continue // rank 0: nothing to save
		}
		var t *autograd.Tensor
		autograd.NoGrad(func() { t = p.Tensor.IndexSelect(axis, keep).Contiguous() })
		out = append(out, nn.NamedParameter{Name: p.Name, Tensor: t})
	}
	return out, nil
}
