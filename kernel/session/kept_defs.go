package session

import (
	"fmt"
	"reflect"
	"strings"
)

// A rebuild compiles every stored func and method again. One that no longer
// compiles (a type or function it uses was redefined incompatibly) must not
// silently disappear: the user defined it, it worked, and later cells call it.
// So a func keeps working as it was compiled before: the rebuilt interpreter
// declares a variable of the func's type under its name, holding the old
// compiled function, and callers compile against that. A note in the running
// cell's output names the definition, the cell that defined it and why it no
// longer compiles. The kept version lives until a cell defines the func again
// (plan treats a kept func as changed even when its source is the same, so
// re-running the defining cell compiles it afresh, and shows its error if it
// still does not compile).
//
// A method cannot be kept that way (a variable cannot add a method to a type),
// nor can a func whose old compiled value cannot be had; those are removed,
// with the same note saying so.

// keepOrRemove handles bad, a def of reg that failed to compile with err in
// a rebuild: it replaces bad in reg by a copy that holds the function as the
// live interpreter compiled it, or removes it, and says which on Stderr.
func (s *Session) keepOrRemove(reg *registry, bad *def, err error) {
	what := fmt.Sprintf("%s %s", bad.kind, strings.Join(bad.names, ", "))
	if c, _ := s.lines.find(bad.piece.Line); c != nil {
		what += fmt.Sprintf(" (defined in cell #%d)", c.number)
	}
	cause := s.locate(err.Error()).msg
	if v, ok := s.compiledFunc(bad); ok {
		kept := *bad
		kept.kept = v
		for i, d := range reg.defs {
			if d == bad {
				reg.defs[i] = &kept
			}
		}
		fmt.Fprintf(s.filter, "note: %s no longer compiles against the current definitions: %s; the version compiled before stays callable until you define %s again\n",
			what, cause, bad.names[0])
		return
	}
	fmt.Fprintf(s.filter, "note: %s no longer compiles against the current definitions and was removed: %s\n", what, cause)
	reg.remove(bad)
}

// compiledFunc returns the function value of func def d in the live
// interpreter: the variable that holds it if it was kept before, else the
// function itself.
func (s *Session) compiledFunc(d *def) (reflect.Value, bool) {
	if d.kind != defFunc || len(d.names) != 1 || s.in == nil {
		return reflect.Value{}, false
	}
	v, ok := varSlot(s.in, d.names[0])
	if !ok {
		v, ok = valueOf(s.in, d.names[0])
	}
	if !ok || v.Kind() != reflect.Func || v.IsNil() {
		return reflect.Value{}, false
	}
	return v, true
}

// keptFuncs returns the kept funcs of reg as variables to carry.
func keptFuncs(reg *registry) []carried {
	var out []carried
	for _, d := range reg.defs {
		if d.kept.IsValid() {
			out = append(out, carried{name: d.names[0], value: d.kept})
		}
	}
	return out
}
