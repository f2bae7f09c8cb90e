package session

import (
	"fmt"
	"go/ast"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Go 1.23's range over a function (`for x := range seq`, seq a
// func(yield func(T) bool)) is beyond yaegi v0.16.1, and the session cannot
// rewrite it without knowing T. A range over something the session knows is a
// function (a function literal, a func of the cell or of an earlier cell, a
// call of one whose result is a func type) is refused with an error that says
// how to write the loop instead; any other range the interpreter fails on gets
// the same advice in rangeOverIntError's message.

// rangeFuncAdvice says how to write a range over function seq.
func rangeFuncAdvice(seq string) string {
	return fmt.Sprintf("range over a function (Go 1.23) is not supported by the interpreter: call %s with the loop body as its yield function instead, %s(func(x T) bool { ...; return true }), where return true continues and return false stops like break", seq, seq)
}

// rangeOverFuncError returns an error for the first range over a function of
// the cell, or nil.
func rangeOverFuncError(p *cellsrc.Cell, reg *registry, cur *cellRecord) *Error {
	funcs := map[string]*ast.FuncDecl{}
	for _, d := range p.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil {
			funcs[f.Name.Name] = f
		}
	}
	isFunc := func(e ast.Expr) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return true
		case *ast.Ident:
			if x.Obj != nil {
				return false // a local or a variable: its type is unknown here
			}
			if _, ok := funcs[x.Name]; ok {
				return true
			}
			d := reg.lookup(x.Name)
			return d != nil && d.kind == defFunc
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok {
				if f, ok := funcs[id.Name]; ok && f.Type.Results.NumFields() == 1 {
					_, fn := f.Type.Results.List[0].Type.(*ast.FuncType)
					return fn
				}
			}
		}
		return false
	}
	var found *ast.RangeStmt
	visit := func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok && found == nil && isFunc(r.X) {
			found = r
		}
		return found == nil
	}
	p.Inspect(visit)
	if found == nil {
		return nil
	}
	l, c := cellsrc.LineCol(p.Src, p.Offset(found.X.Pos()))
	seq := p.Src[p.Offset(found.X.Pos()):p.Offset(found.X.End())]
	if _, lit := found.X.(*ast.FuncLit); lit {
		seq = "the function"
	}
	v := fmt.Sprintf("%d:%d: %s", l, c, rangeFuncAdvice(seq))
	return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
}
