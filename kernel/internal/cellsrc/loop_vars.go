package cellsrc

import (
	"fmt"
	"go/ast"
	"go/token"
)

// Go 1.22 gives each iteration of a loop its own loop variables; yaegi v0.16.1
// has one variable per loop, so closures made in a loop all saw its last
// value (three closures returning 3, 3, 3 instead of 0, 1, 2). The session
// rewrites the loops where the difference can be observed: those whose body
// (or header) takes a loop variable into a function literal, takes its
// address, or uses a field, method or slice of it (which may take its address
// implicitly). Other loops behave the same either way and are left alone.
//
// A range loop's variables are renamed to hidden ones and declared afresh at
// the top of the body, which is exactly Go's meaning (the body cannot change
// what the next iteration gets):
//
//	for k, v := range x {  →  for _tlR0, _tlR1 := range x { k, v := _tlR0, _tlR1; {
//	    ...                        ...
//	}                          }}
//
// A three-clause loop hands each iteration's value on to the next: Go declares
// the next iteration's variable before the post statement, initialised from
// the previous iteration's variable as it is then. The rewrite renames the
// header's variable to a hidden carrier, gives the body its own variable, and
// copies the body's value back to the carrier at the end of the iteration and
// before every continue that targets the loop (through a pointer, so a body
// that declares a variable of the same name changes nothing):
//
//	for i := 0; i < 3; i++ {  →  for _tlL := 0; _tlL < 3; _tlL++ { i := _tlL; _tlQ := &i; {
//	    ... continue ...               ... { _tlL = *_tlQ; continue } ...
//	}                              }; _tlL = *_tlQ; }
//
// (Hidden names, not `i := i`: at the top level of a cell yaegi takes a := of
// a name already in scope as an assignment to it.) The user's body becomes a
// nested block, so it may declare its own i. What cannot be made exact is
// refused with an error naming the line: a function literal in the loop's
// header that uses a loop variable.

// loopRewriter rewrites the loops of one cell.
type loopRewriter struct {
	p   *Cell
	ed  *Editor
	err *Error
}

// RewriteLoopVars applies Go 1.22's per-iteration loop variables to the cell's
// loops (see the comment at the top of this file).
func RewriteLoopVars(p *Cell, ed *Editor) *Error {
	rw := &loopRewriter{p: p, ed: ed}
	labels := map[ast.Stmt]string{}
	visit := func(n ast.Node) bool {
		if rw.err != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.LabeledStmt:
			labels[x.Stmt] = x.Label.Name
		case *ast.ForStmt:
			rw.forLoop(x, labels[x])
		case *ast.RangeStmt:
			rw.rangeLoop(x)
		}
		return true
	}
	p.Inspect(visit)
	return rw.err
}

// DeclaredNames returns the identifiers among exprs (the variables a loop or
// an assignment declares), without _.
func DeclaredNames(exprs ...ast.Expr) []string {
	var out []string
	for _, e := range exprs {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			out = append(out, id.Name)
		}
	}
	return out
}

// observable reports whether node n lets a loop variable outlive or be
// changed outside its iteration: a function literal that uses it, its
// address, or a field, method or slice of it.
func observable(n ast.Node, names map[string]bool) bool {
	found := false
	rooted := func(e ast.Expr) bool {
		for {
			switch x := e.(type) {
			case *ast.Ident:
				return names[x.Name]
			case *ast.SelectorExpr:
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.ParenExpr:
				e = x.X
			default:
				return false
			}
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			for name := range IdentsOf(x.Body) {
				if names[name] {
					found = true
				}
			}
			return false
		case *ast.UnaryExpr:
			if x.Op == token.AND && rooted(x.X) {
				found = true
			}
		case *ast.SelectorExpr:
			if rooted(x.X) {
				found = true
			}
		case *ast.SliceExpr:
			if rooted(x.X) {
				found = true
			}
		}
		return !found
	})
	return found
}

