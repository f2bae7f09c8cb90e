package cellsrc

import (
	"go/ast"
	"strings"
)

// yaegi v0.16.1 gives a variable declared by `x := f()`, where f is compiled
// and returns a slice of compiled structs (`_, devSet, _, err :=
// recipe.Splits()`, then `victims := devSet[:60]`), the compiled slice type as
// one opaque type. Its compiler then crashes with a nil pointer dereference
// when it types an element of a composite literal that indexes such a slice:
//
//	clf.Predict([]string{victims[0].Text, victims[1].Text})
//	→ CompileError: runtime error: invalid memory address or nil pointer dereference
//
// (interp/type.go: nodeType2 has no case for indexing an opaque compiled
// slice and returns no type, which the selector's case then reads). Only the
// literal's own pass over its elements types them that way; the same
// expressions compile everywhere else. The session converts such an element
// to the literal's element type, which is the same value (an element must be
// assignable to that type) and which yaegi types from the conversion alone:
//
//	[]string{victims[0].Text}   →   []string{(string)(victims[0].Text)}
//
// Elements are converted when they are a name, a selector, an index through a
// pointer or a parenthesized or sliced expression, in slice and array
// literals that spell their element type (or inherit it from an outer
// literal), outside generic functions.

// RewriteCompositeElements applies the rewrite above to every slice and
// array literal of the cell.
func RewriteCompositeElements(p *Cell, ed *Editor) {
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Type.TypeParams != nil && x.Type.TypeParams.NumFields() > 0 {
				return false // (T)(x) with a type parameter T: left as written
			}
			if x.Recv != nil && hasTypeArgs(x.Recv) {
				return false
			}
		case *ast.CompositeLit:
			if at, ok := x.Type.(*ast.ArrayType); ok {
				convertElements(p, ed, x, at.Elt)
			}
		}
		return true
	}
	p.Inspect(visit)
}

// hasTypeArgs reports whether a method's receiver names type parameters
// (func (s *Stack[T]) Push(...)).
func hasTypeArgs(recv *ast.FieldList) bool {
	for _, f := range recv.List {
		t := f.Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		switch t.(type) {
		case *ast.IndexExpr, *ast.IndexListExpr:
			return true
		}
	}
	return false
}

// convertElements converts the elements of lit, whose element type is elt;
// literals among them without a type of their own (`[][]string{{a, b}}`) get
// elt's element type in turn (ast.Inspect reaches the typed ones itself).
// Keyed elements (`{2: x}`) are left alone: yaegi does not type them there.
func convertElements(p *Cell, ed *Editor, lit *ast.CompositeLit, elt ast.Expr) {
	t := p.Src[p.Offset(elt.Pos()):p.Offset(elt.End())]
	if strings.Contains(t, "\n") {
		return
	}
	for _, e := range lit.Elts {
		if inner, ok := e.(*ast.CompositeLit); ok && inner.Type == nil {
			if at, ok := elt.(*ast.ArrayType); ok {
				convertElements(p, ed, inner, at.Elt)
			}
			continue
		}
		if !typedByLiteral(e) {
			continue
		}
		ed.Edits = append(ed.Edits, Edit{Start: p.Offset(e.Pos()), End: p.Offset(e.Pos()), Text: "(" + t + ")("}, Edit{Start: p.Offset(e.End()), End: p.Offset(e.End()), Text: ")"})
	}
}

// typedByLiteral reports whether yaegi types element e through the
// literal's pass over its elements (the kinds it does not skip), and e is not
// nil.
func typedByLiteral(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name != "nil"
	case *ast.SelectorExpr, *ast.StarExpr, *ast.ParenExpr, *ast.SliceExpr:
		return true
	}
	return false
}
