package session

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/display"
)

// Options configures a Session.
type Options struct {
	// Stdout and Stderr receive what interpreted code prints (fmt.Print, println,
	// log). The kernel passes os.Stdout and os.Stderr, whose file descriptors it
	// redirects; compiled code writes to fds 1 and 2 directly. nil means os.Stdout
	// and os.Stderr.
	Stdout, Stderr io.Writer
}

// Result is what one cell produced besides its streamed output.
type Result struct {
	Value *display.Bundle // the final expression's value; nil when nothing is shown
	Error *Error          // non-nil when the cell failed (compile error, panic, interrupt)
	Pager string          // text for a pager payload (`name?`), "" when none
}

// Session is one notebook's interpreter state. Its methods may be called from
// several goroutines; cells run one at a time.
type Session struct {
	mu     sync.Mutex
	opts   Options
	filter *frameFilter
	rt     *runtimeState
	in     *interp.Interpreter
	reg    *registry
	lines  *lineMap
	cells  int
	edits  *editor                 // the edits of the running cell, to map error columns back
	types  map[reflect.Type]string // cell types of the live interpreter, by reflect type

	carries int       // carry packages made so far (declareCarried)
	pending []carried // kept variables of an interrupted cell, for the rebuild that follows

	autoImportOff bool // %auto_import off: cells get no imports added (auto_import.go)

	recursion recursionGuard // the depth limit of cell functions (recursion_guard.go)

	regMu sync.Mutex // guards replacing reg, for goroutine panic reports
}

// New starts a session: a fresh interpreter with every compiled package
// available and `wb` imported.
func New(opts Options) (*Session, error) {
	opts.Stdout = orStd(opts.Stdout, os.Stdout)
	opts.Stderr = orStd(opts.Stderr, os.Stderr)
	s := &Session{opts: opts, reg: &registry{}, lines: newLineMap()}
	s.filter = &frameFilter{out: opts.Stderr}
	s.rt = &runtimeState{stdout: opts.Stdout, stderr: opts.Stderr, frames: s.filter}
	s.rt.recursion = &s.recursion
	s.recursion.limit = recursionLimitFromEnv(func(msg string) { io.WriteString(opts.Stderr, msg) })
	s.rt.describe = func(frames []string) []string {
		s.regMu.Lock()
		defer s.regMu.Unlock()
		return s.describeFrames(nil, frames)
	}
	s.rt.describeRecursion = func(re *recursionError) []string {
		s.regMu.Lock()
		defer s.regMu.Unlock()
		return s.recursionTraceback(nil, re)
	}
	in, err := s.newInterpreter()
	if err != nil {
		return nil, fmt.Errorf("session: starting the interpreter: %w", err)
	}
	s.in = in
	return s, nil
}

// Execute runs one cell; ctx is cancelled on interrupt. Magics (magic.go,
// magic_table.go) are handled here, `!command` lines in run (shell_lines.go).
// Execute never panics.
func (s *Session) Execute(ctx context.Context, code string) (res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			res = Result{Error: &Error{Name: "InternalError", Value: msg,
				Traceback: []string{"InternalError: " + msg, "(a bug in the turinglab session; the kernel keeps running)"}}}
		}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	if r, ok := s.magic(ctx, code); ok {
		return r
	}
	if text, ok := s.pagerRequest(code); ok {
		return Result{Pager: text}
	}
	return s.run(ctx, code)
}

