package session

import (
	"context"
	"fmt"
	"go/ast"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// cellRun is one run of a cell of Go source: the context that an interrupt
// cancels, the cell's source and its place in the session's line space, the
// parsed cell, the rewrites' edits of it, the registry as the cell will leave
// it (a copy, committed only when the cell compiles) and the plan of what the
// cell changes. A run goes through four steps, each a method:
//
//	parse     cellsrc.Parse: imports, declarations and statements
//	rewrite   the source-to-source rewrites that give the cell its Go meaning
//	          under yaegi (rewrite): those that need only the cell are in
//	          kernel/internal/cellsrc, those that need what the session knows
//	          (its variables' types, its definitions, its packages) here
//	plan      what the cell changes: new imports and declarations, a rebuild
//	          before or after the cell (makePlan, cell_plan.go)
//	evaluate  the imports and declarations, then the statements (evaluate,
//	          statements.go), in source order when a function uses a :=
//	          variable of the cell (inOrder, in_order.go)
//
// and ends with finish, which moves the session to a fresh interpreter after
// an interrupt.
type cellRun struct {
	s    *Session
	ctx  context.Context // cancelled on interrupt
	src  string          // the cell's Go source, `!` lines rewritten (cellsrc.RewriteShellLines)
	cur  *cellRecord     // the cell in the session's line space
	p    *cellsrc.Cell   // the parsed cell
	ed   *cellsrc.Editor // the rewrites' edits of the cell
	reg  *registry       // the registry as the cell leaves it
	plan *cellPlan       // what the cell changes
}

// run executes a cell that is Go source.
func (s *Session) run(ctx context.Context, code string) Result {
	if strings.TrimSpace(code) == "" {
		return Result{}
	}
	s.cells++
	r := &cellRun{s: s, ctx: ctx, cur: s.lines.addCell(s.cells, code)}
	r.src, _ = cellsrc.RewriteShellLines(code) // tracebacks show `!` lines as typed
	s.rt.reset()
	s.rt.at(0)
	s.filter.take()
	s.recursion.bind(s.in)
	display.BeginRun()
	stop := context.AfterFunc(ctx, display.Interrupt)
	defer stop()
	return r.run()
}

// run parses, rewrites, plans and evaluates the cell.
func (r *cellRun) run() Result {
	s := r.s
	p, err := cellsrc.Parse(r.src)
	if err != nil {
		return Result{Error: s.compileError(r.cur, err)}
	}
	r.p, r.ed, r.reg = p, &cellsrc.Editor{Src: r.src}, s.reg.clone()
	s.edits = r.ed
	defer func() { s.edits = nil }()

	// Imports first: the rewrites resolve package names (range over
	// math.MaxInt8), also of packages the cell uses without importing them.
	imports, e := r.imports()
	if e != nil {
		return Result{Error: e}
	}
	if e := r.rewrite(); e != nil {
		return Result{Error: e}
	}
	if e := r.makePlan(imports); e != nil {
		return Result{Error: e}
	}
	return r.evaluate()
}

// at places text found at byte offset off of the cell in the session's line
// space.
func (r *cellRun) at(off int, text string) cellsrc.Piece {
	l, c := cellsrc.LineCol(r.src, off)
	return cellsrc.Piece{Line: r.cur.base + l - 1, Col: c, Text: text}
}

// imports records the cell's imports in the run's registry and returns the new
// ones, to evaluate: first those the cell needs without importing them
// (auto_import.go), then its own, of known packages only (a repeated one is
// not new).
func (r *cellRun) imports() ([]importDef, *Error) {
	p := r.p
	added, e := r.s.autoImport(p, r.cur, r.reg)
	if e != nil {
		return nil, e
	}
	for _, g := range p.Imports {
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			path, _ := strconv.Unquote(is.Path.Value)
			if !hasPackage(path) {
				l, c := cellsrc.LineCol(r.src, p.Offset(is.Path.Pos()))
				return nil, importError(l, c, path)
			}
			d := importDef{path: path}
			text := "import " + is.Path.Value
			if is.Name != nil {
				d.alias = is.Name.Name
				text = "import " + is.Name.Name + " " + is.Path.Value
			}
			d.piece = r.at(p.Offset(is.Pos()), text)
			if r.reg.addImport(d) {
				added = append(added, d)
			}
		}
	}
	return added, nil
}

