package nn

import (
	"reflect"
	"strings"
)

// ExtraRepr is implemented by modules that show settings inside the parentheses
// of their printed form, like torch's extra_repr: Linear prints
// "in_features=4, out_features=2, bias=True".
type ExtraRepr interface {
	ExtraRepr() string
}

// ReprNamer is implemented by modules whose printed name is not their Go type
// name (Activation prints as "ReLU", "GELU", ...).
type ReprNamer interface {
	ReprName() string
}

// Repr prints a module the way torch prints it: the type name, its ExtraRepr
// in parentheses, and each child on its own indented line:
//
//	Sequential(
//	  (0): Linear(in_features=2, out_features=8, bias=True)
//	  (1): ReLU()
//	)
func Repr(m Module) string {
	var b strings.Builder
	if n, ok := m.(ReprNamer); ok {
		b.WriteString(n.ReprName())
	} else {
		b.WriteString(typeName(m))
	}
	b.WriteByte('(')
	extra := ""
	if e, ok := m.(ExtraRepr); ok {
		extra = e.ExtraRepr()
	}
	var children []NamedModule
	if p, ok := m.(Parent); ok {
		children = p.Children()
	}
	if len(children) == 0 {
		b.WriteString(extra)
		b.WriteByte(')')
		return b.String()
	}
	b.WriteByte('\n')
	if extra != "" {
		b.WriteString("  " + indent(extra) + "\n")
	}
	for _, c := range children {
		child := "None"
		if c.Module != nil {
			child = Repr(c.Module)
		}
		b.WriteString("  (" + c.Name + "): " + indent(child) + "\n")
	}
	b.WriteByte(')')
	return b.String()
}

// indent indents every line but the first by two spaces (torch's _addindent).
func indent(s string) string {
	return strings.ReplaceAll(s, "\n", "\n  ")
}

// typeName is the Go type name of a module without package or pointer.
func typeName(m Module) string {
	t := reflect.TypeOf(m)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// Modules defined in notebook cells reach compiled code wrapped in yaegi's
	// generated adapter types ("_github_com_..._Module"); call them Module.
	if t == nil || t.Name() == "" || strings.HasPrefix(t.Name(), "_") {
		return "Module"
	}
	return t.Name()
}
