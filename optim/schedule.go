package optim

import (
	"fmt"
	"math"
)

// The learning-rate multipliers of HuggingFace transformers' schedules
// (transformers.optimization), as plain functions of the step so notebooks can
// plot them. A schedule's learning rate at step s is initialLR · f(s).

// ConstantFactor is get_constant_schedule: always 1.
func ConstantFactor(step int) float64 { return 1 }

// WarmupFactor is get_constant_schedule_with_warmup: s/warmup during warmup, then 1.
func WarmupFactor(step, warmup int) float64 {
	if step < warmup {
		return float64(step) / float64(max(1, warmup))
	}
	return 1
}

// LinearWarmupFactor is get_linear_schedule_with_warmup: a linear rise from 0 to
// 1 over warmup steps, then a linear fall to 0 at step total.
func LinearWarmupFactor(step, warmup, total int) float64 {
	if step < warmup {
		return float64(step) / float64(max(1, warmup))
	}
	return math.Max(0, float64(total-step)/float64(max(1, total-warmup)))
}

// CosineWarmupFactor is get_cosine_schedule_with_warmup: a linear warmup, then
// 0.5·(1 + cos(π·2·cycles·progress)) where progress goes from 0 to 1 between the
// end of warmup and total. cycles = 0.5 (HF's default) is one half-cosine down to 0.
func CosineWarmupFactor(step, warmup, total int, cycles float64) float64 {
	if step < warmup {
		return float64(step) / float64(max(1, warmup))
	}
	progress := float64(step-warmup) / float64(max(1, total-warmup))
	return math.Max(0, 0.5*(1+math.Cos(math.Pi*cycles*2*progress)))
}

// Scheduler sets each parameter group's learning rate to its initial learning
// rate times a factor of the step count, like torch's LambdaLR (which HF's
// schedules are). Creating it applies step 0; call Step after every optimizer
// step.
type Scheduler struct {
	opt    Optimizer
	factor func(step int) float64
	name   string
	step   int
}

// NewLambdaSchedule attaches factor to opt. Each group's InitialLR is set from
// its current LR the first time a schedule is attached (so a second schedule
// multiplies the same base), and the LR becomes InitialLR·factor(0).
func NewLambdaSchedule(opt Optimizer, factor func(step int) float64) *Scheduler {
	return newScheduler(opt, "LambdaLR", factor)
}

// NewConstantSchedule keeps the learning rate constant.
func NewConstantSchedule(opt Optimizer) *Scheduler {
	return newScheduler(opt, "constant", ConstantFactor)
}

// NewWarmupSchedule warms up linearly over warmup steps, then stays constant.
func NewWarmupSchedule(opt Optimizer, warmup int) *Scheduler {
	checkSteps("NewWarmupSchedule", warmup, warmup)
	return newScheduler(opt, fmt.Sprintf("constant_with_warmup(warmup=%d)", warmup),
		func(s int) float64 { return WarmupFactor(s, warmup) })
}

// NewLinearSchedule warms up over warmup steps, then decays linearly to 0 at total.
func NewLinearSchedule(opt Optimizer, warmup, total int) *Scheduler {
	checkSteps("NewLinearSchedule", warmup, total)
	return newScheduler(opt, fmt.Sprintf("linear(warmup=%d, total=%d)", warmup, total),
		func(s int) float64 { return LinearWarmupFactor(s, warmup, total) })
}

// NewCosineSchedule warms up over warmup steps, then follows a cosine with the
// given number of cycles (0.5: down to 0 at total).
func NewCosineSchedule(opt Optimizer, warmup, total int, cycles float64) *Scheduler {
	checkSteps("NewCosineSchedule", warmup, total)
	return newScheduler(opt, fmt.Sprintf("cosine(warmup=%d, total=%d, cycles=%g)", warmup, total, cycles),
		func(s int) float64 { return CosineWarmupFactor(s, warmup, total, cycles) })
}

func checkSteps(op string, warmup, total int) {
	if warmup < 0 || total < 0 || warmup > total {
		panic(fmt.Sprintf("optim.%s: need 0 <= warmup <= total steps, got warmup %d total %d", op, warmup, total))
	}
}

func newScheduler(opt Optimizer, name string, factor func(int) float64) *Scheduler {
	if opt == nil || factor == nil {
		panic("optim: a schedule needs an optimizer and a factor function")
	}
	for _, g := range opt.ParamGroups() {
		if g.InitialLR == 0 {
			g.InitialLR = g.LR
		}
	}
	s := &Scheduler{opt: opt, factor: factor, name: name}
	s.apply()
	return s
}

// apply sets every group's LR for the current step.
func (s *Scheduler) apply() {
	f := s.factor(s.step)
	for _, g := range s.opt.ParamGroups() {
		g.LR = g.InitialLR * f
	}
}

// Step advances the schedule by one step and updates the learning rates. Call
// it after optimizer.Step, as in torch.
func (s *Scheduler) Step() {
	s.step++
	s.apply()
}

// SetStepCount moves the schedule to a given step (to resume training after
// LoadState restored the optimizer) and updates the learning rates.
func (s *Scheduler) SetStepCount(step int) {
	if step < 0 {
		panic(fmt.Sprintf("optim.Scheduler.SetStepCount: negative step %d", step))
	}
	s.step = step
	s.apply()
}

// StepCount returns how many times Step has been called.
func (s *Scheduler) StepCount() int { return s.step }

// LastLR returns each group's current learning rate (torch's get_last_lr).
func (s *Scheduler) LastLR() []float64 {
	groups := s.opt.ParamGroups()
	lrs := make([]float64, len(groups))
	for i, g := range groups {
		lrs[i] = g.LR
	}
	return lrs
}

// String names the schedule and its position.
func (s *Scheduler) String() string {
	return fmt.Sprintf("Scheduler(%s, step=%d, lr=%v)", s.name, s.step, s.LastLR())
}
