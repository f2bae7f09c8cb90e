package session

import (
	"go/ast"
	"go/token"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// At the top level of a cell, yaegi v0.16.1 takes a := (or var) inside a
// compound statement of a name that is already a global as an assignment to
// the global: after `x := []float32{1}`, the cell
// `for i := 0; i < 2; i++ { x := strconv.Itoa(i) }` panicked with
// "reflect.Set: value of type string is not assignable to type []float32",
// and with a value of the global's type it would silently overwrite it. In
// Go the block's x is a new variable that shadows the global.
//
// Inside a function yaegi scopes such a variable correctly, so the session
// runs a top-level compound statement that declares a global's name inside
// a function literal (in `if true { ... }`, which keeps yaegi from running
// the literal again on later cells: see cellsrc.IIFEEdits):
//
//	for ... { x := ... }  →  if true { func() { for ... { x := ... } }() }
//
// Everything else the statement does is unchanged: globals are still read
// and assigned by name, and what it declares was local to it anyway.

// wrapShadowingBlocks applies the rewrite above to the cell's top-level
// compound statements that declare a name the program already has at the
// package level (reg) or that the cell declares at its top level.
func wrapShadowingBlocks(p *cellsrc.Cell, ed *cellsrc.Editor, reg *registry) {
	top := map[string]bool{}
	for _, d := range p.Decls {
		_, names, _ := declInfo(d)
		for _, n := range names {
			top[n] = true
		}
	}
	for _, st := range p.Stmts {
		for _, n := range topLevelNames(st) {
			top[n] = true
		}
	}
	global := func(n string) bool { return top[n] || reg.hasVar(n) || reg.lookup(n) != nil }
	for _, st := range p.Stmts {
		switch st.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt,
			*ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
		default:
			continue
		}
		shadows := false
		ast.Inspect(st, func(n ast.Node) bool {
			for _, name := range blockNames(n) {
				shadows = shadows || global(name)
			}
			return !shadows
		})
		if shadows {
			start, end := p.Offset(st.Pos()), p.Offset(st.End())
			ed.Edits = append(ed.Edits, cellsrc.Edit{Start: start, End: start, Text: "if true { func() { "}, cellsrc.Edit{Start: end, End: end, Text: " }() }"})
		}
	}
}

// topLevelNames returns the names a top-level statement declares: x of
// `x := ...` or `var x ...`.
func topLevelNames(st ast.Stmt) []string {
	switch x := st.(type) {
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			return cellsrc.DeclaredNames(x.Lhs...)
		}
	case *ast.DeclStmt:
		return blockNames(x)
	}
	return nil
}

// blockNames returns the names node n declares: by :=, a range's :=, or a
// var, const or type declaration.
func blockNames(n ast.Node) []string {
	switch x := n.(type) {
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			return cellsrc.DeclaredNames(x.Lhs...)
		}
	case *ast.RangeStmt:
		if x.Tok == token.DEFINE {
			return cellsrc.DeclaredNames(x.Key, x.Value)
		}
	case *ast.DeclStmt:
		var out []string
		if g, ok := x.Decl.(*ast.GenDecl); ok {
			for _, s := range g.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, id := range s.Names {
						out = append(out, id.Name)
					}
				case *ast.TypeSpec:
					out = append(out, s.Name.Name)
				}
			}
		}
		return out
	}
	return nil
}
