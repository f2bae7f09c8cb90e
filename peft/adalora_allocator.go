package peft

import (
	"fmt"
	"math"
	"sort"

	"github.com/turinglab/turinglab/autograd"
)

// RankAllocator is AdaLoRA's budget allocator (PEFT's RankAllocator). After
// every optimizer step it
//
//  1. scores every entry of A, E and B by its importance I = |θ · ∂L/∂θ|,
//     smoothed by a sensitivity EMA Ī ← β1 Ī + (1−β1) I and an uncertainty
//     EMA Ū ← β2 Ū + (1−β2) |I − Ī|; an entry's score is Ī · Ū;
//  2. scores each singular value k of a matrix as score(E_k) + mean of row k
//     of A's scores + mean of column k of B's scores;
//  3. computes the budget (total rank over all matrices) for this step: the
//     full init_r per matrix until tinit, then a cubic decrease to target_r
//     per matrix at total_step − tfinal, and the final budget afterwards;
//  4. every deltaT steps (and at the end of the schedule) zeroes the E
//     entries whose score is among the lowest (init_budget − budget),
//     recording which ones survive in the config's rank_pattern.
//
// Model.AllocatorStep calls it, and NewTrainer installs that as a
// train.StepHook, so users need not.
type RankAllocator struct {
	Config *AdaLoraConfig
	// Budgets records the budget of every step seen, for plotting the
	// schedule.
	Budgets []int

	name      string
	layers    []adapterLayer
	initBgt   int
	targetBgt int
	ipt       map[*autograd.Tensor]*importance
}

// importance is the EMA state of one parameter tensor.
type importance struct{ avg, unc []float64 }

// newRankAllocator sets the budgets from the adapter's layers.
func newRankAllocator(name string, c *AdaLoraConfig, layers []adapterLayer) *RankAllocator {
	r := &RankAllocator{Config: c, name: name, layers: layers, ipt: map[*autograd.Tensor]*importance{}}
	for _, l := range layers {
		if s, ok := l.layer.(*SVDLinear); ok && s.Triplets[name] != nil {
			r.initBgt += s.Triplets[name].CurrentR // PEFT: the rows of every lora_A
			r.targetBgt += c.TargetR
		}
	}
	return r
}

// BudgetSchedule returns the total rank budget at a (0-based) step and whether
// masking happens then (PEFT's budget_schedule).
func (r *RankAllocator) BudgetSchedule(step int) (budget int, mask bool) {
	c := r.Config
	switch {
	case step <= c.Tinit:
		return r.initBgt, false
	case step > c.TotalStep-c.Tfinal:
		return r.targetBgt, true
	}
	mul := 1 - float64(step-c.Tinit)/float64(c.TotalStep-c.Tfinal-c.Tinit)
	budget = int(float64(r.initBgt-r.targetBgt)*mul*mul*mul + float64(r.targetBgt))
	return budget, step%c.DeltaT == 0
}

// triplets returns the adapter's SVD triplets with their module paths.
func (r *RankAllocator) triplets() ([]string, []*SVDTriplet) {
	var paths []string
	var ts []*SVDTriplet
	for _, l := range r.layers {
		if s, ok := l.layer.(*SVDLinear); ok {
			if t := s.Triplets[r.name]; t != nil {
				paths = append(paths, l.path)
				ts = append(ts, t)
			}
		}
	}
	return paths, ts
}

// updateImportance folds the current |θ·∇θ| into the EMAs.
func (r *RankAllocator) updateImportance() {
	b1, b2 := r.Config.Beta1, r.Config.Beta2
	_, ts := r.triplets()
	for _, t := range ts {
		if t.CurrentR == 0 {
			continue
		}
		for _, p := range []*autograd.Tensor{t.A, t.E, t.B} {
			g := p.Grad()
			if g == nil {
				continue
			}
			st := r.ipt[p]
			if st == nil {
				st = &importance{avg: make([]float64, p.Numel()), unc: make([]float64, p.Numel())}
				r.ipt[p] = st
			}
			pv, gv := p.Data(), g.Data()
			for i := range pv {
				ipt := math.Abs(float64(pv[i]) * float64(gv[i]))
				st.avg[i] = b1*st.avg[i] + (1-b1)*ipt
				st.unc[i] = b2*st.unc[i] + (1-b2)*math.Abs(ipt-st.avg[i])
			}
		}
	}
}

