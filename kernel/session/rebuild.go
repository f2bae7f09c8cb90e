package session

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// carryPath is the import path (with a number per use appended) of the
// package that lends an interpreter the compiled types of carried variables.
const carryPath = "turinglab.internal/carry"

// carried is one variable whose value moves into the rebuilt interpreter.
type carried struct {
	name  string
	value reflect.Value
}

// carrier turns reflect types into type expressions the new interpreter can
// parse: names of cell types, predeclared names, composites of those, and
// <alias>.Tn for any other (compiled) type, lent through a carry package.
type carrier struct {
	named map[reflect.Type]string
	types map[string]reflect.Value
	alias string // the name the carry package is imported as
}

// expr spells t for the new interpreter.
//
// A type that involves no cell type is spelled by its structure only when it
// is built from predeclared types ([]float64, map[string]int), as a cell's
// literal would declare it. One that involves a compiled named type is lent
// whole instead, as one compiled type: that is how the first interpreter typed
// a value returned by a compiled function, and yaegi types `*pkg.T` written
// out differently: its method values (tok.Tokenize of a *tokenizer.BertTokenizer)
// become functions that want the receiver as their first argument, so a
// function passing one on would no longer compile after the rebuild.
func (c *carrier) expr(t reflect.Type) string {
	if n, ok := c.named[t]; ok {
		return n
	}
	if t.Name() != "" && t.PkgPath() == "" {
		return t.Name() // int, string, error, ...
	}
	if !c.involvesCellType(t, 0) && !builtFromPredeclared(t, 0) {
		return c.lend(t)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + c.expr(t.Elem())
	case reflect.Slice:
		return "[]" + c.expr(t.Elem())
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), c.expr(t.Elem()))
	case reflect.Map:
		return "map[" + c.expr(t.Key()) + "]" + c.expr(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 && t.Name() == "" {
			return "interface{}"
		}
	case reflect.Func:
		return c.funcExpr(t)
	}
	return c.lend(t)
}

// lend names compiled type t through the carry package.
func (c *carrier) lend(t reflect.Type) string {
	name := fmt.Sprintf("T%d", len(c.types))
	c.types[name] = reflect.Zero(reflect.PointerTo(t))
	return c.alias + "." + name
}

// funcExpr spells a func type that involves a cell type (func(P) int).
func (c *carrier) funcExpr(t reflect.Type) string {
	in := make([]string, t.NumIn())
	for i := range in {
		if t.IsVariadic() && i == len(in)-1 {
			in[i] = "..." + c.expr(t.In(i).Elem())
		} else {
			in[i] = c.expr(t.In(i))
		}
	}
	out := make([]string, t.NumOut())
	for i := range out {
		out[i] = c.expr(t.Out(i))
	}
	return "func(" + strings.Join(in, ", ") + ") (" + strings.Join(out, ", ") + ")"
}

// maxTypeDepth bounds the walks over a type's structure (recursive types).
const maxTypeDepth = 8

// involvesCellType reports whether t is, or is built from, a cell type.
func (c *carrier) involvesCellType(t reflect.Type, depth int) bool {
	if _, ok := c.named[t]; ok {
		return true
	}
	if depth > maxTypeDepth || t.Name() != "" {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		return c.involvesCellType(t.Elem(), depth+1)
	case reflect.Map:
		return c.involvesCellType(t.Key(), depth+1) || c.involvesCellType(t.Elem(), depth+1)
	case reflect.Func:
		for i := 0; i < t.NumIn(); i++ {
			if c.involvesCellType(t.In(i), depth+1) {
				return true
			}
		}
		for i := 0; i < t.NumOut(); i++ {
			if c.involvesCellType(t.Out(i), depth+1) {
				return true
			}
		}
	}
	return false
}

