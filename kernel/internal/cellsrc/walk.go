package cellsrc

import "go/ast"

// walkCell visits every node of the cell's declarations and then of its
// statements, in cell order. With each statement it says whether the
// statement stands in a statement list (a block, a case or select clause, the
// cell's top level), where a rewrite may put statements before or after it,
// or wrap it in a block; a statement in a header (`for i, e = ...; ; {`)
// does not. The walk stops at the first error visit returns.
func walkCell(p *Cell, visit func(n ast.Node, inList bool) *Error) *Error {
	var err *Error
	inList := map[ast.Stmt]bool{}
	for _, st := range p.Stmts {
		inList[st] = true
	}
	f := func(n ast.Node) bool {
		if err != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.BlockStmt:
			markAll(inList, x.List)
		case *ast.CaseClause:
			markAll(inList, x.Body)
		case *ast.CommClause:
			markAll(inList, x.Body)
		}
		st, _ := n.(ast.Stmt)
		err = visit(n, st != nil && inList[st])
		return true
	}
	p.Inspect(f)
	return err
}

// markAll records that the statements stand in a statement list.
func markAll(inList map[ast.Stmt]bool, stmts []ast.Stmt) {
	for _, s := range stmts {
		inList[s] = true
	}
}
