package optim

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// Optimizer updates parameters from their gradients. Step applies one update to
// every parameter that has a gradient; ZeroGrad clears the gradients before the
// next backward pass; ParamGroups exposes the groups so schedules can change
// their learning rates.
type Optimizer interface {
	Step()
	ZeroGrad()
	ParamGroups() []*ParamGroup
}

// ZeroGrad sets the gradient of every parameter to zero in place (keeping the
// buffers, so the next backward pass does not reallocate them), as torch 1.x's
// zero_grad() did. A zeroed gradient is still a gradient: if the next backward
// pass does not reach a parameter, Step still decays it and updates its moments
// with zeros. To skip such parameters entirely, as torch 2's default
// zero_grad(set_to_none=True) does, clear their gradients with p.SetGrad(nil).
func ZeroGrad(params []*autograd.Tensor) {
	for _, p := range params {
		p.ZeroGrad()
	}
}

// setupGroups fills in default learning rates and checks that the groups are
// usable: non-nil, contiguous parameters (updated in place through Data), each
// in only one group (as torch requires).
func setupGroups(op string, groups []*ParamGroup, lr float64) []*ParamGroup {
	seen := map[*autograd.Tensor]string{}
	for gi, g := range groups {
		if g == nil {
			panic(fmt.Sprintf("optim.%s: parameter group %d is nil", op, gi))
		}
		if g.LR == 0 {
			g.LR = lr
		}
		if g.LR < 0 || g.WeightDecay < 0 {
			panic(fmt.Sprintf("optim.%s: group %d has lr %g and weight decay %g; both must be >= 0", op, gi, g.LR, g.WeightDecay))
		}
		if len(g.Names) != 0 && len(g.Names) != len(g.Params) {
			panic(fmt.Sprintf("optim.%s: group %d has %d names for %d parameters", op, gi, len(g.Names), len(g.Params)))
		}
		for i, p := range g.Params {
			name := fmt.Sprintf("group %d parameter %s", gi, g.paramName(i))
			if p == nil {
				panic(fmt.Sprintf("optim.%s: %s is nil", op, name))
			}
			if !p.IsContiguous() {
				panic(fmt.Sprintf("optim.%s: %s (shape %v) is not contiguous; parameters are updated in place", op, name, p.Shape()))
			}
			if other, dup := seen[p]; dup {
				panic(fmt.Sprintf("optim.%s: %s is the same tensor as %s; a parameter may appear in only one group", op, name, other))
			}
			seen[p] = name
		}
	}
	return groups
}

// zeroGroups is the ZeroGrad of every optimizer.
func zeroGroups(groups []*ParamGroup) {
	for _, g := range groups {
		ZeroGrad(g.Params)
	}
}
