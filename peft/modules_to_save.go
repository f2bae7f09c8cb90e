package peft

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ModulesToSave keeps a module (typically the classification head) trained and
// saved with each adapter, PEFT's ModulesToSaveWrapper: the original layer
// stays as it was, every adapter gets its own trainable copy, and the active
// adapter's copy runs (the original when adapters are disabled). Without it a
// fine-tuned head would be lost when only the adapter file is shipped.
// Parameter names are PEFT's: "original_module.weight",
// "modules_to_save.<name>.weight".
type ModulesToSave struct {
	Original *nn.Linear
	Copies   map[string]*nn.Linear

	order  []string
	active string
}

// newModulesToSave wraps a head, which must be an nn.Linear.
func newModulesToSave(path string, m nn.Module) (*ModulesToSave, error) {
	lin, ok := m.(*nn.Linear)
	if !ok {
		return nil, fmt.Errorf("peft: modules_to_save: %s is a %T; only nn.Linear heads are supported", path, m)
	}
	return &ModulesToSave{Original: lin, Copies: map[string]*nn.Linear{}}, nil
}

// addCopy gives adapter name its own copy of the original weights.
func (w *ModulesToSave) addCopy(name string) {
	var c *nn.Linear
	autograd.NoGrad(func() {
		var b *autograd.Tensor
		if w.Original.Bias != nil {
			b = w.Original.Bias.Clone().Detach()
		}
		c = nn.LinearFrom(w.Original.Weight.Clone().Detach(), b)
	})
	if _, ok := w.Copies[name]; !ok {
		w.order = append(w.order, name)
	}
	w.Copies[name] = c
}

// Forward runs the active adapter's copy, or the original.
func (w *ModulesToSave) Forward(x *autograd.Tensor) *autograd.Tensor {
	if c := w.Copies[w.active]; c != nil {
		return c.Forward(x)
	}
	return w.Original.Forward(x)
}

// NamedParameters lists the original under "original_module" and each copy
// under "modules_to_save.<name>".
func (w *ModulesToSave) NamedParameters(prefix string) []nn.NamedParameter {
	ps := w.Original.NamedParameters(nn.Join(prefix, "original_module"))
	for _, n := range w.order {
		ps = append(ps, w.Copies[n].NamedParameters(nn.Join(prefix, "modules_to_save."+n))...)
	}
	return ps
}

// SetTraining does nothing (a Linear has no mode).
func (w *ModulesToSave) SetTraining(bool) {}

// String prints the wrapper.
func (w *ModulesToSave) String() string {
	return fmt.Sprintf("ModulesToSaveWrapper(%s, adapters=%v, active=%q)", w.Original.ExtraRepr(), w.order, w.active)
}

// setActive selects the copy that runs ("" = the original).
func (w *ModulesToSave) setActive(name string) { w.active = name }

// removeAdapter drops adapter name's copy and reports whether none is left.
func (w *ModulesToSave) removeAdapter(name string) bool {
	delete(w.Copies, name)
	w.order = remove(w.order, name)
	if w.active == name {
		w.active = ""
	}
	return len(w.order) == 0
}

// inner is the original head, put back when the last adapter goes.
func (w *ModulesToSave) inner() nn.Layer { return w.Original }

// adapterParams lists adapter name's copy as "weight" and "bias": PEFT saves
// it as base_model.model.<path>.weight, in place of the original.
func (w *ModulesToSave) adapterParams(name string) []nn.NamedParameter {
	if c := w.Copies[name]; c != nil {
		return c.NamedParameters("")
	}
	return nil
}
