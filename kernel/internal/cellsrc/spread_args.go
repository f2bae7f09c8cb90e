package cellsrc

import "go/ast"

// yaegi v0.16.1 takes a package's variable (data.SentimentLabels) for a
// constant: it keeps the variable's value in the call it compiles and, when
// the call spreads it into a variadic parameter, converts it to the
// parameter's element type instead of passing the slice, for compiled and
// interpreted functions alike:
//
//	cfg.SetLabels(data.SentimentLabels...)
//	→ reflect.Value.Convert: value of type []string cannot be converted to type string
//
// (a CompileError at the top level, a panic where a function is declared).
// The session spreads a slice of the whole variable instead, which is the
// same slice (same elements, length and capacity; a string for append's
// `b, s...` stays the same string) and which yaegi reads when the call runs:
//
//	f(pkg.Xs...)   →   f(pkg.Xs[:]...)
//
// Only selector expressions are rewritten (x.Y...): a package's variable
// cannot be told apart from a field by syntax alone, and for a field the
// rewrite is exact as well.

// RewriteSpreadArgs applies the rewrite above to every call of the cell.
func RewriteSpreadArgs(p *Cell, ed *Editor) {
	visit := func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || !c.Ellipsis.IsValid() || len(c.Args) == 0 {
			return true
		}
		if sel, ok := c.Args[len(c.Args)-1].(*ast.SelectorExpr); ok {
			if _, ok := sel.X.(*ast.Ident); ok {
				end := p.Offset(sel.End())
				ed.Edits = append(ed.Edits, Edit{Start: end, End: end, Text: "[:]"})
			}
		}
		return true
	}
	p.Inspect(visit)
}
