package hf

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/turinglab/turinglab/nn"
)

// Every block of both families is an nn.Parent naming its children exactly
// as HF's modules do, so nn.GetModule finds what PyTorch's get_submodule
// finds and nn.ReplaceModule can swap a layer for a PEFT wrapper in place.
// SetChild and NoChild are what their SetChild methods are made of.

// SetChild stores m in *slot if it has the slot's type (an interface such as
// nn.Layer, or a concrete *nn.LayerNorm, *nn.Embedding, ...); otherwise the
// error names the package, the child and both types.
func SetChild[T any](pkg string, slot *T, name string, m nn.Module) error {
	v, ok := m.(T)
	if !ok {
		return fmt.Errorf("%s: child %q must be a %v, got %T", pkg, name, reflect.TypeOf(slot).Elem(), m)
	}
	*slot = v
	return nil
}

// NoChild is the error for a child name a block does not have.
func NoChild(pkg, block, name string, children []nn.NamedModule) error {
	names := make([]string, len(children))
	for i, c := range children {
		names[i] = c.Name
	}
	return fmt.Errorf("%s: %s has no child %q (children: %v)", pkg, block, name, names)
}

// IndexedChildren names the modules of a list by index ("0", "1", ...), as
// torch's ModuleList does (BERT's encoder.layer, GPT-2's h).
func IndexedChildren[T nn.Module](list []T) []nn.NamedModule {
	out := make([]nn.NamedModule, len(list))
	for i, m := range list {
		out[i] = nn.NamedModule{Name: strconv.Itoa(i), Module: m}
	}
	return out
}

// SetIndexed replaces list[i] by m for the child name "i"; the error names
// the package, the list and what was expected.
func SetIndexed[T nn.Module](pkg, list string, l []T, name string, m nn.Module) error {
	i, err := strconv.Atoi(name)
	v, ok := m.(T)
	if err != nil || i < 0 || i >= len(l) || !ok {
		return fmt.Errorf("%s: %s: cannot set child %q to %T (want an index in [0, %d) and a %v)", pkg, list, name, m, len(l), reflect.TypeFor[T]())
	}
	l[i] = v
	return nil
}