// builtFromPredeclared reports whether t is a predeclared type or a pointer,
// slice, array or map built from them alone.
func builtFromPredeclared(t reflect.Type, depth int) bool {
	if t.Name() != "" {
		return t.PkgPath() == ""
	}
	if depth > maxTypeDepth {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return builtFromPredeclared(t.Elem(), depth+1)
	case reflect.Map:
		return builtFromPredeclared(t.Key(), depth+1) && builtFromPredeclared(t.Elem(), depth+1)
	case reflect.Interface:
		return t.NumMethod() == 0
	}
	return false
}

// snapshot reads the variables of the live interpreter that are to survive a
// rebuild (all of reg's except those in skip), taking the kept variables of an
// interrupted function-body cell (s.pending) instead of the live slots. It runs
// no code in the live interpreter (see varSlot), and reads it only once the
// code an interrupt stopped has returned (awaitStopped).
func (s *Session) snapshot(reg *registry, skip map[string]bool) []carried {
	if s.in == nil {
		return nil
	}
	s.awaitStopped()
	pending := map[string]reflect.Value{}
	for _, c := range s.pending {
		pending[c.name] = c.value
	}
	s.pending = nil
	var out []carried
	for _, name := range reg.vars {
		if skip[name] {
			continue
		}
		if v, ok := pending[name]; ok {
			out = append(out, carried{name: name, value: v})
		} else if v, ok := varSlot(s.in, name); ok {
			out = append(out, carried{name: name, value: v})
		}
	}
	return out
}

// typeNames maps the reflect types of the cell types of an idle interpreter to
// their names (evaluating `(*T)(nil)` for each). The session keeps this map for
// its live interpreter, so that a rebuild can name the type of every carried
// value without running code in an interpreter that may still be stopping.
func typeNames(in *interp.Interpreter, reg *registry) map[reflect.Type]string {
	named := map[reflect.Type]string{}
	for _, d := range reg.defs {
		if d.kind != defType {
			continue
		}
		for _, n := range d.names {
			if v, ok := valueOf(in, "(*"+n+")(nil)"); ok && v.Kind() == reflect.Pointer {
				if _, dup := named[v.Type().Elem()]; !dup {
					named[v.Type().Elem()] = n
				}
			}
		}
	}
	return named
}

// rebuild compiles the registry into a fresh interpreter, carrying the values of
// the live interpreter's variables (except those in skip, which the cell is
// about to declare anew). cur is the cell being run (nil for a rebuild after a
// cell): an error in its code fails the rebuild; an old definition that no
// longer compiles is kept as compiled before, or dropped, with a note on
// Stderr instead (kept_defs.go).
func (s *Session) rebuild(ctx context.Context, reg *registry, cur *cellRecord, cellDecls []cellsrc.Piece, skip map[string]bool) (*interp.Interpreter, error) {
	vars := s.snapshot(reg, skip)
	for attempt := 0; ; attempt++ {
		in, bad, err := s.tryRebuild(ctx, reg, cur, cellDecls, vars)
		if err == nil {
			return in, nil
		}
		if bad == nil || attempt > 50 || ctx.Err() != nil {
			return nil, err
		}
		s.keepOrRemove(reg, bad, err)
	}
}

