package nn

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// Module is anything with trainable parameters and a train/eval mode: a layer,
// a block of layers, a whole model, a PEFT wrapper.
//
// NamedParameters returns the module's parameters (its own, then its children's)
// in a fixed order, each named prefix + "." + local name, where the local name of
// a child's parameter is the child's name, a dot, and the name inside the child.
// With prefix "" the names are the model's state-dict keys.
//
// SetTraining switches the module and all its children between training mode
// (dropout active) and evaluation mode. New modules start in training mode, as in torch.
type Module interface {
	NamedParameters(prefix string) []NamedParameter
	SetTraining(train bool)
}

// NamedParameter is one parameter tensor with its full dotted name.
type NamedParameter struct {
	Name   string
	Tensor *autograd.Tensor
}

// Layer is a Module that maps one tensor to one tensor: Linear, LayerNorm,
// Dropout, activations, a LoRA-wrapped Linear. Sequential chains Layers.
type Layer interface {
	Module
	Forward(x *autograd.Tensor) *autograd.Tensor
}

// NamedModule is a child module with its local name ("query", "0", "encoder").
type NamedModule struct {
	Name   string
	Module Module
}

// Parent is a Module made of named child modules. Implementing it lets generic
// code walk a model (NamedModules, GetModule) and replace a child in place by name
// (ReplaceModule), which is how PEFT swaps a Linear for a LoRA Linear.
//
// A typical composite module implements NamedParameters with ChildParameters and
// SetTraining with SetChildrenTraining, so only Children and SetChild are its own.
type Parent interface {
	Module
	// Children returns the direct children in a fixed order.
	Children() []NamedModule
	// SetChild replaces the direct child called name; it returns an error if
	// there is no such child or m has the wrong type for that slot.
	SetChild(name string, m Module) error
}

// Join builds a dotted name: Join("encoder", "layer") = "encoder.layer",
// Join("", "weight") = "weight".
func Join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	if name == "" {
		return prefix
	}
	return prefix + "." + name
}

// ChildParameters returns the parameters of children, each child's named
// Join(prefix, child name): the usual NamedParameters of a Parent.
func ChildParameters(prefix string, children []NamedModule) []NamedParameter {
	var out []NamedParameter
	for _, c := range children {
		if c.Module == nil {
			continue
		}
		out = append(out, c.Module.NamedParameters(Join(prefix, c.Name))...)
	}
	return out
}

// SetChildrenTraining calls SetTraining on every child: the usual SetTraining of a Parent.
func SetChildrenTraining(children []NamedModule, train bool) {
	for _, c := range children {
		if c.Module != nil {
			c.Module.SetTraining(train)
		}
	}
}

// Train puts m in training mode (dropout on).
func Train(m Module) { m.SetTraining(true) }

// Eval puts m in evaluation mode (dropout off).
func Eval(m Module) { m.SetTraining(false) }

// Parameters returns the distinct parameter tensors of m in order (a tensor
// listed under two names, such as tied weights, appears once) — what an
// optimizer takes.
func Parameters(m Module) []*autograd.Tensor {
	var out []*autograd.Tensor
	seen := map[*autograd.Tensor]bool{}
	for _, p := range m.NamedParameters("") {
		if !seen[p.Tensor] {
			seen[p.Tensor] = true
			out = append(out, p.Tensor)
		}
	}
	return out
}

// TrainableTensors is Parameters restricted to tensors that require
// gradients: what an optimizer should update. (CountParameters counts them.)
func TrainableTensors(m Module) []*autograd.Tensor {
	var out []*autograd.Tensor
	for _, p := range Parameters(m) {
		if p.RequiresGrad() {
			out = append(out, p)
		}
	}
	return out
}

// CountParameters returns the number of scalar parameters of m that require
// gradients and of all of them (tied tensors counted once), in PEFT's order
// (get_nb_trainable_parameters, peft.Model.TrainableParameters): trainable
// first.
func CountParameters(m Module) (trainable, all int) {
	for _, p := range Parameters(m) {
		all += p.Numel()
		if p.RequiresGrad() {
			trainable += p.Numel()
		}
	}
	return trainable, all
}

// Freeze stops gradient tracking for every parameter of m (a frozen base model).
func Freeze(m Module) { setRequiresGrad(m, false) }

// Unfreeze turns gradient tracking back on for every parameter of m.
func Unfreeze(m Module) { setRequiresGrad(m, true) }

func setRequiresGrad(m Module, b bool) {
	for _, p := range Parameters(m) {
		p.SetRequiresGrad(b)
	}
}

// NamedModules returns m and all its descendants in depth-first order, each with
// its full dotted name (m itself is named prefix).
func NamedModules(m Module, prefix string) []NamedModule {
	out := []NamedModule{{Name: prefix, Module: m}}
	if p, ok := m.(Parent); ok {
		for _, c := range p.Children() {
			if c.Module != nil {
				out = append(out, NamedModules(c.Module, Join(prefix, c.Name))...)
			}
		}
	}
	return out
}

// GetModule finds the descendant of root at a dotted path such as
// "encoder.layer.0.attention.self.query" ("" is root itself). A child name may
// itself contain dots (a module may call a child "attention.self" instead of
// nesting a module that holds only it); the longest matching name wins.
func GetModule(root Module, path string) (Module, error) {
	if path == "" {
		return root, nil
	}
	_, _, m, err := resolve("nn.GetModule", root, path)
	return m, err
}

// ReplaceModule puts m in place of the descendant of root at a dotted path, e.g.
// to wrap "encoder.layer.0.attention.self.query" in a LoRA layer.
func ReplaceModule(root Module, path string, m Module) error {
	if path == "" {
		return fmt.Errorf("nn.ReplaceModule: cannot replace the root module")
	}
	parent, name, _, err := resolve("nn.ReplaceModule", root, path)
	if err != nil {
		return err
	}
	if err := parent.SetChild(name, m); err != nil {
		return fmt.Errorf("nn.ReplaceModule: %q: %w", path, err)
	}
	return nil
}

// resolve walks from root along path and returns the module found there, its
// parent and its name in that parent.
func resolve(op string, root Module, path string) (parent Parent, name string, found Module, err error) {
	m, rest, walked := root, path, ""
	for {
		p, ok := m.(Parent)
		if !ok {
			return nil, "", nil, fmt.Errorf("%s: %q: module %q (%s) has no children", op, path, walked, typeName(m))
		}
		var next NamedModule
		for _, c := range p.Children() {
			if c.Module != nil && (rest == c.Name || strings.HasPrefix(rest, c.Name+".")) && len(c.Name) > len(next.Name) {
				next = c
			}
		}
		if next.Module == nil {
			first, _, _ := strings.Cut(rest, ".")
			return nil, "", nil, fmt.Errorf("%s: %q: module %q (%s) has no child %q (children: %s)", op, path, walked, typeName(m), first, childNames(p))
		}
		walked = Join(walked, next.Name)
		if rest == next.Name {
			return p, next.Name, next.Module, nil
		}
		m, rest = next.Module, rest[len(next.Name)+1:]
	}
}

// childNames lists a parent's child names for error messages.
func childNames(p Parent) string {
	var names []string
	for _, c := range p.Children() {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}
