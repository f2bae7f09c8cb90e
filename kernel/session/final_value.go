package session

import (
	"go/ast"
	"go/token"
	"reflect"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

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
		if n, ok := cellsrc.BuiltinResults(fn.Name); ok {
			return n
		}
		if cellsrc.IsPredeclaredType(fn.Name) {
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

// captureEdits returns the edits that capture the value of p's final
// expression statement for display (none when p does not end with one, or
// when it is a call that returns nothing or a print-like call), and count,
// how many values the expression produces (-1 when it cannot be told without
// type-checking: the caller then compiles without the capture if it fails).
func (r *cellRun) captureEdits(p *cellsrc.Cell) (show []cellsrc.Edit, count int) {
	s, cellFuncs := r.s, r.plan.cellFuncs
	if !p.LastIsExpr {
		return nil, 0
	}
	imports := map[string]string{}
	if hasPackage(workbenchPath) {
		imports["wb"] = workbenchPath
	}
	for _, imp := range s.reg.imports {
		imports[imp.name()] = imp.path
	}
	e := p.Stmts[len(p.Stmts)-1].(*ast.ExprStmt).X
	count = s.resultCount(e, cellFuncs, s.reg, imports)
	if count == 0 {
		return nil, 0
	}
	start, end := p.Offset(e.Pos()), p.Offset(e.End())
	if m := s.showMethod(e, cellFuncs, s.reg, s.varTypeName, p.Stmts); m != "" && count == 1 {
		// Through a temporary, so that the expression runs once.
		call := "; _tl.ShowR(_tlR(_tlv), _tlv)"
		if m == "String" {
			call = "; _tl.ShowS(_tlS(_tlv), _tlv)"
		}
		return []cellsrc.Edit{{Start: start, End: start, Text: "_tlv := "}, {Start: end, End: end, Text: call}}, count
	}
	return []cellsrc.Edit{{Start: start, End: start, Text: "_tl.Show("}, {Start: end, End: end, Text: ")"}}, count
}
