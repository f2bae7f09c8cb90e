package cellsrc

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// A cell's statements normally run at the top level of the interpreter's main
// package, so that `x := 1` declares a global directly. yaegi v0.16.1 cannot
// compile some statements there that it compiles fine inside a function: a
// top-level `e := h.Evals[0]` (an element of a compiled slice reached through a
// field) fails with "constant definition loop", `for ... { a, b := f() }`
// fails with "undefined: a", and some selector chains crash its compiler.
//
// When the top-level compile fails, the session compiles the statements again
// as the body of a function declared for this cell, then calls it:
//
//	func _tlcell7_1() {
//		e := h.Evals[0]; _tl.Keep("e", &e)
//		fmt.Println(e.Step)
//	}
//	_tlcell7_1()
//
// (A function literal called at the top level would be simpler, but yaegi runs
// such a literal again on every later execution: see IIFEEdits.) Inside a
// function yaegi types every statement correctly. Each top-level := is followed
// by _tl.Keep, which records the address of the new local; after the run (also
// after a panic or an interrupt) the session publishes each kept local as a
// global of the same name and type (publish), so later cells see `e` as if the
// cell had declared it at the top level. Two differences remain from the
// top-level form, and only in cells that could not compile the other way: a
// function called by the cell reads the old global until the cell ends, and a
// closure created in the cell keeps using the local, not the global.

// KeepEdits returns the edits that append `; _tl.Keep("x", &x)` to every
// top-level := statement of the cell, one call per declared name.
func KeepEdits(p *Cell) []Edit {
	var out []Edit
	for _, st := range p.Stmts {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		var b strings.Builder
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				fmt.Fprintf(&b, "; _tl.Keep(%q, &%s)", id.Name, id.Name)
			}
		}
		end := p.Offset(as.End())
		out = append(out, Edit{Start: end, End: end, Text: b.String()})
	}
	return out
}

// FunctionBody returns the declaration of the function that holds the laid-out
// statement pieces of cell number n (part k of it: a cell run in order, see
// in_order.go, runs its statements in two parts), and the call that runs it.
// The cell's lines are [base, base+lines) of the session's line space; the
// declaration's first and last lines go on the free lines the session leaves
// before and after every cell, so the statements keep their cell positions.
func FunctionBody(n, k, base, lines int, stmts []Piece) (decl, call string) {
	name := fmt.Sprintf("_tlcell%d_%d", n, k)
	end := base + lines
	ps := make([]Piece, 0, len(stmts)+2)
	ps = append(ps, Piece{Line: base - 1, Col: 1, Text: "func " + name + "() {"})
	ps = append(ps, stmts...)
	ps = append(ps, Piece{Line: end, Col: 1, Text: "}"})
	return Layout(ps), Layout([]Piece{{Line: end, Col: 3, Text: name + "()"}})
}

// IIFEEdits works around a yaegi bug: a function literal called at the top
// level of a cell (`func() { ... }()`) is run again by every later execution
// of the interpreter. Such a statement is put inside `if true { ... }`, where
// it runs once. The cell's final statement is left alone when its value is
// captured (then it is an argument of _tl.Show, which is not affected).
func IIFEEdits(p *Cell, captured bool) []Edit {
	var out []Edit
	for i, st := range p.Stmts {
		es, ok := st.(*ast.ExprStmt)
		if !ok || (captured && i == len(p.Stmts)-1) {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			continue
		}
		if _, lit := ast.Unparen(call.Fun).(*ast.FuncLit); !lit {
			continue
		}
		start, end := p.Offset(es.Pos()), p.Offset(es.End())
		out = append(out, Edit{Start: start, End: start, Text: "if true { "}, Edit{Start: end, End: end, Text: " }"})
	}
	return out
}
