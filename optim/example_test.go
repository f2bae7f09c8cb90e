package optim_test

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
)

// The usual fine-tuning recipe: AdamW with HF's no-decay groups, a linear
// warmup-then-decay schedule and gradient clipping, here fitting y = 3x − 1.
func Example() {
	rng := autograd.NewRNG(1)
	model := nn.NewLinear(1, 1, true, rng)
	x := autograd.Uniform(rng, -1, 1, 64, 1)
	y := x.MulScalar(3).AddScalar(-1)

	groups := optim.DecayGroups(model.NamedParameters(""), 0.01)
	opt := optim.NewAdamWGroups(groups, optim.AdamConfig{LR: 0.1})
	sched := optim.NewLinearSchedule(opt, 10, 300)
	for step := 0; step < 300; step++ {
		opt.ZeroGrad()
		loss := model.Forward(x).Sub(y).Square().Mean()
		loss.Backward()
		optim.ClipGradNorm(nn.Parameters(model), 1.0)
		opt.Step()
		sched.Step()
	}
	fmt.Printf("weight %.1f bias %.1f\n", model.Weight.Item(), model.Bias.Item())
	fmt.Println("groups:", groups[0].Names, groups[1].Names)
	fmt.Println("final lr:", sched.LastLR())
	// Output:
	// weight 3.0 bias -1.0
	// groups: [weight] [bias]
	// final lr: [0 0]
}
