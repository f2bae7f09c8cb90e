package session

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strings"
)

// edit replaces the cell bytes [start, end) by text. Edits never add or remove
// newlines, so line numbers survive every rewrite.
type edit struct {
	start, end int
	text       string
}

// editor extracts cell source with the edits applied.
type editor struct {
	src   string
	edits []edit
}

// text returns src[start:end] with the edits inside that range applied.
func (e *editor) text(start, end int) string {
	sortEdits(e.edits)
	var b strings.Builder
	at := start
	for _, ed := range e.edits {
		if ed.start < start || ed.end > end || ed.start < at {
			continue
		}
		b.WriteString(e.src[at:ed.start])
		b.WriteString(ed.text)
		at = ed.end
	}
	b.WriteString(e.src[at:end])
	return b.String()
}

// sortEdits orders edits by where they start; at the same place, insertions
// come before a replacement (which would otherwise hide them: `_tl.Show(`
// before the rewritten name of a final `max(a, b)`), each kind in the order
// they were made.
func sortEdits(edits []edit) {
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.start != b.start {
			return a.start < b.start
		}
		return a.end == a.start && b.end != b.start
	})
}

// originalCol maps a column of line (1-based) of the edited cell back to the
// cell as written, so compile errors point at what the user typed.
func (e *editor) originalCol(line, col int) int {
	edits := append([]edit(nil), e.edits...)
	sortEdits(edits)
	delta := 0
	for _, ed := range edits {
		l, c := lineCol(e.src, ed.start)
		if l != line {
			continue
		}
		if col < c+delta+len(ed.text) {
			if col >= c+delta {
				return c // inside inserted text: point at the edit
			}
			break
		}
		delta += len(ed.text) - (ed.end - ed.start)
	}
	return col - delta
}

// rewriteGo turns every `go f(a, b)` of node n into `_tl.Go(f, a, b)`: f and its
// arguments are still evaluated at the go statement, and the helper runs the call
// in a goroutine that recovers from panics. off maps AST positions to cell offsets.
func rewriteGo(ed *editor, n ast.Node, off func(token.Pos) int) {
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
			ed.edits = append(ed.edits, edit{off(g.Go), off(g.Call.Fun.Pos()), "{ " + name + " := "})
			if len(g.Call.Args) == 0 {
				ed.edits = append(ed.edits, edit{off(g.Call.Lparen), off(g.Call.Rparen) + 1, "; _tl.Go(" + name + ") }"})
			} else {
				ed.edits = append(ed.edits, edit{off(g.Call.Lparen), off(g.Call.Lparen) + 1, "; _tl.Go(" + name + ", "},
					edit{off(g.Call.Rparen) + 1, off(g.Call.Rparen) + 1, " }"})
			}
			return true
		}
		ed.edits = append(ed.edits, edit{off(g.Go), off(g.Call.Fun.Pos()), "_tl.Go("})
		if len(g.Call.Args) == 0 {
			ed.edits = append(ed.edits, edit{off(g.Call.Lparen), off(g.Call.Rparen) + 1, ")"})
		} else {
			ed.edits = append(ed.edits, edit{off(g.Call.Lparen), off(g.Call.Lparen) + 1, ", "})
		}
		return true
	})
}

// builtinResults is the number of results of each builtin function, plus one
// (0 means "not a builtin").
var builtinResults = map[string]int{
	"append": 2, "cap": 2, "complex": 2, "copy": 2, "imag": 2, "len": 2, "make": 2,
	"max": 2, "min": 2, "new": 2, "real": 2, "recover": 2,
	"clear": 1, "close": 1, "delete": 1, "panic": 1, "print": 1, "println": 1,
}

// printLike are the names of calls whose (n int, err error) results a cell
// should not show: fmt.Println("x") at the end of a cell shows only its output.
var printLike = map[string]bool{
	"Print": true, "Println": true, "Printf": true, "Fprint": true, "Fprintln": true,
	"Fprintf": true, "Write": true, "WriteString": true, "WriteRune": true, "WriteByte": true,
}

// resultCount returns how many values the final expression e produces: -1 when
// it cannot be told without type-checking, 0 for a call that returns nothing or
// a print-like call whose (n, err) is not worth showing.
func (s *Session) resultCount(e ast.Expr, cellFuncs map[string]*ast.FuncDecl, reg *registry, imports map[string]string) int {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return 1
	}
	switch fn := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if f, ok := cellFuncs[fn.Name]; ok {
			return f.Type.Results.NumFields()
		}
		if d := reg.lookup(fn.Name); d != nil {
			if d.kind == defType {
				return 1
			}
			if d.kind == defFunc && d.results >= 0 {
				return d.results
			}
		}
		if n := builtinResults[fn.Name]; n > 0 {
			return n - 1
		}
		if isPredeclaredType(fn.Name) {
			return 1
		}
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if p, ok := imports[x.Name]; ok && reg.lookup(x.Name) == nil && !reg.hasVar(x.Name) {
				idx, _ := packages()
				if v, ok := idx[p][fn.Sel.Name].(reflect.Value); ok {
					if v.Kind() == reflect.Func {
						t := v.Type()
						if printLike[fn.Sel.Name] && t.NumOut() == 2 {
							return 0
						}
						return t.NumOut()
					}
					return 1 // a conversion to a package type
				}
			}
		}
		if printLike[fn.Sel.Name] {
			return 0
		}
	case *ast.ArrayType, *ast.MapType, *ast.InterfaceType, *ast.StructType, *ast.FuncType, *ast.ChanType, *ast.StarExpr:
		return 1
	}
	return -1
}

func isPredeclaredType(n string) bool {
	switch n {
	case "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8",
		"int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "any":
		return true
	}
	return false
}

// showMethod returns the method through which the final value e must be shown
// when it is of a cell type: "MIMEBundle" (rich) or "String" (its text), for a
// value-receiver method; "" otherwise. yaegi passes cell-typed values to compiled
// code without their methods, so those go through interpreter-made wrappers.
func (s *Session) showMethod(e ast.Expr, cellFuncs map[string]*ast.FuncDecl, reg *registry, varType func(string) string, stmts []ast.Stmt) string {
	t := cellTypeOf(e, cellFuncs, reg, varType, stmts)
	return t
}

// cellTypeOf returns the name of the cell type of e when it can be told without
// type-checking: a variable of that type (also one declared by `x := ...` in
// this cell), a composite literal, a conversion, a call of a cell function.
func cellTypeOf(e ast.Expr, cellFuncs map[string]*ast.FuncDecl, reg *registry, varType func(string) string, stmts []ast.Stmt) string {
	var t string
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		for _, st := range stmts {
			if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == x.Name && as.Rhs[0] != e {
					return cellTypeOf(as.Rhs[0], cellFuncs, reg, varType, nil)
				}
			}
		}
		t = varType(x.Name)
	case *ast.CompositeLit:
		if id, ok := x.Type.(*ast.Ident); ok {
			t = id.Name
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			if d := reg.lookup(id.Name); d != nil && d.kind == defType {
				t = id.Name
			} else if f, ok := cellFuncs[id.Name]; ok && f.Type.Results.NumFields() == 1 {
				if rid, ok := f.Type.Results.List[0].Type.(*ast.Ident); ok {
					t = rid.Name
				}
			} else if d != nil && d.kind == defFunc {
				t = d.resultType
			}
		}
	}
	if t == "" {
		return ""
	}
	for _, m := range []string{"MIMEBundle", "String"} {
		if d := reg.lookup(t + "." + m); d != nil && !d.ptrRecv {
			return m
		}
	}
	return ""
}
