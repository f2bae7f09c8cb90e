package optim

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// TestAdamStateResume: stepping 3 times, saving, and resuming into a fresh
// optimizer gives bit-identical parameters to stepping straight through.
func TestAdamStateResume(t *testing.T) {
	for _, decoupled := range []bool{false, true} {
		mk := func() (*autograd.Tensor, *autograd.Tensor, *Adam) {
			a, b := param(0.5, -1.25, 2), param(3)
			cfg := AdamConfig{LR: 0.01, WeightDecay: 0.1}
			groups := []*ParamGroup{{Params: []*autograd.Tensor{a}, Names: []string{"w"}, WeightDecay: 0.1}, NewGroup([]*autograd.Tensor{b}, 0.02, 0)}
			if decoupled {
				return a, b, NewAdamWGroups(groups, cfg)
			}
			return a, b, NewAdamGroups(groups, cfg)
		}
		a1, b1, o1 := mk()
		s1 := NewLinearSchedule(o1, 1, 10)
		run := func(a, b *autograd.Tensor, o *Adam, s *Scheduler, from, to int) {
			for k := from; k < to; k++ {
				setGrad(a, gradsAt(k, 3))
				if k != 1 { // b has no gradient at step 1: its state must skip it
					setGrad(b, gradsAt(k, 1))
				} else {
					b.SetGrad(nil)
				}
				o.Step()
				s.Step()
			}
		}
		run(a1, b1, o1, s1, 0, 3)
		path := filepath.Join(t.TempDir(), "opt.safetensors")
		if err := o1.SaveState(path); err != nil {
			t.Fatal(err)
		}
		a2, b2, o2 := mk()
		copy(a2.Data(), a1.Data())
		copy(b2.Data(), b1.Data())
		if err := o2.LoadState(path); err != nil {
			t.Fatal(err)
		}
		s2 := NewLinearSchedule(o2, 1, 10)
		s2.SetStepCount(3)
		run(a1, b1, o1, s1, 3, 6)
		run(a2, b2, o2, s2, 3, 6)
		if !a1.AllClose(a2, 0, 0) || !b1.AllClose(b2, 0, 0) {
			t.Errorf("decoupled=%v: resumed %v %v, straight %v %v", decoupled, a2.Data(), b2.Data(), a1.Data(), b1.Data())
		}
		if o2.StepCount(b2) != 5 || o2.StepCount(a2) != 6 {
			t.Errorf("resumed step counts %d %d", o2.StepCount(a2), o2.StepCount(b2))
		}
	}
}

func TestSGDStateResume(t *testing.T) {
	mk := func() (*autograd.Tensor, *SGD) {
		p := param(1, 2)
		return p, NewSGD([]*autograd.Tensor{p}, SGDConfig{LR: 0.1, Momentum: 0.9, Nesterov: true})
	}
	p1, o1 := mk()
	for k := 0; k < 2; k++ {
		setGrad(p1, gradsAt(k, 2))
		o1.Step()
	}
	path := filepath.Join(t.TempDir(), "sgd.safetensors")
	if err := o1.SaveState(path); err != nil {
		t.Fatal(err)
	}
	p2, o2 := mk()
	copy(p2.Data(), p1.Data())
	if err := o2.LoadState(path); err != nil {
		t.Fatal(err)
	}
	for k := 2; k < 4; k++ {
		setGrad(p1, gradsAt(k, 2))
		o1.Step()
		setGrad(p2, gradsAt(k, 2))
		o2.Step()
	}
	if !p1.AllClose(p2, 0, 0) {
		t.Errorf("resumed %v, straight %v", p2.Data(), p1.Data())
	}
}

func TestLoadStateErrors(t *testing.T) {
	dir := t.TempDir()
	p := param(1, 2)
	adam := NewAdamW([]*autograd.Tensor{p}, AdamConfig{LR: 0.1})
	setGrad(p, []float64{1, 1})
	adam.Step()
	path := filepath.Join(dir, "adamw.safetensors")
	if err := adam.SaveState(path); err != nil {
		t.Fatal(err)
	}
	if err := NewAdam([]*autograd.Tensor{param(1, 2)}, AdamConfig{LR: 0.1}).LoadState(path); err == nil || !strings.Contains(err.Error(), `"AdamW" optimizer, loading into Adam`) {
		t.Errorf("kind mismatch: %v", err)
	}
	if err := NewAdamW([]*autograd.Tensor{param(1, 2, 3)}, AdamConfig{LR: 0.1}).LoadState(path); err == nil || !strings.Contains(err.Error(), "state.group0.param0.exp_avg (F32, 2 elements) does not fit parameter group0.param0 (shape [3], 3 elements)") {
		t.Errorf("shape mismatch: %v", err)
	}
	if err := NewAdamW([]*autograd.Tensor{param(1, 2), param(3)}, AdamConfig{LR: 0.1}).LoadState(path); err == nil || !strings.Contains(err.Error(), "group 0 has 1 parameters in the state, 2 in the optimizer") {
		t.Errorf("count mismatch: %v", err)
	}
	if err := NewSGD([]*autograd.Tensor{param(1, 2)}, SGDConfig{LR: 0.1}).LoadState(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file loaded")
	}
}