// score is Ī·Ū of entry i of p (0 before any update).
func (r *RankAllocator) score(p *autograd.Tensor, i int) float64 {
	st := r.ipt[p]
	if st == nil {
		return 0
	}
	return st.avg[i] * st.unc[i]
}

// tripletScores returns each singular value's combined score.
func (r *RankAllocator) tripletScores(t *SVDTriplet) []float64 {
	rk := t.CurrentR
	in, out := t.A.Size(1), t.B.Size(0)
	s := make([]float64, rk)
	for k := 0; k < rk; k++ {
		a, b := 0.0, 0.0
		for j := 0; j < in; j++ {
			a += r.score(t.A, k*in+j)
		}
		for j := 0; j < out; j++ {
			b += r.score(t.B, j*rk+k)
		}
		s[k] = r.score(t.E, k) + a/float64(in) + b/float64(out)
	}
	return s
}

// maskToBudget zeroes the lowest-scoring singular values so that budget
// remain (ties at the threshold are all masked, as PEFT's "<= threshold"),
// and returns the rank pattern.
func (r *RankAllocator) maskToBudget(budget int) map[string][]bool {
	paths, ts := r.triplets()
	scores := make([][]float64, len(ts))
	var all []float64
	for i, t := range ts {
		scores[i] = r.tripletScores(t)
		all = append(all, scores[i]...)
	}
	k := r.initBgt - budget
	threshold := math.Inf(-1)
	if k > 0 && k <= len(all) {
		sorted := append([]float64(nil), all...)
		sort.Float64s(sorted)
		threshold = sorted[k-1] // torch.kthvalue: the k-th smallest
	}
	pattern := map[string][]bool{}
	for i, t := range ts {
		keep := make([]bool, t.CurrentR)
		e := t.E.Data()
		for j, s := range scores[i] {
			keep[j] = !(s <= threshold)
			if !keep[j] {
				e[j] = 0
			}
		}
		pattern[paths[i]+".lora_E"] = keep
	}
	return pattern
}

// maskWithPattern zeroes the E entries the rank pattern drops (after the
// schedule ends, every step, so the optimizer cannot revive them).
func (r *RankAllocator) maskWithPattern(pattern map[string][]bool) {
	paths, ts := r.triplets()
	for i, t := range ts {
		keep, ok := pattern[paths[i]+".lora_E"]
		if !ok || len(keep) != t.CurrentR {
			continue
		}
		e := t.E.Data()
		for j, k := range keep {
			if !k {
				e[j] = 0
			}
		}
	}
}

// Step runs the allocator after the optimizer step numbered globalStep
// (0-based, PEFT's update_and_allocate(global_step)); gradients must still be
// present.
func (r *RankAllocator) Step(globalStep int) {
	c := r.Config
	end := c.TotalStep - c.Tfinal
	budget, mask := r.BudgetSchedule(globalStep)
	r.Budgets = append(r.Budgets, budget)
	switch {
	case globalStep < end:
		r.updateImportance()
		if mask {
			c.RankPattern = r.maskToBudget(budget)
		}
	case globalStep == end:
		r.updateImportance()
		c.RankPattern = r.maskToBudget(budget)
		r.ipt = map[*autograd.Tensor]*importance{}
	default:
		r.maskWithPattern(c.RankPattern)
	}
}

// RankPattern returns the current rank of every adapted matrix (the number of
// unmasked singular values), by module path.
func (r *RankAllocator) RankPattern() map[string]int {
	paths, ts := r.triplets()
	out := map[string]int{}
	for i, t := range ts {
		n := t.CurrentR
		if keep, ok := r.Config.RankPattern[paths[i]+".lora_E"]; ok {
			n = 0
			for _, k := range keep {
				if k {
					n++
				}
			}
		}
		out[paths[i]] = n
	}
	return out
}

// AllocatorStep runs the active AdaLoRA adapter's allocator after optimizer
// step number step (1-based, as train.StepInfo counts; PEFT's global_step is
// step−1). It does nothing for other methods.
func (m *Model) AllocatorStep(step int) error {
	a := m.adapters[m.active]
	if a == nil || a.allocator == nil {
		return nil
	}
	if step < 1 {
		return fmt.Errorf("peft: AllocatorStep: step %d, want >= 1", step)
	}
	a.allocator.Step(step - 1)
	return nil
}

// Allocator returns adapter name's rank allocator (nil unless AdaLoRA).
func (m *Model) Allocator(name string) *RankAllocator {
	if a := m.adapters[name]; a != nil {
		return a.allocator
	}
	return nil
}
