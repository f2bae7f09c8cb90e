package optim

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/safetensors"
)

// Optimizer state files. An optimizer's state (step counts, moment estimates,
// momentum buffers, each group's learning rates) is saved as a safetensors file
// so that training can stop and resume exactly where it was:
//
//	state.<param>.step            I64 scalar   (Adam, AdamW)
//	state.<param>.exp_avg         F32          (Adam, AdamW: m)
//	state.<param>.exp_avg_sq      F32          (Adam, AdamW: v)
//	state.<param>.momentum_buffer F32          (SGD with momentum)
//
// <param> is the parameter's name from its group's Names, or "group<g>.param<i>".
// The header metadata holds the optimizer kind and, per group, lr, initial_lr,
// weight_decay and the number of parameters. Only parameters that have been
// stepped have entries, as in torch.

// stateKey names parameter i of group gi in a state file.
func stateKey(g *ParamGroup, gi, i int) string {
	if i < len(g.Names) && g.Names[i] != "" {
		return g.Names[i]
	}
	return fmt.Sprintf("group%d.param%d", gi, i)
}

// groupMetadata records the optimizer kind and every group's settings.
func groupMetadata(kind string, groups []*ParamGroup) map[string]string {
	meta := map[string]string{"optimizer": kind, "groups": strconv.Itoa(len(groups))}
	for gi, g := range groups {
		p := fmt.Sprintf("group.%d.", gi)
		meta[p+"lr"] = strconv.FormatFloat(g.LR, 'g', -1, 64)
		meta[p+"initial_lr"] = strconv.FormatFloat(g.InitialLR, 'g', -1, 64)
		meta[p+"weight_decay"] = strconv.FormatFloat(g.WeightDecay, 'g', -1, 64)
		meta[p+"params"] = strconv.Itoa(len(g.Params))
	}
	return meta
}

// stateFile is an opened state file being restored into an optimizer.
type stateFile struct {
	path string
	f    *safetensors.File
	used map[string]bool
	// apply writes the saved lr, initial_lr and weight_decay into the groups.
	apply func()
}

// openState opens path and checks that it was saved by an optimizer of the same
// kind with the same groups and that every tensor fits its parameter. Its apply
// restores the groups' settings once the whole file has been read.
func openState(path, kind string, groups []*ParamGroup) (*stateFile, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	m := f.Metadata
	if m["optimizer"] != kind {
		return nil, fmt.Errorf("optim: %s: state of a %q optimizer, loading into %s", path, m["optimizer"], kind)
	}
	if m["groups"] != strconv.Itoa(len(groups)) {
		return nil, fmt.Errorf("optim: %s: state has %s parameter groups, the optimizer has %d", path, m["groups"], len(groups))
	}
	type settings struct{ lr, initial, wd float64 }
	parsed := make([]settings, len(groups))
	for gi, g := range groups {
		p := fmt.Sprintf("group.%d.", gi)
		if m[p+"params"] != strconv.Itoa(len(g.Params)) {
			return nil, fmt.Errorf("optim: %s: group %d has %s parameters in the state, %d in the optimizer", path, gi, m[p+"params"], len(g.Params))
		}
		var s settings
		for _, field := range []struct {
			key string
			dst *float64
		}{{"lr", &s.lr}, {"initial_lr", &s.initial}, {"weight_decay", &s.wd}} {
			v, err := strconv.ParseFloat(m[p+field.key], 64)
			if err != nil {
				return nil, fmt.Errorf("optim: %s: metadata %s%s = %q is not a number", path, p, field.key, m[p+field.key])
			}
			*field.dst = v
		}
		parsed[gi] = s
	}
	sf := &stateFile{path: path, f: f, used: map[string]bool{}}
	// Check every tensor before changing anything.
	for gi, g := range groups {
		for i, p := range g.Params {
			key := stateKey(g, gi, i)
			for _, field := range []string{"exp_avg", "exp_avg_sq", "momentum_buffer"} {
				n := "state." + key + "." + field
				if info, ok := f.Info(n); ok && (info.NumElements() != p.Numel() || !info.DType.IsFloat()) {
					return nil, fmt.Errorf("optim: %s: %s (%s, %d elements) does not fit parameter %s (shape %v, %d elements)", path, n, info.DType, info.NumElements(), key, p.Shape(), p.Numel())
				}
			}
		}
	}
	sf.apply = func() {
		for gi, g := range groups {
			g.LR, g.InitialLR, g.WeightDecay = parsed[gi].lr, parsed[gi].initial, parsed[gi].wd
		}
	}
	return sf, nil
}

