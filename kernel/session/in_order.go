package session

import (
	"slices"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// A cell's declarations are compiled before its statements, so that statements
// may call functions declared further down. That order has one surprise: a
// function cannot use a variable that a := statement of the same cell declares.
//
//	data := load()
//	func count() int { return len(data) }
//	count()
//
// When the declarations fail to compile for that reason, the session runs the
// cell in source order instead, as a reader would expect: the declarations that
// do not depend on the cell's := variables, then the statements up to the
// first one that uses a declaration that does, then those declarations, then
// the remaining statements. A dependent declaration is one that names a :=
// variable of the cell, or names another dependent declaration. If a variable
// such a declaration needs is declared only after the first use of the
// declaration, there is no order that works and the usual error stands.

// changedDecl is one declaration a cell evaluates, with the names it declares
// and the identifiers it mentions.
type changedDecl struct {
	piece cellsrc.Piece
	cellsrc.Decl
}

// inOrder runs the cell in source order when declErr, the failure of its
// declarations, comes from a function that uses one of the cell's := variables.
// ok is false when the cell is not of that kind (the caller reports declErr).
func (r *cellRun) inOrder(declErr error) (Result, bool) {
	s, ctx, p, ed, cur, pl, reg := r.s, r.ctx, r.p, r.ed, r.cur, r.plan, r.reg
	m := undefinedRE.FindStringSubmatch(declErr.Error())
	if m == nil || !slices.Contains(pl.stmtNames, m[1]) || ctx.Err() != nil {
		return Result{}, false
	}
	decls := make([]cellsrc.Decl, len(pl.changedDecls))
	for i, d := range pl.changedDecls {
		decls[i] = d.Decl
	}
	order, ok := cellsrc.InOrder(p, pl.stmtNames, decls)
	if !ok {
		return Result{}, false
	}

	// Start again from the registry before the cell, with its new imports and
	// the declarations that do not depend on the statements.
	s.repair(ctx) // the failed evaluation may have left some declarations behind
	for _, imp := range pl.newImports {
		if err := eval(s.in, cellsrc.Layout([]cellsrc.Piece{imp.piece})); err != nil {
			s.repair(ctx)
			return Result{Error: s.compileError(cur, err)}, true
		}
	}
	var first, second []cellsrc.Piece
	for i, d := range pl.changedDecls {
		if order.Dependent[i] {
			second = append(second, d.piece)
		} else {
			first = append(first, d.piece)
		}
	}
	if len(first) > 0 {
		if err := s.evalRun(ctx, s.in, cellsrc.Layout(first)); err != nil {
			e := s.declError(ctx, cur, err)
			s.repair(ctx)
			return Result{Error: e}, true
		}
	}
	// Until they are evaluated, the dependent declarations stay out of the
	// registry, so that a rebuild meanwhile does not try them without the
	// variables they need.
	partial := reg.clone()
	for n := range order.Names {
		if d := partial.lookup(n); d != nil {
			partial.remove(d)
		}
	}
	s.setRegistry(partial)
	s.types = typeNames(s.in, s.reg)

	head, tail := p.Split(order.Cut)
	planned := append([]cellsrc.Edit(nil), ed.Edits...)
	res := r.statements(head, cellsrc.NamesOf(pl.stmtNames, head.Stmts))
	if res.Error != nil {
		return res, true
	}
	ed.Edits = planned
	if err := s.evalRun(ctx, s.in, cellsrc.Layout(second)); err != nil {
		return Result{Error: s.declError(ctx, cur, err)}, true
	}
	for _, n := range s.reg.vars {
		reg.addVar(n) // the := variables the first part declared
	}
	s.setRegistry(reg)
	s.types = typeNames(s.in, s.reg)
	if tail == nil {
		return res, true
	}
	return r.statements(tail, cellsrc.NamesOf(pl.stmtNames, tail.Stmts)), true
}
