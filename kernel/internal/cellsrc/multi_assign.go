package cellsrc

import (
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

// RewriteMultiAssign applies the rewrite above to every multi-assignment of
// the cell (its declarations, function bodies and statements).
func RewriteMultiAssign(p *Cell, ed *Editor) *Error {
	return walkCell(p, func(n ast.Node, inList bool) *Error {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if len(x.Lhs) > 1 && len(x.Lhs) == len(x.Rhs) {
				parenthesize(p, ed, x.Rhs)
				return moveNils(p, ed, x, inList)
			}
		case *ast.ValueSpec:
			if len(x.Names) > 1 && len(x.Names) == len(x.Values) {
				parenthesize(p, ed, x.Values)
			}
		}
		return nil
	})
}

// parenthesize puts the calls, composite literals and receives among values
// in parentheses.
func parenthesize(p *Cell, ed *Editor, values []ast.Expr) {
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
		ed.Edits = append(ed.Edits, Edit{Start: p.Offset(v.Pos()), End: p.Offset(v.Pos()), Text: "("}, Edit{Start: p.Offset(v.End()), End: p.Offset(v.End()), Text: ")"})
	}
}

// isNil reports whether e is the identifier nil.
func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// moveNils moves the nil pairs of a multi-assignment to single assignments
// after it (see the comment at the top of the file), or says why it cannot.
func moveNils(p *Cell, ed *Editor, as *ast.AssignStmt, inList bool) *Error {
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
		l, c := LineCol(p.Src, p.Offset(as.Pos()))
		return &Error{Line: l, Col: c, Msg: "the interpreter cannot assign nil in a multi-assignment (it panics with reflect: New(nil)), and this one cannot be split exactly (" + why + "): write one assignment per statement"}
	}
	if !inList {
		return refuse("it is in a statement's header")
	}
	text := func(e ast.Expr) string { return p.Src[p.Offset(e.Pos()):p.Offset(e.End())] }
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
				ed.Edits = append(ed.Edits, Edit{Start: p.Offset(list[i].Pos()), End: p.Offset(list[i+1].Pos()), Text: ""})
			} else {
				ed.Edits = append(ed.Edits, Edit{Start: p.Offset(list[i-1].End()), End: p.Offset(list[i].End()), Text: ""})
			}
		}
	}
	if after != "" {
		end := p.Offset(as.End())
		ed.Edits = append(ed.Edits, Edit{Start: end, End: end, Text: after})
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