// run executes a cell that is Go source.
func (s *Session) run(ctx context.Context, code string) Result {
	if strings.TrimSpace(code) == "" {
		return Result{}
	}
	s.cells++
	cur := s.lines.addCell(s.cells, code)
	code, _ = rewriteShellLines(code) // `!command` lines (shell_lines.go); tracebacks show them as typed
	s.rt.reset()
	s.rt.at(0)
	s.filter.take()
	s.recursion.bind(s.in)
	display.BeginRun()
	stop := context.AfterFunc(ctx, display.Interrupt)
	defer stop()
	p, err := parseCell(code)
	if err != nil {
		return Result{Error: s.compileError(cur, err)}
	}
	at := func(off int, text string) piece {
		l, c := lineCol(code, off)
		return piece{line: cur.base + l - 1, col: c, text: text}
	}
	ed := &editor{src: code}
	s.edits = ed
	defer func() { s.edits = nil }()
	reg := s.reg.clone()

	// Auto-imports first: plan's rewrites resolve package names (range over
	// math.MaxInt8) and must see the packages the cell uses without importing.
	autoImports, perr := s.autoImport(p, cur, reg)
	if perr != nil {
		return Result{Error: perr}
	}
	plan, perr := s.plan(p, ed, cur, reg, at)
	if perr != nil {
		return Result{Error: perr}
	}
	plan.newImports = append(autoImports, plan.newImports...)
	needRebuild, rebuildAfter := plan.needRebuild, plan.rebuildAfter
	newImports, changed, cellVars, skip := plan.newImports, plan.changed, plan.cellVars, plan.skip
	cellFuncs, stmtNames := plan.cellFuncs, plan.stmtNames

	if needRebuild {
		in, err := s.rebuild(ctx, reg, cur, cellVars, skip)
		if err != nil {
			return Result{Error: hintOrder(s.declError(ctx, cur, err), stmtNames)}
		}
		s.in = in
	} else {
		for _, imp := range newImports {
			if err := eval(s.in, layout([]piece{imp.piece})); err != nil {
				s.repair()
				return Result{Error: s.compileError(cur, err)}
			}
		}
		if len(changed) > 0 {
			if err := s.evalRun(ctx, s.in, layout(changed)); err != nil {
				if res, ok := s.runInOrder(ctx, p, ed, cur, plan, reg, at, err); ok {
					return s.afterCell(ctx, res, rebuildAfter)
				}
				e := hintOrder(s.declError(ctx, cur, err), stmtNames)
				s.repair()
				return Result{Error: e}
			}
		}
	}
	s.setRegistry(reg)
	if plan.needRebuild || len(plan.changed) > 0 {
		s.types = typeNames(s.in, s.reg) // the interpreter is idle here
	}

	var res Result
	if len(p.stmts) > 0 {
		res = s.runStatements(ctx, p, ed, cur, cellFuncs, stmtNames, at)
	}
	return s.afterCell(ctx, res, rebuildAfter)
}

// afterCell ends a cell that ran: a rebuild after an interrupt, or when a
// re-declared variable is used by stored functions.
func (s *Session) afterCell(ctx context.Context, res Result, rebuildAfter bool) Result {
	// After an interrupt the stopped code must never run again: yaegi resumes it
	// if the same interpreter executes the next cell (they share the global
	// frame whose run id a new execution resets), so the session moves to a
	// fresh interpreter with the same state.
	if rebuildAfter || ctx.Err() != nil {
		if ctx.Err() != nil {
			// The stopped code notices at its next step (microseconds for an
			// interpreted loop); give it that time before its globals are read.
			time.Sleep(20 * time.Millisecond)
		}
		if in, err := s.rebuild(nil, s.reg, nil, nil, nil); err == nil {
			s.in = in
			s.types = typeNames(s.in, s.reg)
		} else {
			fmt.Fprintf(s.opts.Stderr, "note: could not refresh functions after re-declaring a variable: %v\n", err)
		}
	}
	return res
}

// cellPlan is what a cell will change: the imports and declarations to
// evaluate, whether the interpreter must be rebuilt before the cell (a
// redefinition) or after it (a re-declared variable that functions use), and
// the names its statements declare.
type cellPlan struct {
	newImports   []importDef
	changed      []piece       // new or changed declarations, for an in-place eval
	changedDecls []changedDecl // the same, with the names they declare and use
	cellVars     []piece       // the cell's var declarations, for a rebuild
	skip         map[string]bool
	cellFuncs    map[string]*ast.FuncDecl
	stmtNames    []string
	needRebuild  bool
	rebuildAfter bool
}