// tryRebuild makes one attempt. On failure it returns the old def to blame, if
// the error lies in one.
func (s *Session) tryRebuild(ctx context.Context, reg *registry, cur *cellRecord, cellDecls []cellsrc.Piece, vars []carried) (*interp.Interpreter, *def, error) {
	in, err := s.newInterpreter()
	if err != nil {
		return nil, nil, err
	}
	blame := func(err error) (*interp.Interpreter, *def, error) {
		var pe interp.Panic
		if errors.As(err, &pe) || errors.Is(err, context.Canceled) {
			return nil, nil, err // a runtime failure of the cell's initializers
		}
		l := s.locate(err.Error())
		if l.cell == nil || l.cell == cur {
			return nil, nil, err
		}
		abs := l.cell.base + l.line - 1
		for _, d := range reg.defs {
			n := strings.Count(d.piece.Text, "\n")
			if abs >= d.piece.Line && abs <= d.piece.Line+n {
				return nil, d, err
			}
		}
		return nil, nil, err
	}
	for _, imp := range reg.imports {
		if err := eval(in, cellsrc.Layout([]cellsrc.Piece{imp.piece})); err != nil {
			return nil, nil, err
		}
	}
	// Types and consts.
	var ps []cellsrc.Piece
	for _, d := range reg.defs {
		if d.kind == defType || d.kind == defConst {
			ps = append(ps, d.piece)
		}
	}
	if len(ps) > 0 {
		if err := eval(in, cellsrc.Layout(ps)); err != nil {
			return blame(err)
		}
	}
	// The carried variables: declared with their type, then given their value;
	// with them, the funcs kept as compiled before (kept_defs.go).
	vars = append(vars[:len(vars):len(vars)], keptFuncs(reg)...)
	if err := s.declareCarried(in, vars); err != nil {
		return nil, nil, err
	}
	// Funcs and methods, then the cell's variables (their initializers may call them).
	ps = ps[:0]
	for _, d := range reg.defs {
		if (d.kind == defFunc || d.kind == defMethod) && !d.kept.IsValid() {
			ps = append(ps, d.piece)
		}
	}
	ps = append(ps, cellDecls...) // the cell's var declarations
	if len(ps) > 0 {
		if err := s.evalRun(ctx, in, cellsrc.Layout(ps)); err != nil {
			return blame(err)
		}
	}
	return in, nil, nil
}

// setVar gives the new interpreter's variable the carried value: the old
// variable's storage itself when the type is unchanged, else a copy.
func setVar(in *interp.Interpreter, v carried) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	dst, ok := varSlot(in, v.name)
	if !ok {
		return fmt.Errorf("it could not be declared again")
	}
	if !v.value.Type().AssignableTo(dst.Type()) {
		return fmt.Errorf("its type was redefined")
	}
	if shareSlot(in, dst, v.value) {
		return nil // the same variable, not a copy (shared_slots.go)
	}
	dst.Set(v.value)
	return nil
}

// declareCarried declares each variable in the interpreter with the type of
// its value (`var x T`, T named by a carrier) and copies the value in. Compiled
// types are lent through a carry package of its own for each call, so a live
// interpreter can take variables more than once. A value that cannot be kept
// is reported on Stderr and its variable keeps the zero value; an error means
// the declarations themselves failed.
func (s *Session) declareCarried(in *interp.Interpreter, vars []carried) error {
	if len(vars) == 0 {
		return nil
	}
	s.carries++
	car := &carrier{named: s.types, types: map[string]reflect.Value{}, alias: fmt.Sprintf("_tlc%d", s.carries)}
	exprs := make([]string, len(vars))
	for i, v := range vars {
		exprs[i] = car.expr(v.value.Type())
	}
	if len(car.types) > 0 {
		path := fmt.Sprintf("%s%d", carryPath, s.carries)
		if err := in.Use(interp.Exports{path + "/carry": car.types}); err != nil {
			return err
		}
		if err := eval(in, "import "+car.alias+` "`+path+`"`); err != nil {
			return err
		}
	}
	line := s.lines.reserve(len(vars))
	ps := make([]cellsrc.Piece, len(vars))
	for i, v := range vars {
		ps[i] = cellsrc.Piece{Line: line + i, Col: 1, Text: "var " + v.name + " " + exprs[i]}
	}
	if err := eval(in, cellsrc.Layout(ps)); err != nil {
		return err
	}
	for i, v := range vars {
		if err := setVar(in, v); err != nil {
			fmt.Fprintf(s.filter, "note: variable %s could not be kept (%v); it now holds the zero value of %s\n", v.name, err, exprs[i])
		}
	}
	return nil
}
