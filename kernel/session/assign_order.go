package session

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

// rewriteAssignOrder applies the rewrite above to every assignment of the
// cell (its declarations, function bodies and statements).
func rewriteAssignOrder(p *cellParts, ed *editor, cur *cellRecord) *Error {
	var err *Error
	inList := map[ast.Stmt]bool{} // statements of a block, which may become blocks
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
			if x.Tok == token.ASSIGN && len(x.Lhs) > 1 {
				err = orderOperands(p, ed, cur, x, inList[x])
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

// orderOperands evaluates into temporaries the operands of as's element
// destinations that an earlier destination may change, or says why it cannot.
func orderOperands(p *cellParts, ed *editor, cur *cellRecord, as *ast.AssignStmt, inList bool) *Error {
	var pre string
	var edits []edit
	assigned := map[string]bool{} // the variables the destinations before the current one assign
	for _, l := range as.Lhs {
		if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok {
			for k, op := range []ast.Expr{ix.X, ix.Index} {
				r := chainRoot(op)
				if r == "" || !assigned[r] {
					continue
				}
				start, end := p.offset(op.Pos()), p.offset(op.End())
				if k == 0 {
					return assignOrderError(p, cur, op, "the indexed "+p.src[start:end]+" is assigned before it: index a copy made before the statement")
				}
				name := fmt.Sprintf("_tlK%d", start)
				pre += name + " := " + p.src[start:end] + "; "
				edits = append(edits, edit{start, end, name})
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
		return assignOrderError(p, cur, as, "it is in a statement's header: assign the index to a variable before the statement")
	}
	start, end := p.offset(as.Pos()), p.offset(as.End())
	ed.edits = append(ed.edits, edit{start, start, "{ " + pre})
	ed.edits = append(ed.edits, edits...)
	ed.edits = append(ed.edits, edit{end, end, " }"})
	return nil
}

// assignOrderError refuses a multi-assignment that the interpreter would
// assign with operands evaluated too late, naming the line and why.
func assignOrderError(p *cellParts, cur *cellRecord, at ast.Node, why string) *Error {
	l, c := lineCol(p.src, p.offset(at.Pos()))
	v := fmt.Sprintf("%d:%d: the interpreter evaluates a map destination's operands only after assigning the destinations before it, and this assignment cannot be rewritten to Go's order (%s)", l, c, why)
	return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
}

// chainRoot returns the variable an operand is (k) or is a field of (o.k),
// or "" for any other expression, which yaegi evaluates in time.
func chainRoot(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			if x.Name == "_" || x.Name == "nil" {
				return ""
			}
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
