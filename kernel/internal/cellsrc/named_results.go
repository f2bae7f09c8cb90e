package cellsrc

import (
	"go/ast"
	"strings"
)

// yaegi v0.16.1 does not start a function's named results at zero: it lends
// the function the variable its result goes to (`tokens, words, counts :=
// exStart()`, `x = f()`) or the call's own slot, which keeps the previous
// call's value. So a function that builds its named results up
//
//	func exStart() (tokens []string, words [][]int, counts []int) {
//		... words = append(words, pieces) ...
//
// returned the previous call's words followed by this call's when called
// again from the same place (every pass of a loop after the first), and a
// `total += ...` into a named result added to the last total.
//
// The session zeroes every named result where the function starts, as Go
// does (each result's name, in the order declared):
//
//	func f() (n int, err error) {  →  func f() (n int, err error) { n = *new(int); err = *new(error);
//
// What stays different: the result and the caller's variable are still one
// variable while the function runs, so a function that reads the variable its
// result is being assigned to (`x = f()` where f reads the global x) sees it
// zeroed (README, interpreter limits).
func ZeroNamedResults(p *Cell, ed *Editor) {
	zero := func(ft *ast.FuncType, body *ast.BlockStmt) {
		if ft.Results == nil || body == nil {
			return
		}
		var b strings.Builder
		for _, f := range ft.Results.List {
			t := p.Src[p.Offset(f.Type.Pos()):p.Offset(f.Type.End())]
			for _, id := range f.Names {
				if id.Name != "_" {
					b.WriteString(" " + id.Name + " = *new(" + t + ");")
				}
			}
		}
		if b.Len() > 0 {
			open := p.Offset(body.Lbrace) + 1
			ed.Edits = append(ed.Edits, Edit{Start: open, End: open, Text: b.String()})
		}
	}
	visit := func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			zero(x.Type, x.Body)
		case *ast.FuncLit:
			zero(x.Type, x.Body)
		}
		return true
	}
	p.Inspect(visit)
}
