package nn

import (
	"fmt"
	"strconv"

	"github.com/turinglab/turinglab/autograd"
)

// ModuleList holds modules under the names "0", "1", "2", ... as torch's
// nn.ModuleList does, so BERT's encoder layers are "encoder.layer.0...",
// "encoder.layer.1..." and so on.
type ModuleList struct {
	items []Module
}

// NewModuleList makes a list of the given modules.
func NewModuleList(modules ...Module) *ModuleList {
	for i, m := range modules {
		if m == nil {
			panic(fmt.Sprintf("nn.NewModuleList: module %d is nil", i))
		}
	}
	return &ModuleList{items: append([]Module(nil), modules...)}
}

// Append adds a module at the end (named by its index).
func (l *ModuleList) Append(m Module) {
	if m == nil {
		panic("nn.ModuleList.Append: module is nil")
	}
	l.items = append(l.items, m)
}

// Len returns the number of modules.
func (l *ModuleList) Len() int { return len(l.items) }

// At returns module i.
func (l *ModuleList) At(i int) Module {
	if i < 0 || i >= len(l.items) {
		panic(fmt.Sprintf("nn.ModuleList.At: index %d out of range for a list of %d modules", i, len(l.items)))
	}
	return l.items[i]
}

// Children names the modules "0", "1", ...
func (l *ModuleList) Children() []NamedModule {
	out := make([]NamedModule, len(l.items))
	for i, m := range l.items {
		out[i] = NamedModule{Name: strconv.Itoa(i), Module: m}
	}
	return out
}

// SetChild replaces the module at the index spelled by name.
func (l *ModuleList) SetChild(name string, m Module) error {
	i, err := strconv.Atoi(name)
	if err != nil || i < 0 || i >= len(l.items) || strconv.Itoa(i) != name {
		return fmt.Errorf("ModuleList of %d modules has no child %q", len(l.items), name)
	}
	if m == nil {
		return fmt.Errorf("ModuleList: cannot set child %q to nil", name)
	}
	l.items[i] = m
	return nil
}

// NamedParameters returns the parameters of every module, prefixed by its index.
func (l *ModuleList) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, l.Children())
}

// SetTraining sets the mode of every module.
func (l *ModuleList) SetTraining(train bool) { SetChildrenTraining(l.Children(), train) }

// String prints the list as torch does.
func (l *ModuleList) String() string { return Repr(l) }

// Sequential chains Layers: Forward feeds each layer's output to the next.
// Children are named "0", "1", ... as in torch's nn.Sequential.
type Sequential struct {
	layers []Layer
}

// NewSequential chains the given layers, e.g.
// NewSequential(NewLinear(2, 8, true, rng), NewReLU(), NewLinear(8, 1, true, rng)).
func NewSequential(layers ...Layer) *Sequential {
	for i, m := range layers {
		if m == nil {
			panic(fmt.Sprintf("nn.NewSequential: layer %d is nil", i))
		}
	}
	return &Sequential{layers: append([]Layer(nil), layers...)}
}

// Forward applies the layers in order.
func (s *Sequential) Forward(x *autograd.Tensor) *autograd.Tensor {
	for _, l := range s.layers {
		x = l.Forward(x)
	}
	return x
}

// Len returns the number of layers.
func (s *Sequential) Len() int { return len(s.layers) }

// At returns layer i.
func (s *Sequential) At(i int) Layer {
	if i < 0 || i >= len(s.layers) {
		panic(fmt.Sprintf("nn.Sequential.At: index %d out of range for %d layers", i, len(s.layers)))
	}
	return s.layers[i]
}

// Children names the layers "0", "1", ...
func (s *Sequential) Children() []NamedModule {
	out := make([]NamedModule, len(s.layers))
	for i, m := range s.layers {
		out[i] = NamedModule{Name: strconv.Itoa(i), Module: m}
	}
	return out
}

// SetChild replaces the layer at the index spelled by name; m must be a Layer.
func (s *Sequential) SetChild(name string, m Module) error {
	i, err := strconv.Atoi(name)
	if err != nil || i < 0 || i >= len(s.layers) || strconv.Itoa(i) != name {
		return fmt.Errorf("Sequential of %d layers has no child %q", len(s.layers), name)
	}
	l, ok := m.(Layer)
	if !ok || l == nil {
		return fmt.Errorf("Sequential child %q must be a Layer (with Forward), got %T", name, m)
	}
	s.layers[i] = l
	return nil
}

// NamedParameters returns the parameters of every layer, prefixed by its index.
func (s *Sequential) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, s.Children())
}

// SetTraining sets the mode of every layer.
func (s *Sequential) SetTraining(train bool) { SetChildrenTraining(s.Children(), train) }

// String prints the chain as torch does.
func (s *Sequential) String() string { return Repr(s) }
