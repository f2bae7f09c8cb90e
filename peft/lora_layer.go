package peft

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// LoraLinear is a frozen nn.Linear with one low-rank branch per named adapter
// (PEFT's lora.Linear). Only the active adapter's branch runs:
//
//	y = x Wᵀ + b + scaling · (dropout(x) Aᵀ) Bᵀ
//
// Its parameters are the base layer's "weight" and "bias" (under their original
// names, so a base checkpoint still loads into the wrapped model) and, per
// adapter, "lora_A.<name>.weight" [r, in] and "lora_B.<name>.weight" [out, r],
// PEFT's names.
type LoraLinear struct {
	Base     *nn.Linear
	Branches map[string]*LoraBranch

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

// newLoraLinear wraps base (no branches yet).
func newLoraLinear(base *nn.Linear) *LoraLinear {
	return &LoraLinear{Base: base, Branches: map[string]*LoraBranch{}}
}

// addBranch creates adapter name's branch with rank r, scaling and dropout p,
// initialised as init says: A kaiming-uniform(a=√5) = U(−1/√in, 1/√in) or
// N(0, 1/r), B zero (PEFT's reset_lora_parameters); "false" draws B like A too.
func (l *LoraLinear) addBranch(name string, r int, scaling float64, p float64, init LoraInit, rng *autograd.RNG) {
	in, out := l.Base.InFeatures, l.Base.OutFeatures
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
	y := l.Base.Forward(x)
	br := l.Branches[l.active]
	if br == nil || l.isMerged(l.active) {
		return y
	}
	h := br.Dropout.Forward(x)
	delta := autograd.Linear(autograd.Linear(h, br.A, nil), br.B, nil)
	return y.Add(delta.MulScalar(br.Scaling))
}

// DeltaWeight is scaling · B A [out, in], the update a merge adds to W.
func (l *LoraLinear) DeltaWeight(name string) (*autograd.Tensor, error) {
	br := l.Branches[name]
	if br == nil {
		return nil, fmt.Errorf("peft: layer has no LoRA adapter %q (has %v)", name, l.order)
	}
	var d *autograd.Tensor
	autograd.NoGrad(func() { d = br.B.MatMul(br.A).MulScalar(br.Scaling) })
	return d, nil
}

// merge adds adapter name's update to the base weight in place.
func (l *LoraLinear) merge(name string) error {
	return l.merged.add(l.Base.Weight, name, l.DeltaWeight)
}

// unmerge subtracts every merged update from the base weight again.
func (l *LoraLinear) unmerge() { l.merged.subtractAll(l.Base.Weight, l.DeltaWeight) }

// isMerged reports whether adapter name's update is in the base weight.
func (l *LoraLinear) isMerged(name string) bool { return l.merged.has(name) }

// NamedParameters lists the base weight and bias, then each adapter's A and B
// under PEFT's names.
func (l *LoraLinear) NamedParameters(prefix string) []nn.NamedParameter {
	ps := l.Base.NamedParameters(prefix)
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
	return fmt.Sprintf("lora.Linear(%s, adapters=%v, active=%q, merged=%v)", l.Base.ExtraRepr(), l.order, l.active, l.merged)
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
func (l *LoraLinear) inner() nn.Layer { return l.Base }

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
