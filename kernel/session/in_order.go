package session

import (
	"go/ast"
	"go/token"
	"slices"
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
	piece piece
	names []string
	refs  map[string]bool
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
	// The dependent declarations: those naming a := variable of the cell, and,
	// transitively, those naming a dependent declaration.
	needs := map[string]bool{}
	for _, n := range pl.stmtNames {
		needs[n] = true
	}
	dependent := make([]bool, len(pl.changedDecls))
	for grew := true; grew; {
		grew = false
		for i, d := range pl.changedDecls {
			if dependent[i] || !mentionsAny(d.refs, needs) {
				continue
			}
			dependent[i], grew = true, true
			for _, n := range d.names {
				needs[n] = true
			}
		}
	}
	// The cut: the first top-level statement that uses a dependent declaration.
	depNames := map[string]bool{}
	for i, d := range pl.changedDecls {
		if dependent[i] {
			for _, n := range d.names {
				depNames[n] = true
			}
		}
	}
	cut := len(p.stmts)
	for i, st := range p.stmts {
		if mentionsAny(identsOf(st), depNames) {
			cut = i
			break
		}
	}
	if cut == 0 {
		return Result{}, false
	}
	// Every := variable the dependent declarations use must be declared before it.
	before := definedNames(p.stmts[:cut])
	for i, d := range pl.changedDecls {
		if !dependent[i] {
			continue
		}
		for _, n := range pl.stmtNames {
			if d.refs[n] && !before[n] {
				return Result{}, false
			}
		}
	}

	// Start again from the registry before the cell, with its new imports and
	// the declarations that do not depend on the statements.
	s.repair(ctx) // the failed evaluation may have left some declarations behind
	for _, imp := range pl.newImports {
		if err := eval(s.in, layout([]piece{imp.piece})); err != nil {
			s.repair(ctx)
			return Result{Error: s.compileError(cur, err)}, true
		}
	}
	var first, second []piece
	for i, d := range pl.changedDecls {
		if dependent[i] {
			second = append(second, d.piece)
		} else {
			first = append(first, d.piece)
		}
	}
	if len(first) > 0 {
		if err := s.evalRun(ctx, s.in, layout(first)); err != nil {
			e := s.declError(ctx, cur, err)
			s.repair(ctx)
			return Result{Error: e}, true
		}
	}
	// Until they are evaluated, the dependent declarations stay out of the
	// registry, so that a rebuild meanwhile does not try them without the
	// variables they need.
	partial := reg.clone()
	for n := range depNames {
		if d := partial.lookup(n); d != nil {
			partial.remove(d)
		}
	}
	s.setRegistry(partial)
	s.types = typeNames(s.in, s.reg)

	head, tail := p.split(cut)
	planned := append([]edit(nil), ed.edits...)
	res := r.statements(head, namesOf(pl.stmtNames, head.stmts))
	if res.Error != nil {
		return res, true
	}
	ed.edits = planned
	if err := s.evalRun(ctx, s.in, layout(second)); err != nil {
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
	return r.statements(tail, namesOf(pl.stmtNames, tail.stmts)), true
}

// split returns the cell's statements before statement i and from it on, as
// two cells (parts 1 and 2) with the same positions; only the second can end
// with a value. With i past the last statement, the first part is the whole
// cell (with its value) and the second is nil.
func (p *cellParts) split(i int) (*cellParts, *cellParts) {
	if i >= len(p.stmts) {
		head := *p
		head.part = 1
		return &head, nil
	}
	off := p.offset(p.stmts[i].Pos())
	head, tail := *p, *p
	head.stmts, tail.stmts = p.stmts[:i], p.stmts[i:]
	head.lastIsExpr = false
	head.part, tail.part = 1, 2
	head.chunks, tail.chunks = nil, nil
	for _, c := range p.chunks {
		switch {
		case c.kind != chunkStmt || c.end <= off:
			head.chunks = append(head.chunks, c)
		case c.start >= off:
			tail.chunks = append(tail.chunks, c)
		default:
			head.chunks = append(head.chunks, chunk{kind: c.kind, start: c.start, end: off})
			tail.chunks = append(tail.chunks, chunk{kind: c.kind, start: off, end: c.end})
		}
	}
	return &head, &tail
}

// definedNames are the names the top-level := statements of stmts declare.
func definedNames(stmts []ast.Stmt) map[string]bool {
	out := map[string]bool{}
	for _, st := range stmts {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					out[id.Name] = true
				}
			}
		}
	}
	return out
}

// namesOf keeps the names of all that stmts declare with :=.
func namesOf(all []string, stmts []ast.Stmt) []string {
	def := definedNames(stmts)
	var out []string
	for _, n := range all {
		if def[n] {
			out = append(out, n)
		}
	}
	return out
}

// mentionsAny reports whether refs holds one of names.
func mentionsAny(refs, names map[string]bool) bool {
	for n := range names {
		if refs[n] {
			return true
		}
	}
	return false
}
