package session

import (
	"fmt"
	"go/ast"
	"go/token"
)

// yaegi v0.16.1 silently drops parts of a multi-assignment (`a, b = x, y`,
// `a, b := x, y`, `var a, b = x, y`) when a right-hand side is a call (also a
// builtin or a method: `cfg.Vocab, cfg.Hidden = v.Size(), 64` left Hidden
// unchanged), a composite literal or a channel receive: its compiler lets such
// a value write straight into its destination and then skips the statement's
// assignment of all the other pairs. A `nil` among several values panics
// instead ("reflect: New(nil)": the statement's temporaries take the type of
// each value, and nil has none). See traefik/yaegi#1052 for the statement's
// earlier swap bug; this one is the same code's direct-write optimisation.
//
// The session sidesteps both without moving any value:
//
//	a, b = f(), 5            →  a, b = (f()), 5
//	a, b := []int{1}, <-ch   →  a, b := ([]int{1}), (<-ch)
//	v, err = 3, nil          →  v = 3; err = nil
//
// A value in parentheses is not a call, literal or receive to yaegi's
// compiler, so the statement keeps its own two-phase assignment (every value
// computed before any is assigned). A nil pair moves to a single assignment
// after the statement, which is exact when its destination is a variable, or
// a field of one, that no other destination of the statement is or contains
// (and, for a field, no field or element is assigned after it, which could be
// the same one through a pointer): then the order of the assignments cannot
// be seen. Where that does not hold, or the statement is in a loop's or if's
// header where nothing can follow it, the cell is refused with an error
// naming the line.

// rewriteMultiAssign applies the rewrite above to every multi-assignment of
// the cell (its declarations, function bodies and statements).
func rewriteMultiAssign(p *cellParts, ed *editor, cur *cellRecord) *Error {
	var err *Error
	inList := map[ast.Stmt]bool{} // statements of a block, which a statement may follow
	visit := func(n ast.Node) bool {
		if err != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.BlockStmt:
			for _, s := range x.List {
				inList[s] = true
			}
		case *ast.CaseClause:
			for _, s := range x.Body {
				inList[s] = true
			}
		case *ast.CommClause:
			for _, s := range x.Body {
				inList[s] = true
			}
		case *ast.AssignStmt:
			if len(x.Lhs) > 1 && len(x.Lhs) == len(x.Rhs) {
				parenthesize(p, ed, x.Rhs)
				err = moveNils(p, ed, cur, x, inList[x])
			}
		case *ast.ValueSpec:
			if len(x.Names) > 1 && len(x.Names) == len(x.Values) {
				parenthesize(p, ed, x.Values)
			}
		}
		return true
	}
	for _, st := range p.stmts {
		inList[st] = true
	}
	for _, d := range p.decls {
		ast.Inspect(d, visit)
	}
	for _, st := range p.stmts {
		ast.Inspect(st, visit)
	}
	return err
}

// parenthesize puts the calls, composite literals and receives among values
// in parentheses.
func parenthesize(p *cellParts, ed *editor, values []ast.Expr) {
	for _, v := range values {
		switch x := v.(type) {
		case *ast.CallExpr, *ast.CompositeLit:
		case *ast.UnaryExpr:
			if x.Op != token.ARROW {
				continue
			}
		default:
			continue
		}
		ed.edits = append(ed.edits, edit{p.offset(v.Pos()), p.offset(v.Pos()), "("}, edit{p.offset(v.End()), p.offset(v.End()), ")"})
	}
}

// isNil reports whether e is the identifier nil.
func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// moveNils moves the nil pairs of a multi-assignment to single assignments
// after it (see the comment at the top of the file), or says why it cannot.
func moveNils(p *cellParts, ed *editor, cur *cellRecord, as *ast.AssignStmt, inList bool) *Error {
	if as.Tok != token.ASSIGN {
		return nil
	}
	var nils []int
	keep := -1 // the first pair that stays
	for i, r := range as.Rhs {
		if isNil(r) {
			nils = append(nils, i)
		} else if keep < 0 {
			keep = i
		}
	}
	if len(nils) == 0 {
		return nil
	}
	if keep < 0 { // all nil: the first stays, alone
		keep, nils = nils[0], nils[1:]
	}
	refuse := func(why string) *Error {
		l, c := lineCol(p.src, p.offset(as.Pos()))
		v := fmt.Sprintf("%d:%d: the interpreter cannot assign nil in a multi-assignment (it panics with reflect: New(nil)), and this one cannot be split exactly (%s): write one assignment per statement", l, c, why)
		return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
	}
	if !inList {
		return refuse("it is in a statement's header")
	}
	text := func(e ast.Expr) string { return p.src[p.offset(e.Pos()):p.offset(e.End())] }
	// clash reports whether destination i may be the same as, or part of,
	// another one: the same root variable, unless both are distinct fields of
	// the same struct (t.p, t.e).
	clash := func(i int) bool {
		for j, l := range as.Lhs {
			if j == i || assignRoot(l) != assignRoot(as.Lhs[i]) {
				continue
			}
			a, ok1 := as.Lhs[i].(*ast.SelectorExpr)
			b, ok2 := l.(*ast.SelectorExpr)
			if !ok1 || !ok2 || text(a.X) != text(b.X) || a.Sel.Name == b.Sel.Name {
				return true
			}
		}
		return false
	}
	var after string
	for _, i := range nils {
		r := assignRoot(as.Lhs[i])
		if r == "" || r == "_" && !isIdent(as.Lhs[i]) {
			return refuse("its nil goes to " + text(as.Lhs[i]))
		}
		if r != "_" && clash(i) {
			return refuse("two of its destinations are " + r + " or parts of it")
		}
		if !isIdent(as.Lhs[i]) { // a field may be the same as a later destination's
			for j := i + 1; j < len(as.Lhs); j++ {
				if !isNil(as.Rhs[j]) && !isIdent(as.Lhs[j]) {
					return refuse("its nil goes to a field, before other fields")
				}
			}
		}
		if r == "_" {
			continue
		}
		after += "; " + text(as.Lhs[i]) + " = nil"
	}
	for _, list := range [][]ast.Expr{as.Lhs, as.Rhs} {
		for _, i := range nils {
			if i < keep {
				ed.edits = append(ed.edits, edit{p.offset(list[i].Pos()), p.offset(list[i+1].Pos()), ""})
			} else {
				ed.edits = append(ed.edits, edit{p.offset(list[i-1].End()), p.offset(list[i].End()), ""})
			}
		}
	}
	if after != "" {
		end := p.offset(as.End())
		ed.edits = append(ed.edits, edit{end, end, after})
	}
	return nil
}

// isIdent reports whether e is an identifier.
func isIdent(e ast.Expr) bool {
	_, ok := e.(*ast.Ident)
	return ok
}

// assignRoot returns the variable a destination is (x) or is a field of
// (x.a.b), or "" for any other destination (an element, a dereference).
func assignRoot(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}