// plan compares a parsed cell with the registry, records its imports and
// declarations in reg (a copy, committed only if the cell compiles) and applies
// the `go` rewrite to its code.
func (s *Session) plan(p *cellParts, ed *editor, cur *cellRecord, reg *registry, at func(int, string) piece) (*cellPlan, *Error) {
	code := p.src
	pl := &cellPlan{cellFuncs: map[string]*ast.FuncDecl{}, skip: map[string]bool{}}

	// Imports: known packages only; a new one is evaluated, a repeated one not.
	for _, g := range p.imports {
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			path, _ := strconv.Unquote(is.Path.Value)
			if !hasPackage(path) {
				l, c := lineCol(code, p.offset(is.Path.Pos()))
				return nil, importError(l, c, path)
			}
			d := importDef{path: path}
			text := "import " + is.Path.Value
			if is.Name != nil {
				d.alias = is.Name.Name
				text = "import " + is.Name.Name + " " + is.Path.Value
			}
			d.piece = at(p.offset(is.Pos()), text)
			if reg.addImport(d) {
				pl.newImports = append(pl.newImports, d)
			}
		}
	}

	// Declarations: a changed func, type or const replaces the old one (and
	// forces a rebuild); an unchanged one is skipped; a var is always run.
	for _, d := range p.decls {
		rewriteGo(ed, d, p.offset)
	}
	s.rewriteRangeOverInt(p, ed, reg)
	s.rewriteBuiltins(p, ed, reg)
	rewriteSpreadArgs(p, ed)        // spread_args.go
	rewriteCompositeElements(p, ed) // composite_elements.go
	if e := rangeOverFuncError(p, reg, cur); e != nil {
		return nil, e
	}
	wrapShadowingBlocks(p, ed, reg) // block_shadow.go
	if e := s.rewriteLoopVars(p, ed, cur); e != nil {
		return nil, e
	}
	if e := rewriteAssignOrder(p, ed, cur); e != nil { // assign_order.go
		return nil, e
	}
	if e := rewriteMultiAssign(p, ed, cur); e != nil { // multi_assign.go
		return nil, e
	}
	zeroNamedResults(p, ed) // named_results.go
	s.recursion.guard(p, ed, cur)
	rewriteMultiReturns(p, ed) // multi_return.go; after the guard, whose edits it reads
	for _, d := range p.decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil && (f.Name.Name == "main" || f.Name.Name == "init") {
			l, c := lineCol(code, p.offset(f.Name.Pos()))
			v := fmt.Sprintf("%d:%d: a cell cannot declare func %s: cells run directly (and an interpreter would run it again on every later cell); give it another name and call it", l, c, f.Name.Name)
			return nil, &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
		}
	}
	for _, d := range p.decls {
		kind, names, isVar := declInfo(d)
		start, end := p.offset(d.Pos()), p.offset(d.End())
		if isVar {
			pc := at(start, ed.text(start, end))
			pl.changed = append(pl.changed, pc)
			pl.changedDecls = append(pl.changedDecls, changedDecl{piece: pc, names: names, refs: identsOf(d)})
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
		for _, nd := range s.defsOf(p, ed, d, kind, names, at) {
			if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil {
				pl.cellFuncs[f.Name.Name] = f
			}
			same := true
			replaced := false
			for _, n := range nd.names {
				if old := reg.lookup(n); old != nil {
					if old.piece.text != nd.piece.text || old.kind != nd.kind || old.kept.IsValid() {
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
			pl.changedDecls = append(pl.changedDecls, changedDecl{piece: nd.piece, names: nd.names, refs: nd.refs})
		}
	}

	// Statements: `go` rewritten; top-level := declares globals.
	for _, st := range p.stmts {
		if d, ok := st.(*ast.DeferStmt); ok {
			l, c := lineCol(code, p.offset(d.Pos()))
			v := fmt.Sprintf("%d:%d: defer at the top level of a cell is not supported (the interpreter would run it again after every later cell); put the code in a function", l, c)
			return nil, &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
		}
		rewriteGo(ed, st, p.offset)
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

	return pl, nil
}

// defsOf turns one non-var declaration of a cell into registry entries: a func
// or method, a const group, or one entry per type of a type group.
func (s *Session) defsOf(p *cellParts, ed *editor, d ast.Decl, kind defKind, names []string, at func(int, string) piece) []*def {
	if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE && len(g.Specs) > 1 {
		var out []*def
		for _, spec := range g.Specs {
			ts := spec.(*ast.TypeSpec)
			start, end := p.offset(ts.Pos()), p.offset(ts.End())
			pc := at(start, "type "+ed.text(start, end))
			pc.col = max(1, pc.col-5)
			out = append(out, &def{kind: defType, names: []string{ts.Name.Name}, piece: pc, refs: identsOf(ts), source: "type " + p.src[start:end]})
		}
		return out
	}
	start, end := p.offset(d.Pos()), p.offset(d.End())
	nd := &def{kind: kind, names: names, piece: at(start, ed.text(start, end)), refs: identsOf(d), results: -1, source: p.src[start:end]}
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

// repair replaces a live interpreter that a failed eval may have left half
// updated by one rebuilt from the registry.
func (s *Session) repair() {
	if in, err := s.rebuild(nil, s.reg, nil, nil, nil); err == nil {
		s.in = in
		s.types = typeNames(s.in, s.reg)
	}
}

// runStatements compiles and runs the cell's statements as one function body
// and captures the value of a final expression.
func (s *Session) runStatements(ctx context.Context, p *cellParts, ed *editor, cur *cellRecord, cellFuncs map[string]*ast.FuncDecl, stmtNames []string, at func(int, string) piece) Result {
	imports := map[string]string{}
	if hasPackage(workbenchPath) {
		imports["wb"] = workbenchPath
	}
	for _, imp := range s.reg.imports {
		imports[imp.name()] = imp.path
	}
	wrapped, count := false, 0
	var show []edit // the edits that capture the final value
	if p.lastIsExpr {
		e := p.stmts[len(p.stmts)-1].(*ast.ExprStmt).X
		count = s.resultCount(e, cellFuncs, s.reg, imports)
		if count != 0 {
			start, end := p.offset(e.Pos()), p.offset(e.End())
			if m := s.showMethod(e, cellFuncs, s.reg, s.varTypeName, p.stmts); m != "" && count == 1 {
				// Through a temporary, so that the expression runs once.
				call := "; _tl.ShowR(_tlR(_tlv), _tlv)"
				if m == "String" {
					call = "; _tl.ShowS(_tlS(_tlv), _tlv)"
				}
				show = []edit{{start, start, "_tlv := "}, {end, end, call}}
			} else {
				show = []edit{{start, start, "_tl.Show("}, {end, end, ")"}}
			}
			wrapped = true
		}
	}
	// Each top-level statement records its line first, for tracebacks.
	var atEdits []edit
	for _, st := range p.stmts {
		if _, empty := st.(*ast.EmptyStmt); empty {
			continue
		}
		off := p.offset(st.Pos())
		l, _ := lineCol(p.src, off)
		atEdits = append(atEdits, edit{off, off, "_tl.At(" + strconv.Itoa(cur.base+l-1) + "); "})
	}
	base := append(atEdits, ed.edits...)
	keeps := keepEdits(p)
	// compileAs compiles the statements at the top level or as a function body
	// (function_body.go), with or without capturing the final value.
	compileAs := func(body, capture bool) (*interp.Program, error) {
		ed.edits = append([]edit(nil), base...)
		if capture {
			ed.edits = append(ed.edits, show...)
		}
		if body {
			ed.edits = append(ed.edits, keeps...)
		} else {
			ed.edits = append(ed.edits, iifeEdits(p, capture)...)
		}
		var ps []piece
		for _, c := range p.chunks {
			if c.kind == chunkStmt {
				ps = append(ps, at(c.start, ed.text(c.start, c.end)))
			}
		}
		if !body {
			return compile(s.in, layout(ps))
		}
		decl, call := functionBody(cur, p.part, ps)
		if err := eval(s.in, decl); err != nil {
			return nil, err
		}
		return compile(s.in, call)
	}
	body := false
	prog, err := compileAs(false, wrapped)
	if err != nil && wrapped && count < 0 {
		prog, err = compileAs(false, false) // not a value after all (a call returning nothing)
	}
	if err != nil {
		// What yaegi cannot compile at the top level it may compile inside a
		// function; the failed attempt may have left := globals half declared.
		if len(stmtNames) > 0 {
			s.repair()
		}
		body = true
		prog, err = compileAs(true, wrapped)
		if err != nil && wrapped && count < 0 {
			prog, err = compileAs(true, false)
		}
	}
	if err != nil {
		return Result{Error: s.compileError(cur, err)}
	}
	for _, n := range stmtNames {
		s.reg.addVar(n)
	}
	if body {
		defer func() {
			if kept := s.rt.takeKept(); ctx.Err() != nil {
				s.pending = kept // published by the rebuild that follows an interrupt
			} else {
				s.publish(kept)
			}
		}()
	}

	s.rt.reset()
	s.rt.at(0)
	s.filter.take()
	_, err = s.in.ExecuteWithContext(ctx, prog)
	frames := s.filter.take()
	if re := s.recursion.takeAborted(); re != nil { // the run ended with runtime.Goexit (recursion_stop.go)
		err = interp.Panic{Value: re}
	}
	switch {
	case ctx.Err() != nil:
		return Result{Error: interruptError()}
	case err != nil:
		var pe interp.Panic
		if errors.As(err, &pe) {
			return Result{Error: s.runtimeError(cur, pe, frames)}
		}
		if errors.Is(err, display.ErrInterrupted) {
			return Result{Error: interruptError()}
		}
		l := s.locate(err.Error())
		v := l.msg
		if w := l.where(cur); w != "" {
			v = w + ": " + v
		}
		return Result{Error: &Error{Name: "error", Value: v, Traceback: []string{"error: " + v}}}
	}
	return Result{Value: s.valueBundle()}
}

// varTypeName returns the cell type name of a global variable's value, or "".
func (s *Session) varTypeName(name string) string {
	if !s.reg.hasVar(name) {
		return ""
	}
	v, ok := varSlot(s.in, name)
	if !ok {
		return ""
	}
	return s.types[v.Type()]
}

// valueBundle renders the captured final value: rich when it renders itself,
// a tuple "(a, b)" for several results, nothing for a lone nil interface (the
// nil error of a call like model.Save(path)). The methods of cell types
// (MIMEBundle, String) have run already, inside the cell's run (runtime.go),
// so nothing here runs interpreted code outside the cell's context.
func (s *Session) valueBundle() *display.Bundle {
	s.rt.mu.Lock()
	shown, values, made, text, hasText := s.rt.shown, s.rt.values, s.rt.bundle, s.rt.text, s.rt.hasText
	s.rt.mu.Unlock()
	if !shown {
		return nil
	}
	if hasText {
		b := display.TextBundle(text)
		return &b
	}
	if made != nil {
		b := *made
		if b.Data == nil {
			b.Data = map[string]any{}
		}
		if _, ok := b.Data[display.MIMEText]; !ok {
			b.Data[display.MIMEText] = fmt.Sprint(values[0])
		}
		return &b
	}
	if len(values) == 1 && values[0] == nil {
		return nil // a nil error (or interface), like Python's None: nothing to show
	}
	if len(values) == 1 {
		b := display.Render(values[0])
		return &b
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	b := display.TextBundle("(" + strings.Join(parts, ", ") + ")")
	return &b
}

// setRegistry commits a registry.
func (s *Session) setRegistry(r *registry) {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	s.reg = r
}

// declError classifies a failure while evaluating declarations: an interrupt,
// a panic in a variable's initializer, or a compile error.
func (s *Session) declError(ctx context.Context, cur *cellRecord, err error) *Error {
	frames := s.filter.take()
	var pe interp.Panic
	switch {
	case ctx.Err() != nil:
		return interruptError()
	case errors.As(err, &pe):
		return s.runtimeError(cur, pe, frames)
	}
	return s.compileError(cur, err)
}

var undefinedRE = regexp.MustCompile(`undefined: (\w+)`)

// hintOrder explains why a function could not use a variable that a `:=`
// statement of the same cell declares: no order of the cell works (the
// variable is declared only after the function's first use; see in_order.go).
func hintOrder(e *Error, stmtNames []string) *Error {
	m := undefinedRE.FindStringSubmatch(e.Value)
	if m == nil {
		return e
	}
	for _, n := range stmtNames {
		if n == m[1] {
			hint := fmt.Sprintf("hint: %s is declared with := in this cell only after the function that uses it is first called; declare it before that call, or with `var %s = ...`, or define the function in a later cell", n, n)
			e.Traceback = append(e.Traceback, hint)
			return e
		}
	}
	return e
}