// rangeLoop rewrites a range loop whose variables are observable.
func (rw *loopRewriter) rangeLoop(r *ast.RangeStmt) {
	if r.Tok != token.DEFINE {
		return
	}
	names := DeclaredNames(r.Key, r.Value)
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	if len(names) == 0 || !observable(r.Body, set) {
		return
	}
	p := rw.p
	body := p.Offset(r.Body.Lbrace) + 1
	for _, e := range rw.ed.Edits {
		if e.Start == body || (r.Key != nil && e.Start == p.Offset(r.Key.Pos())) {
			return // a range over an integer: range_int.go declares the key per iteration
		}
	}
	id := p.Offset(r.For)
	lhs, rhs := "", ""
	for i, e := range []ast.Expr{r.Key, r.Value} {
		v, ok := e.(*ast.Ident)
		if !ok || v.Name == "_" {
			continue
		}
		hidden := fmt.Sprintf("_tlR%d_%d", id, i)
		rw.ed.Edits = append(rw.ed.Edits, Edit{Start: p.Offset(v.Pos()), End: p.Offset(v.End()), Text: hidden})
		if lhs != "" {
			lhs, rhs = lhs+", ", rhs+", "
		}
		lhs, rhs = lhs+v.Name, rhs+hidden
	}
	rw.ed.Edits = append(rw.ed.Edits,
		Edit{Start: body, End: body, Text: " " + lhs + " := " + rhs + "; {"},
		Edit{Start: p.Offset(r.Body.Rbrace), End: p.Offset(r.Body.Rbrace), Text: "}"})
}

// forLoop rewrites a three-clause loop whose variables are observable.
func (rw *loopRewriter) forLoop(f *ast.ForStmt, label string) {
	init, ok := f.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE {
		return
	}
	names := DeclaredNames(init.Lhs...)
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	if len(names) == 0 || !observable(f.Body, set) {
		return
	}
	p := rw.p
	for _, part := range []ast.Node{f.Init, f.Cond, f.Post} {
		if part == nil {
			continue
		}
		ast.Inspect(part, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && rw.err == nil && observable(lit, set) {
				l, c := LineCol(p.Src, p.Offset(lit.Pos()))
				rw.err = &Error{Line: l, Col: c, Msg: "a function literal in a for loop's header that uses the loop variable cannot be given Go 1.22's per-iteration meaning by the interpreter; compute it in the loop's body instead"}
			}
			return true
		})
	}
	if rw.err != nil {
		return
	}
	id := p.Offset(f.For)
	hidden := map[string]string{}
	var head, back string
	for i, n := range names {
		carrier, own := fmt.Sprintf("_tlL%d_%d", id, i), fmt.Sprintf("_tlQ%d_%d", id, i)
		hidden[n] = carrier
		head += fmt.Sprintf(" %s := %s; %s := &%s;", n, carrier, own, n)
		back += fmt.Sprintf("%s = *%s; ", carrier, own)
	}
	// The header works on the carriers.
	for _, part := range []ast.Node{f.Init, f.Cond, f.Post} {
		if part != nil {
			rw.renameIn(part, hidden)
		}
	}
	body := p.Offset(f.Body.Lbrace) + 1
	end := p.Offset(f.Body.Rbrace)
	rw.ed.Edits = append(rw.ed.Edits, Edit{Start: body, End: body, Text: head + " {"}, Edit{Start: end, End: end, Text: "}; " + back})
	rw.continues(f.Body, label, back, false)
}

// renameIn replaces, in a loop header, the uses of the loop variables by the
// hidden carriers (not field names: x.i, T{i: 1}).
func (rw *loopRewriter) renameIn(n ast.Node, hidden map[string]string) {
	skip := map[*ast.Ident]bool{}
	ast.Inspect(n, func(m ast.Node) bool {
		switch x := m.(type) {
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Ident:
			if h, ok := hidden[x.Name]; ok && !skip[x] {
				rw.ed.Edits = append(rw.ed.Edits, Edit{Start: rw.p.Offset(x.Pos()), End: rw.p.Offset(x.End()), Text: h})
			}
		}
		return true
	})
}

// continues rewrites the continue statements in n that target the loop being
// rewritten (labelled label): each first copies the iteration's variables back.
// inner says whether n is inside a nested loop.
func (rw *loopRewriter) continues(n ast.Node, label, back string, inner bool) {
	ast.Inspect(n, func(m ast.Node) bool {
		switch x := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if m != n {
				rw.continues(x.Body, label, back, true)
				return false
			}
		case *ast.RangeStmt:
			if m != n {
				rw.continues(x.Body, label, back, true)
				return false
			}
		case *ast.BranchStmt:
			if x.Tok != token.CONTINUE {
				return true
			}
			if (x.Label == nil && !inner) || (x.Label != nil && x.Label.Name == label) {
				start, end := rw.p.Offset(x.Pos()), rw.p.Offset(x.End())
				rw.ed.Edits = append(rw.ed.Edits, Edit{Start: start, End: end, Text: "{ " + back + rw.p.Src[start:end] + " }"})
			}
		}
		return true
	})
}
