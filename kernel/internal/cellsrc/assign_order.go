package cellsrc

import (
	"fmt"
	"go/ast"
	"go/token"
)

// Go assigns `a, b = x, y` in two phases: first the index operands and
// pointer indirections on the left and the expressions on the right are all
// evaluated, then the assignments are carried out left to right. yaegi
// v0.16.1 evaluates most left-hand operands in the first phase, but it reads
// a map entry's map and key, when they are a variable or a field of one, only
// while it assigns that entry, after the earlier pairs: `k, m[k] = "b", 1`
// set m["b"] where Go sets m["a"] (a slice element, `i, s[i] = 1, 2`, and a
// field through a pointer, `p, p.f = q, 5`, were already exact).
//
// The session evaluates such operands into temporaries before the statement,
// but only where the difference can show: an element destination whose
// index or indexed operand is a variable or field chain (not a call or
// another expression, which yaegi computes in time) rooted in the variable
// an earlier destination of the statement assigns:
//
//	k, m[k] = "b", 1   →  { _tlK7 := k; k, m[_tlK7] = "b", 1 }
//
// Evaluating a variable earlier than Go would is exact: only calls, receives
// and logical operators have an order among the first phase's evaluations.
// The indexed variable itself (`m, m[k] = m2, 1`) cannot be kept so without
// knowing its type (a map must be copied, an array must not), and neither
// can a statement that cannot be wrapped in a block (a loop's or if's
// header): those are refused with an error naming the line.

// RewriteAssignOrder applies the rewrite above to every assignment of the
// cell (its declarations, function bodies and statements).
func RewriteAssignOrder(p *Cell, ed *Editor) *Error {
	return walkCell(p, func(n ast.Node, inList bool) *Error {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN && len(as.Lhs) > 1 {
			return orderOperands(p, ed, as, inList)
		}
		return nil
	})
}

// orderOperands evaluates into temporaries the operands of as's element
// destinations that an earlier destination may change, or says why it cannot.
func orderOperands(p *Cell, ed *Editor, as *ast.AssignStmt, inList bool) *Error {
	var pre string
	var edits []Edit
	assigned := map[string]bool{} // the variables the destinations before the current one assign
	for _, l := range as.Lhs {
		if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok {
			for k, op := range []ast.Expr{ix.X, ix.Index} {
				r := chainRoot(op)
				if r == "" || !assigned[r] {
					continue
				}
				start, end := p.Offset(op.Pos()), p.Offset(op.End())
				if k == 0 {
					return assignOrderError(p, op, "the indexed "+p.Src[start:end]+" is assigned before it: index a copy made before the statement")
				}
				name := fmt.Sprintf("_tlK%d", start)
				pre += name + " := " + p.Src[start:end] + "; "
				edits = append(edits, Edit{Start: start, End: end, Text: name})
			}
		}
		if r := assignRoot(l); r != "" && r != "_" {
			assigned[r] = true // a variable or a field of it, not an element
		}
	}
	if pre == "" {
		return nil
	}
	if !inList {
		return assignOrderError(p, as, "it is in a statement's header: assign the index to a variable before the statement")
	}
	start, end := p.Offset(as.Pos()), p.Offset(as.End())
	ed.Edits = append(ed.Edits, Edit{Start: start, End: start, Text: "{ " + pre})
	ed.Edits = append(ed.Edits, edits...)
	ed.Edits = append(ed.Edits, Edit{Start: end, End: end, Text: " }"})
	return nil
}

// assignOrderError refuses a multi-assignment that the interpreter would
// assign with operands evaluated too late, naming the line and why.
func assignOrderError(p *Cell, at ast.Node, why string) *Error {
	l, c := LineCol(p.Src, p.Offset(at.Pos()))
	return &Error{Line: l, Col: c, Msg: "the interpreter evaluates a map destination's operands only after assigning the destinations before it, and this assignment cannot be rewritten to Go's order (" + why + ")"}
}

// chainRoot returns the variable an operand is (k) or is a field of (o.k),
// or "" for any other expression, which yaegi evaluates in time.
func chainRoot(e ast.Expr) string {
	if r := assignRoot(e); r != "_" && r != "nil" {
		return r
	}
	return ""
}