// rewrite applies the source-to-source rewrites to the cell, as edits; each
// works around one gap of yaegi (see its file: cellsrc's for cellsrc.Rewrite*,
// builtins.go, range_func.go, block_shadow.go and recursion_guard.go for the
// session's own). The order matters where a
// rewrite reads the edits of an earlier one.
func (r *cellRun) rewrite() *Error {
	s, p, ed, cur, reg := r.s, r.p, r.ed, r.cur, r.reg
	for _, d := range p.Decls {
		cellsrc.RewriteGo(ed, d, p.Offset)
	}
	cellsrc.RewriteRangeOverInt(p, ed, sessionNames{in: s.in, reg: reg})
	s.rewriteBuiltins(p, ed, reg)
	cellsrc.RewriteSpreadArgs(p, ed)
	cellsrc.RewriteCompositeElements(p, ed)
	if e := rangeOverFuncError(p, reg, cur); e != nil {
		return e
	}
	wrapShadowingBlocks(p, ed, reg)
	if e := cellsrc.RewriteLoopVars(p, ed); e != nil {
		return sourceError(cur, e)
	}
	if e := cellsrc.RewriteAssignOrder(p, ed); e != nil {
		return sourceError(cur, e)
	}
	if e := cellsrc.RewriteMultiAssign(p, ed); e != nil {
		return sourceError(cur, e)
	}
	cellsrc.ZeroNamedResults(p, ed)
	s.recursion.guard(p, ed, cur)
	cellsrc.RewriteMultiReturns(p, ed) // after the guard, whose edits it reads
	for _, st := range p.Stmts {
		cellsrc.RewriteGo(ed, st, p.Offset)
	}
	return nil
}

// evaluate carries out the plan: a rebuild, or the new imports and changed
// declarations in the live interpreter; then the statements.
func (r *cellRun) evaluate() Result {
	s, pl := r.s, r.plan
	if pl.needRebuild {
		in, err := s.rebuild(r.ctx, r.reg, r.cur, pl.cellVars, pl.skip)
		if err != nil {
			return Result{Error: hintOrder(s.declError(r.ctx, r.cur, err), pl.stmtNames)}
		}
		s.in = in
	} else {
		for _, imp := range pl.newImports {
			if err := eval(s.in, cellsrc.Layout([]cellsrc.Piece{imp.piece})); err != nil {
				s.repair(r.ctx)
				return Result{Error: s.compileError(r.cur, err)}
			}
		}
		if len(pl.changed) > 0 {
			if err := s.evalRun(r.ctx, s.in, cellsrc.Layout(pl.changed)); err != nil {
				if res, ok := r.inOrder(err); ok {
					return r.finish(res)
				}
				e := hintOrder(s.declError(r.ctx, r.cur, err), pl.stmtNames)
				s.repair(r.ctx)
				return Result{Error: e}
			}
		}
	}
	s.setRegistry(r.reg)
	if pl.needRebuild || len(pl.changed) > 0 {
		s.types = typeNames(s.in, s.reg) // the interpreter is idle here
	}
	var res Result
	if len(r.p.Stmts) > 0 {
		res = r.statements(r.p, pl.stmtNames)
	}
	return r.finish(res)
}

// finish ends a cell that ran: a rebuild after an interrupt, or when a
// re-declared variable is used by stored functions.
func (r *cellRun) finish(res Result) Result {
	s := r.s
	// After an interrupt the stopped code must never run again: yaegi resumes it
	// if the same interpreter executes the next cell (they share the global
	// frame whose run id a new execution resets), so the session moves to a
	// fresh interpreter with the same state.
	if r.plan.rebuildAfter || r.ctx.Err() != nil {
		if in, err := s.rebuild(unstoppable(r.ctx), s.reg, nil, nil, nil); err == nil {
			s.in = in
			s.types = typeNames(s.in, s.reg)
		} else {
			fmt.Fprintf(s.opts.Stderr, "note: could not refresh functions after re-declaring a variable: %v\n", err)
		}
	}
	return res
}

// repair replaces a live interpreter that a failed eval may have left half
// updated by one rebuilt from the registry. The rebuild runs no cell code, so
// it completes even when ctx, the running cell's, is cancelled.
func (s *Session) repair(ctx context.Context) {
	if in, err := s.rebuild(unstoppable(ctx), s.reg, nil, nil, nil); err == nil {
		s.in = in
		s.types = typeNames(s.in, s.reg)
	}
}
