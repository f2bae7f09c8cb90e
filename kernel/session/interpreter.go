package session

import (
	"context"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
	"github.com/turinglab/turinglab/kernel/symbols"
)

const (
	workbenchPath = "github.com/turinglab/turinglab/workbench"
	displayPath   = "github.com/turinglab/turinglab/display"
)

// newInterpreter returns a fresh yaegi interpreter with every compiled package
// available, the safety overrides installed, `wb` imported and the session's
// helpers declared. The prelude lives on lines reserved for synthetic code.
func (s *Session) newInterpreter() (*interp.Interpreter, error) {
	in := interp.New(interp.Options{
		Stdout: s.opts.Stdout,
		Stderr: s.filter,
		Args:   []string{"turinglab"},
		// The real environment, not yaegi's copy: %env and os.Setenv in a cell
		// reach compiled code and `!` commands, and a cell sees what they set.
		Unrestricted: true,
	})
	for _, e := range []interp.Exports{stdlib.Symbols, symbols.Symbols, overrides, s.rt.exports()} {
		if err := in.Use(e); err != nil {
			return nil, err
		}
	}
	var src, funcs []string
	if hasPackage(workbenchPath) {
		src = append(src, `import wb "`+workbenchPath+`"`)
	}
	src = append(src, `import _tl "`+runtimePath+`"`, `import _tlfmt "fmt"`)
	funcs = append(funcs, `func _tlS(v interface{}) _tlfmt.Stringer { s, _ := v.(_tlfmt.Stringer); return s }`)
	if hasPackage(displayPath) {
		src = append(src, `import _tld "`+displayPath+`"`)
		funcs = append(funcs, `func _tlR(v interface{}) _tld.Renderer { r, _ := v.(_tld.Renderer); return r }`)
	}
	funcs = append(funcs, recursionPrelude(s.recursion.limit)...)
	src = append(src, funcs...)
	src = append(src, builtinPrelude...) // min, max (builtins.go)
	line := s.lines.reserve(len(src))
	var ps []cellsrc.Piece
	for i, l := range src {
		ps = append(ps, cellsrc.Piece{Line: line + i, Col: 1, Text: l})
	}
	if err := eval(in, cellsrc.Layout(ps)); err != nil {
		return nil, err
	}
	return in, nil
}

var (
	pkgIndexOnce sync.Once
	pkgIndex     map[string]map[string]any // import path -> symbol -> reflect.Value
	pkgNames     map[string]string         // import path -> package name
)

// packages indexes the symbol tables by import path.
func packages() (map[string]map[string]any, map[string]string) {
	pkgIndexOnce.Do(func() {
		pkgIndex = map[string]map[string]any{}
		pkgNames = map[string]string{}
		for _, tables := range []interp.Exports{stdlib.Symbols, symbols.Symbols} {
			for k, syms := range tables {
				p, name := path.Dir(k), path.Base(k)
				if p == "." || strings.HasPrefix(p, "github.com/traefik/yaegi") {
					continue
				}
				m := map[string]any{}
				for n, v := range syms {
					m[n] = v
				}
				pkgIndex[p] = m
				pkgNames[p] = name
			}
		}
	})
	return pkgIndex, pkgNames
}

// hasPackage reports whether cells can import path.
func hasPackage(p string) bool {
	idx, _ := packages()
	_, ok := idx[p]
	return ok
}

// importablePaths lists every import path cells can use, sorted.
func importablePaths() []string {
	idx, _ := packages()
	var ps []string
	for p := range idx {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// compile is in.Compile with yaegi's internal panics turned into errors.
func compile(in *interp.Interpreter, src string) (prog *interp.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return in.Compile(src)
}

// eval is in.Eval for declarations and imports, with yaegi's internal panics
// turned into errors.
func eval(in *interp.Interpreter, src string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = in.Eval(src)
	return err
}

// evalCtx is eval for code that may run for long (variable initializers): it
// stops when ctx is cancelled (stoppable.go). Under an unstoppable context it
// is plain eval.
func (s *Session) evalCtx(ctx context.Context, in *interp.Interpreter, src string) (err error) {
	if isUnstoppable(ctx) {
		return eval(in, src)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = s.runStoppable(ctx, in,
		func() (reflect.Value, error) { return in.Eval(src) },
		func() (reflect.Value, error) { return in.EvalWithContext(ctx, src) })
	return err
}

// unstoppableKey marks the contexts that unstoppable makes.
type unstoppableKey struct{}

// unstoppable derives from ctx a context that is never cancelled, for a
// rebuild that runs no cell code and must complete even when ctx, an
// interrupted cell's, is cancelled (a rebuild after the cell, a repair).
// evalCtx evaluates under it without watching for an interrupt, as plain eval.
func unstoppable(ctx context.Context) context.Context {
	return context.WithValue(context.WithoutCancel(ctx), unstoppableKey{}, true)
}

// isUnstoppable reports whether ctx was made by unstoppable.
func isUnstoppable(ctx context.Context) bool {
	return ctx.Value(unstoppableKey{}) != nil
}

// valueOf evaluates a side-effect-free expression (a variable's address, a
// typed nil) in the interpreter for introspection; ok is false on any failure.
func valueOf(in *interp.Interpreter, expr string) (v reflect.Value, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	v, err := in.Eval(expr)
	if err != nil || !v.IsValid() {
		return reflect.Value{}, false
	}
	return v, true
}

// varSlot returns the global variable name of the interpreter (its settable
// slot), or false. It reads yaegi's globals without running any code, which
// matters after an interrupt: every Eval resets the run id of the global frame,
// and that would let the stopped cell resume.
func varSlot(in *interp.Interpreter, name string) (reflect.Value, bool) {
	if g, ok := globals(in); ok {
		v, ok := g[name]
		if !ok || !v.IsValid() || !v.CanSet() {
			return reflect.Value{}, false
		}
		return v, true
	}
	// A failed compile can leave a global without its slot, which makes
	// Globals panic; the interpreter is idle then, so reading by Eval is safe.
	p, ok := valueOf(in, "&"+name)
	if !ok || p.Kind() != reflect.Pointer || p.IsNil() {
		return reflect.Value{}, false
	}
	return p.Elem(), true
}

// globals is in.Globals, false if it panics.
func globals(in *interp.Interpreter) (g map[string]reflect.Value, ok bool) {
	defer func() {
		if recover() != nil {
			g, ok = nil, false
		}
	}()
	return in.Globals(), true
}
