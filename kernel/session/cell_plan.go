package session

import (
	"fmt"
	"go/ast"
	"go/token"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// cellPlan is what a cell will change: the imports and declarations to
// evaluate, whether the interpreter must be rebuilt before the cell (a
// redefinition) or after it (a re-declared variable that functions use), and
// the names its statements declare.
type cellPlan struct {
	newImports   []importDef
	changed      []cellsrc.Piece // new or changed declarations, for an in-place eval
	changedDecls []changedDecl   // the same, with the names they declare and use
	cellVars     []cellsrc.Piece // the cell's var declarations, for a rebuild
	skip         map[string]bool
	cellFuncs    map[string]*ast.FuncDecl
	stmtNames    []string
	needRebuild  bool
	rebuildAfter bool
}

// makePlan compares the rewritten cell with the registry: it records the
// cell's declarations in the run's registry and says what must be evaluated,
// and whether the interpreter must be rebuilt before or after the cell.
// newImports are the imports the cell adds (imports).
func (r *cellRun) makePlan(newImports []importDef) *Error {
	p, ed, cur, reg := r.p, r.ed, r.cur, r.reg
	code := p.Src
	pl := &cellPlan{newImports: newImports, cellFuncs: map[string]*ast.FuncDecl{}, skip: map[string]bool{}}
	r.plan = pl

	for _, d := range p.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil && (f.Name.Name == "main" || f.Name.Name == "init") {
			l, c := cellsrc.LineCol(code, p.Offset(f.Name.Pos()))
			v := fmt.Sprintf("%d:%d: a cell cannot declare func %s: cells run directly (and an interpreter would run it again on every later cell); give it another name and call it", l, c, f.Name.Name)
			return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
		}
	}
	// Declarations: a changed func, type or const replaces the old one (and
	// forces a rebuild); an unchanged one is skipped; a var is always run.
	for _, d := range p.Decls {
		kind, names, isVar := declInfo(d)
		start, end := p.Offset(d.Pos()), p.Offset(d.End())
		if isVar {
			pc := r.at(start, ed.Text(start, end))
			pl.changed = append(pl.changed, pc)
			pl.changedDecls = append(pl.changedDecls, changedDecl{piece: pc, Decl: cellsrc.Decl{Names: names, Refs: cellsrc.IdentsOf(d)}})
			pl.cellVars = append(pl.cellVars, pc)
			for _, n := range names {
				if old := reg.lookup(n); old != nil {
					reg.remove(old)
					pl.needRebuild = true
				}
				if reg.hasVar(n) && reg.usedBy(n) {
					pl.rebuildAfter = true
				}
				reg.addVar(n)
				pl.skip[n] = true
			}
			continue
		}
		for _, nd := range r.defsOf(d, kind, names) {
			if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil {
				pl.cellFuncs[f.Name.Name] = f
			}
			same := true
			replaced := false
			for _, n := range nd.names {
				if old := reg.lookup(n); old != nil {
					if old.piece.Text != nd.piece.Text || old.kind != nd.kind || old.kept.IsValid() {
						same = false
						reg.remove(old)
						replaced = true
					}
				} else {
					same = false
				}
				if reg.hasVar(n) {
					reg.removeVar(n)
					replaced = true
				}
			}
			if same {
				continue // re-running an unchanged definition: nothing to do
			}
			if replaced {
				pl.needRebuild = true
			}
			reg.defs = append(reg.defs, nd)
			pl.changed = append(pl.changed, nd.piece)
			pl.changedDecls = append(pl.changedDecls, changedDecl{piece: nd.piece, Decl: cellsrc.Decl{Names: nd.names, Refs: nd.refs}})
		}
	}

	// Statements: top-level := declares globals.
	for _, st := range p.Stmts {
		if d, ok := st.(*ast.DeferStmt); ok {
			l, c := cellsrc.LineCol(code, p.Offset(d.Pos()))
			v := fmt.Sprintf("%d:%d: defer at the top level of a cell is not supported (the interpreter would run it again after every later cell); put the code in a function", l, c)
			return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
		}
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					pl.stmtNames = append(pl.stmtNames, id.Name)
					if reg.hasVar(id.Name) && reg.usedBy(id.Name) {
						pl.rebuildAfter = true
					}
					if old := reg.lookup(id.Name); old != nil {
						reg.remove(old)
						pl.needRebuild = true
					}
				}
			}
		}
	}

	return nil
}

// defsOf turns one non-var declaration of a cell into registry entries: a func
// or method, a const group, or one entry per type of a type group.
func (r *cellRun) defsOf(d ast.Decl, kind defKind, names []string) []*def {
	p, ed := r.p, r.ed
	if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE && len(g.Specs) > 1 {
		var out []*def
		for _, spec := range g.Specs {
			ts := spec.(*ast.TypeSpec)
			start, end := p.Offset(ts.Pos()), p.Offset(ts.End())
			pc := r.at(start, "type "+ed.Text(start, end))
			pc.Col = max(1, pc.Col-5)
			out = append(out, &def{kind: defType, names: []string{ts.Name.Name}, piece: pc, refs: cellsrc.IdentsOf(ts), source: "type " + p.Src[start:end]})
		}
		return out
	}
	start, end := p.Offset(d.Pos()), p.Offset(d.End())
	nd := &def{kind: kind, names: names, piece: r.at(start, ed.Text(start, end)), refs: cellsrc.IdentsOf(d), results: -1, source: p.Src[start:end]}
	if f, ok := d.(*ast.FuncDecl); ok {
		nd.results = f.Type.Results.NumFields()
		if f.Type.Results.NumFields() == 1 {
			if id, ok := f.Type.Results.List[0].Type.(*ast.Ident); ok {
				nd.resultType = id.Name
			}
		}
		if f.Recv != nil && len(f.Recv.List) > 0 {
			_, nd.ptrRecv = f.Recv.List[0].Type.(*ast.StarExpr)
		}
	}
	return []*def{nd}
}
