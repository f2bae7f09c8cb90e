package peft

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// LoraLinear is a frozen affine layer with one low-rank branch per named
// adapter (PEFT's lora.Linear). Only the active adapter's branch runs:
//
//	y = base(x) + scaling · (dropout(x) Aᵀ) Bᵀ
//
// The base is an *nn.Linear in Base (y = x Wᵀ + b, W [out, in]) or, for
// GPT-2, an *nn.Conv1D in Conv with FanInFanOut set (y = x W + b, W [in,
// out]; Base is then nil). PEFT too has one lora.Linear for both: A and B
// have the same shapes either way, and only a merge transposes the update
// B A into the Conv1D layout (fan_in_fan_out).
//
// Its parameters are the base layer's "weight" and "bias" (under their original
// names, so a base checkpoint still loads into the wrapped model) and, per
// adapter, "lora_A.<name>.weight" [r, in] and "lora_B.<name>.weight" [out, r],
// PEFT's names.
type LoraLinear struct {
	Base        *nn.Linear // the wrapped Linear (nil when Conv is set)
	Conv        *nn.Conv1D // the wrapped Conv1D (GPT-2), with FanInFanOut
	FanInFanOut bool       // the base weight is [in, out] (Conv1D)
	Branches    map[string]*LoraBranch

	order  []string     // adapter names in the order they were added
	active string       // the adapter whose branch runs ("" = none)
	merged mergedDeltas // adapters currently merged into Base.Weight
}

// LoraBranch is one adapter's low-rank update of a layer.
type LoraBranch struct {
	A, B    *autograd.Tensor // [r, in], [out, r]
	R       int
	Scaling float32
	Dropout *nn.Dropout
}

// newLoraLinear wraps base, an *nn.Linear or *nn.Conv1D (no branches yet).
func newLoraLinear(base nn.Layer) *LoraLinear {
	l := &LoraLinear{Branches: map[string]*LoraBranch{}}
	switch b := base.(type) {
	case *nn.Linear:
		l.Base = b
	case *nn.Conv1D:
		l.Conv, l.FanInFanOut = b, true
	}
	return l
}

// addBranch creates adapter name's branch with rank r, scaling and dropout p,
// initialised as init says: A kaiming-uniform(a=√5) = U(−1/√in, 1/√in) or
// N(0, 1/r), B zero (PEFT's reset_lora_parameters); "false" draws B like A too.
func (l *LoraLinear) addBranch(name string, r int, scaling float64, p float64, init LoraInit, rng *autograd.RNG) {
	in, out := l.weights().in, l.weights().out
	br := &LoraBranch{R: r, Scaling: float32(scaling), Dropout: nn.NewDropout(float32(p), rng)}
	bound := float32(1 / math.Sqrt(float64(in)))
	switch init {
	case LoraInitGaussian:
		br.A = autograd.Normal(rng, 0, float32(1/float64(r)), r, in)
	default:
		br.A = autograd.Uniform(rng, -bound, bound, r, in)
	}
	if init == LoraInitRandom {
		bb := float32(1 / math.Sqrt(float64(r)))
		br.B = autograd.Uniform(rng, -bb, bb, out, r)
	} else {
		br.B = autograd.Zeros(out, r)
	}
	br.A.SetRequiresGrad(true)
	br.B.SetRequiresGrad(true)
	if _, ok := l.Branches[name]; !ok {
		l.order = append(l.order, name)
	}
	l.Branches[name] = br
}

// Forward computes the base layer plus the active branch (unless it is merged
// into the weight already).
func (l *LoraLinear) Forward(x *autograd.Tensor) *autograd.Tensor {
	y := l.inner().Forward(x)
	br := l.Branches[l.active]
	if br == nil || l.isMerged(l.active) {
		return y
	}
	h := br.Dropout.Forward(x)
	delta := autograd.Linear(autograd.Linear(h, br.A, nil), br.B, nil)
	return y.Add(delta.MulScalar(br.Scaling))
}

// DeltaWeight is the update a merge adds to the base weight: scaling · B A
// [out, in], transposed to [in, out] with FanInFanOut (PEFT's
// get_delta_weight: transpose(B @ A, fan_in_fan_out) · scaling).
func (l *LoraLinear) DeltaWeight(name string) (*autograd.Tensor, error) {
	br := l.Branches[name]
	if br == nil {
		return nil, fmt.Errorf("peft: layer has no LoRA adapter %q (has %v)", name, l.order)
	}
	var d *autograd.Tensor
	autograd.NoGrad(func() {
		d = br.B.MatMul(br.A)
		if l.FanInFanOut {
			d = d.Transpose(0, 1).Contiguous()
		}
		d = d.MulScalar(br.Scaling)
	})
	return d, nil
}

// merge adds adapter name's update to the base weight in place.
func (l *LoraLinear) merge(name string) error {
	return l.merged.add(l.weights().weight, name, l.DeltaWeight)
}

// unmerge subtracts every merged update from the base weight again.
func (l *LoraLinear) unmerge() { l.merged.subtractAll(l.weights().weight, l.DeltaWeight) }

// isMerged reports whether adapter name's update is in the base weight.
func (l *LoraLinear) isMerged(name string) bool { return l.merged.has(name) }

// NamedParameters lists the base weight and bias, then each adapter's A and B
// under PEFT's names.
func (l *LoraLinear) NamedParameters(prefix string) []nn.NamedParameter {
	ps := l.inner().NamedParameters(prefix)
	for _, n := range l.order {
		br := l.Branches[n]
		ps = append(ps,
			nn.NamedParameter{Name: nn.Join(prefix, "lora_A."+n+".weight"), Tensor: br.A},
			nn.NamedParameter{Name: nn.Join(prefix, "lora_B."+n+".weight"), Tensor: br.B})
	}
	return ps
}

// SetTraining switches the branches' dropout.
func (l *LoraLinear) SetTraining(train bool) {
	for _, br := range l.Branches {
		br.Dropout.SetTraining(train)
	}
}

// String prints the layer as PEFT's repr does, roughly.
func (l *LoraLinear) String() string {
	return fmt.Sprintf("lora.Linear(%s, fan_in_fan_out=%v, adapters=%v, active=%q, merged=%v)", extraRepr(l.inner()), l.FanInFanOut, l.order, l.active, l.merged)
}

// setActive makes adapter name's branch run ("" or an unknown name: none).
func (l *LoraLinear) setActive(name string) { l.active = name }

// removeAdapter deletes adapter name's branch (unmerging first) and reports
// whether none is left.
func (l *LoraLinear) removeAdapter(name string) bool {
	if l.isMerged(name) {
		l.unmerge()
	}
	delete(l.Branches, name)
	l.order = remove(l.order, name)
	if l.active == name {
		l.active = ""
	}
	return len(l.order) == 0
}

// inner is the wrapped layer, put back when the last adapter goes.
func (l *LoraLinear) inner() nn.Layer {
	if l.Conv != nil {
		return l.Conv
	}
	return l.Base
}

// adapterParams lists adapter name's tensors under their saved (PEFT) local
// names, without the adapter name.
func (l *LoraLinear) adapterParams(name string) []nn.NamedParameter {
	br := l.Branches[name]
	if br == nil {
		return nil
	}
	return []nn.NamedParameter{{Name: "lora_A.weight", Tensor: br.A}, {Name: "lora_B.weight", Tensor: br.B}}
}

// remove returns list without s.
func remove(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