// floats returns state.<key>.<field> if present.
func (s *stateFile) floats(key, field string) ([]float32, bool, error) {
	name := "state." + key + "." + field
	if _, ok := s.f.Info(name); !ok {
		return nil, false, nil
	}
	s.used[name] = true
	v, _, err := s.f.Float32(name)
	return v, true, err
}

// step returns state.<key>.step if present.
func (s *stateFile) step(key string) (int, bool, error) {
	name := "state." + key + ".step"
	if _, ok := s.f.Info(name); !ok {
		return 0, false, nil
	}
	s.used[name] = true
	v, _, err := s.f.Int64(name)
	if err != nil || len(v) != 1 {
		return 0, false, fmt.Errorf("optim: %s: %s must be one integer (%v)", s.path, name, err)
	}
	return int(v[0]), true, nil
}

// leftovers reports state entries that matched no parameter.
func (s *stateFile) leftovers() error {
	var extra []string
	for _, n := range s.f.Names() {
		if !s.used[n] {
			extra = append(extra, n)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("optim: %s: state entries match no parameter of the optimizer: %v", s.path, extra)
	}
	return nil
}

// SaveState writes the Adam/AdamW state (steps, moments, group settings) to path.
func (o *Adam) SaveState(path string) error {
	var entries []safetensors.Entry
	for gi, g := range o.groups {
		for i, p := range g.Params {
			st := o.state[p]
			if st == nil {
				continue
			}
			key := "state." + stateKey(g, gi, i)
			entries = append(entries,
				safetensors.I64Entry(key+".step", nil, []int64{int64(st.step)}),
				safetensors.F32Entry(key+".exp_avg", p.Shape(), st.m),
				safetensors.F32Entry(key+".exp_avg_sq", p.Shape(), st.v))
		}
	}
	return safetensors.Save(path, entries, groupMetadata(o.kind(), o.groups))
}

// LoadState restores state saved by SaveState into an optimizer built over the
// same parameter groups (matched by position and name). On error the optimizer
// is unchanged.
func (o *Adam) LoadState(path string) error {
	sf, err := openState(path, o.kind(), o.groups)
	if err != nil {
		return err
	}
	state := map[*autograd.Tensor]*adamState{}
	for gi, g := range o.groups {
		for i, p := range g.Params {
			key := stateKey(g, gi, i)
			step, ok, err := sf.step(key)
			if err != nil {
				return err
			}
			m, okM, errM := sf.floats(key, "exp_avg")
			v, okV, errV := sf.floats(key, "exp_avg_sq")
			if errM != nil || errV != nil {
				return fmt.Errorf("optim: %s: %v %v", path, errM, errV)
			}
			if !ok && !okM && !okV {
				continue
			}
			if !ok || !okM || !okV {
				return fmt.Errorf("optim: %s: parameter %s needs step, exp_avg and exp_avg_sq together", path, key)
			}
			state[p] = &adamState{step: step, m: m, v: v}
		}
	}
	if err := sf.leftovers(); err != nil {
		return err
	}
	o.state = state
	sf.apply()
	return nil
}

func (o *Adam) kind() string {
	if o.Decoupled {
		return "AdamW"
	}
	return "Adam"
}

// SaveState writes the SGD state (momentum buffers, group settings) to path.
func (o *SGD) SaveState(path string) error {
	var entries []safetensors.Entry
	for gi, g := range o.groups {
		for i, p := range g.Params {
			if buf, ok := o.momentum[p]; ok {
				entries = append(entries, safetensors.F32Entry("state."+stateKey(g, gi, i)+".momentum_buffer", p.Shape(), buf))
			}
		}
	}
	return safetensors.Save(path, entries, groupMetadata("SGD", o.groups))
}

// LoadState restores state saved by SaveState into an SGD optimizer built over
// the same parameter groups.
func (o *SGD) LoadState(path string) error {
	sf, err := openState(path, "SGD", o.groups)
	if err != nil {
		return err
	}
	momentum := map[*autograd.Tensor][]float32{}
	for gi, g := range o.groups {
		for i, p := range g.Params {
			buf, ok, err := sf.floats(stateKey(g, gi, i), "momentum_buffer")
			if err != nil {
				return err
			}
			if ok {
				momentum[p] = buf
			}
		}
	}
	if err := sf.leftovers(); err != nil {
		return err
	}
	o.momentum = momentum
	sf.apply()
	return nil
}
