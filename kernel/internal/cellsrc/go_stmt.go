package cellsrc

import (
	"fmt"
	"go/ast"
	"go/token"
)

// RewriteGo turns every `go f(a, b)` of node n into `_tl.Go(f, a, b)`: f and its
// arguments are still evaluated at the go statement, and the helper runs the call
// in a goroutine that recovers from panics. off maps AST positions to cell offsets.
func RewriteGo(ed *Editor, n ast.Node, off func(token.Pos) int) {
	ast.Inspect(n, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok || g.Call.Ellipsis.IsValid() {
			return true
		}
		if id, ok := g.Call.Fun.(*ast.Ident); ok && builtinResults[id.Name] != 0 {
			return true // builtins are not values; left alone
		}
		if _, lit := g.Call.Fun.(*ast.FuncLit); lit {
			// Through a variable: yaegi gives a function literal passed
			// straight to compiled code the variables of the enclosing
			// frame as they are when it runs, not of its own iteration.
			name := fmt.Sprintf("_tlG%d", off(g.Go))
			ed.Edits = append(ed.Edits, Edit{Start: off(g.Go), End: off(g.Call.Fun.Pos()), Text: "{ " + name + " := "})
			if len(g.Call.Args) == 0 {
				ed.Edits = append(ed.Edits, Edit{Start: off(g.Call.Lparen), End: off(g.Call.Rparen) + 1, Text: "; _tl.Go(" + name + ") }"})
			} else {
				ed.Edits = append(ed.Edits, Edit{Start: off(g.Call.Lparen), End: off(g.Call.Lparen) + 1, Text: "; _tl.Go(" + name + ", "},
					Edit{Start: off(g.Call.Rparen) + 1, End: off(g.Call.Rparen) + 1, Text: " }"})
			}
			return true
		}
		ed.Edits = append(ed.Edits, Edit{Start: off(g.Go), End: off(g.Call.Fun.Pos()), Text: "_tl.Go("})
		if len(g.Call.Args) == 0 {
			ed.Edits = append(ed.Edits, Edit{Start: off(g.Call.Lparen), End: off(g.Call.Rparen) + 1, Text: ")"})
		} else {
			ed.Edits = append(ed.Edits, Edit{Start: off(g.Call.Lparen), End: off(g.Call.Lparen) + 1, Text: ", "})
		}
		return true
	})
}
