package session

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Ranges over integers are rewritten by cellsrc.RewriteRangeOverInt, which
// asks the session, through sessionNames, the types of what earlier cells
// defined; when it cannot tell and yaegi fails, rangeOverIntError says what
// to write instead.

// sessionNames answers a cell's rewrites about the names the session defines
// (cellsrc.Names): from the live interpreter, without running any code in it
// (varSlot), and the registry as the cell finds it.
type sessionNames struct {
	in  *interp.Interpreter
	reg *registry
}

// VarType is the type of the session's variable name.
func (n sessionNames) VarType(name string) (reflect.Type, bool) {
	if !n.reg.hasVar(name) {
		return nil, false
	}
	v, ok := varSlot(n.in, name)
	if !ok {
		return nil, false
	}
	return v.Type(), true
}

// ConstType is the type of the session's constant name.
func (n sessionNames) ConstType(name string) (reflect.Type, bool) {
	if d := n.reg.lookup(name); d == nil || d.kind != defConst {
		return nil, false
	}
	v, ok := valueOf(n.in, name)
	if !ok {
		return nil, false
	}
	return v.Type(), true
}

// FuncResult is the one result type of the session's func name, or "".
func (n sessionNames) FuncResult(name string) string {
	if d := n.reg.lookup(name); d != nil && d.kind == defFunc && d.results == 1 {
		return d.resultType
	}
	return ""
}

// Package is the import path of the package the cell sees as name.
func (n sessionNames) Package(name string) (string, bool) {
	if n.reg.hasVar(name) {
		return "", false
	}
	path, found := "", false
	for _, imp := range n.reg.imports {
		if imp.name() == name {
			path, found = imp.path, true // the latest import of the name counts
		}
	}
	return path, found
}

// Symbol is an exported symbol of a compiled package.
func (n sessionNames) Symbol(path, name string) (reflect.Value, bool) {
	idx, _ := packages()
	v, ok := idx[path][name].(reflect.Value)
	return v, ok
}

// rangeOverIntError explains yaegi's position-less "nil type" panic when cell
// cur has a one-variable range loop the session could not rewrite: most likely
// a range over an integer whose type it cannot see. nil when there is none.
func rangeOverIntError(cur *cellRecord) *Error {
	p, err := cellsrc.Parse(strings.Join(cur.lines, "\n"))
	if err != nil {
		return nil
	}
	var found *ast.RangeStmt
	find := func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok && r.Value == nil && found == nil {
			if _, lit := r.X.(*ast.CompositeLit); !lit {
				found = r
			}
		}
		return found == nil
	}
	p.Inspect(find)
	if found == nil {
		return nil
	}
	l, c := cellsrc.LineCol(p.Src, p.Offset(found.X.Pos()))
	x := p.Src[p.Offset(found.X.Pos()):p.Offset(found.X.End())]
	v := fmt.Sprintf("%d:%d: the interpreter cannot compile this cell (yaegi: nil type); if %s is an integer, the cause is that yaegi lacks Go 1.22's range over an integer and the kernel could not tell the type of %s: write the loop as for i := 0; i < %s; i++; if %s is a function, %s", l, c, x, x, x, x, rangeFuncAdvice(x))
	return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
}
