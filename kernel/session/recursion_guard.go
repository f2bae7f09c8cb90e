package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Unbounded recursion in a cell would otherwise end the kernel: every call of
// an interpreted function takes about 600 bytes of the goroutine's Go stack
// (measured in yaegi v0.16.1 by reading the stack pointer at the bottom of an
// N-level recursion; more when the call goes through a func value or compiled
// code), and Go does not recover from exceeding its 1 GB maximum stack: it
// prints a million-frame dump and exits. So the session counts interpreted
// call depth the way Python does and stops the cell with a RecursionError
// when it passes a limit, well before the Go stack is in danger.
//
// Every function a cell declares (functions, methods, function literals) that
// calls anything is rewritten to count itself in the interpreter's global
// _tlDepth (12 is the absolute line where fib is defined, for the traceback):
//
//	func fib(n int) int {            →  func fib(n int) (_tlr0 int) { _tlDepth++; _tlOver = _tlDepth > _tlLimit; if _tlOver { _tlDeep("fib", 12) };
//		if n < 2 { return n }        →      if n < 2 { _tlr0 = n; _tlDepth--; return }
//		return fib(n-1) + fib(n-2)   →      _tlr0 = fib(n-1) + fib(n-2); _tlDepth--; return
//	}
//
// The comparison goes through the global _tlOver because yaegi gives every
// expression in a function a slot of the function's frame, allocated at each
// call (reflect.New): `if _tlDepth > _tlLimit` would cost an allocation per
// call (fib(25) in a cell: 2381966 allocations with it, 2139176 without the
// guard, 2139187 through _tlOver). Goroutines share _tlOver like the count; a
// stale value only sends a call through the slow path (which checks again) or
// past it once.
//
// The count goes down on every return without a defer (a deferred call costs
// yaegi more than the rest of a small function): results get hidden names so
// that the values are computed before the count goes down, exactly as a return
// statement computes them. A function that has its own defer statements (it
// may recover a panic, skipping the decrements of the calls it unwound) or
// named results that a declaration in its body could shadow instead restores
// its entry depth with a deferred _tlUndo. A panic that ends the cell leaves
// the count high; the session sets it back to zero before every cell, and
// _tl.Go does so for a goroutine that panicked.
//
// _tlLimit is not the limit itself but the threshold of the slow path:
// recordedCalls below the limit, so that _tl.Deep sees (and records) the
// innermost calls before the limit is passed. Past the limit, Deep checks the
// goroutine's own depth and stops it quickly with runtime.Goexit
// (recursion_stop.go).
//
// Inserted text never contains a newline, so the user's lines keep their
// numbers in errors and tracebacks. The count is one per interpreter, shared by
// the goroutines a cell starts (yaegi gives interpreted code no goroutine-local
// storage); recursion_stop.go explains why goroutines that are all inside cell
// functions at once do not add up to a false RecursionError.

const (
	// DefaultRecursionLimit is the depth limit of a new session: deep enough
	// for recursive algorithms on inputs of thousands of elements, and at
	// about 600 bytes of Go stack per interpreted call (a few kilobytes through
	// func values and compiled callbacks) a small part of Go's 1 GB maximum
	// stack, and Python's default (1000) ten times over.
	DefaultRecursionLimit = 10000
	// MaxRecursionLimit is the largest limit %recursion_limit accepts: at a few
	// kilobytes per level at worst it still stays under Go's maximum stack.
	MaxRecursionLimit = 200000
	// RecursionLimitEnv names the environment variable that sets the limit of
	// new sessions (an integer from 1 to MaxRecursionLimit).
	RecursionLimitEnv = "TURINGLAB_RECURSION_LIMIT"
)

// recursionError is the error of a cell function called deeper than the
// recursion limit (recorded by _tl.Deep, or its panic value where the
// goroutine cannot simply end: recursion_stop.go).
type recursionError struct {
	Func         string // the function whose call went past the limit
	Depth, Limit int
	calls        []callSite // the innermost calls, outermost first; the last is Func's
}

func (e *recursionError) Error() string {
	return fmt.Sprintf("maximum recursion depth exceeded: %s called at depth %d (the limit is %d)", e.Func, e.Depth, e.Limit)
}

// recursionPrelude is the interpreter-side half of the guard, evaluated in
// every new interpreter: the depth count, the threshold of the slow path, the
// slow path (_tl.Deep) and the deferred restore of the functions with defers.
func recursionPrelude(limit int) []string {
	return []string{
		"var _tlDepth int",
		"var _tlLimit = " + strconv.Itoa(slowPathThreshold(limit)),
		"var _tlOver bool",
		"func _tlDeep(name string, line int) { _tl.Deep(name, line, _tlDepth) }",
		"func _tlUndo(depth int) { _tlDepth = depth }",
	}
}

// slowPathThreshold is the count past which calls go through _tl.Deep: the
// last recordedCalls levels before the limit, and everything past it.
func slowPathThreshold(limit int) int { return max(0, limit-recordedCalls) }

// recursionLimitFromEnv returns the limit that RecursionLimitEnv sets, or the
// default when it is unset; a bad value is reported and the default used.
func recursionLimitFromEnv(stderr func(string)) int {
	v, ok := os.LookupEnv(RecursionLimitEnv)
	if !ok || strings.TrimSpace(v) == "" {
		return DefaultRecursionLimit
	}
	n, err := parseRecursionLimit(v)
	if err != nil {
		stderr(fmt.Sprintf("note: %s: %v; using %d\n", RecursionLimitEnv, err, DefaultRecursionLimit))
		return DefaultRecursionLimit
	}
	return n
}

// parseRecursionLimit reads a recursion limit: an integer from 1 to
// MaxRecursionLimit.
func parseRecursionLimit(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > MaxRecursionLimit {
		return 0, fmt.Errorf("recursion limit %q: want an integer from 1 to %d", v, MaxRecursionLimit)
	}
	return n, nil
}

// recursionGuard is the session's side of the guard: the limit, and the
// interpreter's _tlDepth and _tlLimit (the threshold) as settable slots, to
// reset the count before a cell, restore it after a goroutine's panic and
// change the limit; and what _tl.Deep recorded (recursion_stop.go).
type recursionGuard struct {
	mu        sync.Mutex
	limit     int
	in        *interp.Interpreter // the interpreter the slots belong to
	depthSlot reflect.Value
	limitSlot reflect.Value
	unguarded bool // cells are not rewritten (for the benchmark that measures the guard)

	calls       callRing                  // recent calls near the limit
	aborted     *recursionError           // the error that ended a cell's run goroutine
	byGoroutine map[int64]*recursionError // the errors ending goroutines the session started
}

// bind makes in the interpreter whose count the guard reads and sets, and
// resets its count to zero (a panic that ended the last cell left it high).
func (g *recursionGuard) bind(in *interp.Interpreter) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.in != in {
		d, ok1 := varSlot(in, "_tlDepth")
		l, ok2 := varSlot(in, "_tlLimit")
		if !ok1 || !ok2 || d.Kind() != reflect.Int || l.Kind() != reflect.Int {
			g.in, g.depthSlot, g.limitSlot = nil, reflect.Value{}, reflect.Value{}
			return
		}
		g.in, g.depthSlot, g.limitSlot = in, d, l
	}
	g.depthSlot.SetInt(0)
	g.limitSlot.SetInt(int64(slowPathThreshold(g.limit)))
	g.calls, g.aborted = callRing{}, nil
}

// count returns the count of the bound interpreter (0 when none is bound).
func (g *recursionGuard) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.depthSlot.IsValid() {
		return 0
	}
	return int(g.depthSlot.Int())
}

// restore sets the count of the bound interpreter back to depth, and its
// threshold back to the session's: a goroutine that panicked or ended with a
// RecursionError skipped the decrements of the calls it unwound, and perhaps
// lifted the threshold.
func (g *recursionGuard) restore(depth int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.depthSlot.IsValid() {
		g.depthSlot.SetInt(int64(depth))
		g.limitSlot.SetInt(int64(slowPathThreshold(g.limit)))
	}
}

// setLimit changes the limit, in the bound interpreter too.
func (g *recursionGuard) setLimit(limit int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limit = limit
	if g.limitSlot.IsValid() {
		g.limitSlot.SetInt(int64(slowPathThreshold(limit)))
	}
}

// guard adds the depth guard to every function that the cell declares: its
// functions and methods and every function literal in its declarations and
// statements. cur gives the absolute lines where they are defined.
func (g *recursionGuard) guard(p *cellsrc.Cell, ed *cellsrc.Editor, cur *cellRecord) {
	if g.unguarded {
		return
	}
	line := func(pos token.Pos) int {
		l, _ := cellsrc.LineCol(p.Src, p.Offset(pos))
		return cur.base + l - 1
	}
	names := literalNames(p)
	guardLit := func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			name, ok := names[lit]
			if !ok {
				l, _ := cellsrc.LineCol(p.Src, p.Offset(lit.Pos()))
				name = fmt.Sprintf("the function literal at line %d", l)
			}
			guardFunc(p, ed, name, line(lit.Pos()), lit.Type, lit.Body)
		}
		return true
	}
	for _, d := range p.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Body != nil {
			guardFunc(p, ed, funcDeclName(f), line(f.Pos()), f.Type, f.Body)
		}
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			// yaegi v0.16.1 reports a "variable definition loop" for a var
			// initialized by a literal that uses other globals (_tlDepth).
			continue
		}
		ast.Inspect(d, guardLit)
	}
	for _, st := range p.Stmts {
		ast.Inspect(st, guardLit)
	}
}

// funcDeclName is how an error names a function or method: f, T.M or (*T).M.
func funcDeclName(f *ast.FuncDecl) string {
	if f.Recv == nil || len(f.Recv.List) == 0 {
		return f.Name.Name
	}
	t := f.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		t, star = s.X, true
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	recv := "?"
	if id, ok := t.(*ast.Ident); ok {
		recv = id.Name
	}
	if star {
		return "(*" + recv + ")." + f.Name.Name
	}
	return recv + "." + f.Name.Name
}

// literalNames names the function literals that are assigned to a variable
// (`f := func...`, `f = func...`, `var f = func...`) after that variable.
func literalNames(p *cellsrc.Cell) map[*ast.FuncLit]string {
	out := map[*ast.FuncLit]string{}
	pair := func(lhs []ast.Expr, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, r := range rhs {
			if lit, ok := ast.Unparen(r).(*ast.FuncLit); ok {
				switch l := lhs[i].(type) {
				case *ast.Ident:
					out[lit] = l.Name
				case *ast.SelectorExpr:
					out[lit] = l.Sel.Name
				}
			}
		}
	}
	visit := func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			pair(x.Lhs, x.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(x.Names))
			for i, id := range x.Names {
				lhs[i] = id
			}
			pair(lhs, x.Values)
		}
		return true
	}
	p.Inspect(visit)
	return out
}

// guardFunc adds the guard to one function body (see the comment at the top
// of the file); line is the absolute line where it is defined. A function
// whose returns cannot be rewritten safely (a bare return with unnamed
// results, which does not compile anyway) is left alone, and so is one that
// calls nothing (a leaf cannot recurse: it adds one level at most).
func guardFunc(p *cellsrc.Cell, ed *cellsrc.Editor, name string, line int, ft *ast.FuncType, body *ast.BlockStmt) {
	if !callsAnything(body) {
		return
	}
	returns, hasDefer := ownReturns(body)
	var results []string // the result names the returns assign
	named := false
	if ft.Results != nil {
		for _, f := range ft.Results.List {
			for _, id := range f.Names {
				results = append(results, id.Name)
				named = true
			}
		}
	}
	if !named && ft.Results.NumFields() > 0 {
		for _, r := range returns {
			if len(r.Results) == 0 {
				return
			}
		}
	}
	calls := false // a return whose values call something: decrement after them
	for _, r := range returns {
		calls = calls || hasCall(r)
	}
	useDefer := hasDefer || (calls && !concreteResults(ft.Results)) ||
		(named && calls && (declaresAny(body, results) || returnsMention(returns, results)))
	entry := "_tlDepth++; _tlOver = _tlDepth > _tlLimit; if _tlOver { _tlDeep(" + strconv.Quote(name) + ", " + strconv.Itoa(line) + ") }; "
	if useDefer {
		entry += "defer _tlUndo(_tlDepth - 1); "
	}
	open := p.Offset(body.Lbrace) + 1
	ed.Edits = append(ed.Edits, cellsrc.Edit{Start: open, End: open, Text: " " + entry})
	if useDefer {
		return
	}
	if !named && calls {
		results = hiddenResults(p, ed, ft.Results)
	}
	for _, r := range returns {
		start := p.Offset(r.Pos())
		if len(r.Results) == 0 || !hasCall(r) { // nothing in it can call back: count out first
			ed.Edits = append(ed.Edits, cellsrc.Edit{Start: start, End: start, Text: "_tlDepth--; "})
			continue
		}
		end := p.Offset(r.End())
		if len(r.Results) != len(results) { // return g(), g returning several values
			ed.Edits = append(ed.Edits, cellsrc.Edit{Start: start, End: start + len("return"), Text: strings.Join(results, ", ") + " ="})
		} else {
			// One assignment per result: yaegi v0.16.1 fails on `a, err = x, nil`
			// ("reflect: New(nil)"). The commas are replaced where they stand, so
			// a return spread over lines keeps its lines.
			ed.Edits = append(ed.Edits, cellsrc.Edit{Start: start, End: start + len("return"), Text: results[0] + " ="})
			for i := 1; i < len(r.Results); i++ {
				if c := strings.IndexByte(p.Src[p.Offset(r.Results[i-1].End()):], ','); c >= 0 {
					at := p.Offset(r.Results[i-1].End()) + c
					ed.Edits = append(ed.Edits, cellsrc.Edit{Start: at, End: at + 1, Text: "; " + results[i] + " ="})
				}
			}
		}
		ed.Edits = append(ed.Edits, cellsrc.Edit{Start: end, End: end, Text: "; _tlDepth--; return"})
	}
	if ft.Results.NumFields() == 0 {
		close := p.Offset(body.Rbrace)
		ed.Edits = append(ed.Edits, cellsrc.Edit{Start: close, End: close, Text: "; _tlDepth--; "})
	}
}

// callsAnything reports whether body has a call (or a conversion: the syntax
// is the same) of its own, outside the function literals in it, which are
// guarded by themselves. A body without one runs no other function, so it
// cannot take part in a recursion.
func callsAnything(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.CallExpr:
			found = true
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}

// hasCall reports whether a return statement's values call a function (or
// convert a value: the syntax is the same), which could recurse before the
// function returns.
func hasCall(r *ast.ReturnStmt) bool {
	found := false
	for _, e := range r.Results {
		ast.Inspect(e, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.CallExpr:
				found = true
			case *ast.FuncLit:
				return false
			}
			return !found
		})
	}
	return found
}

// concreteResults reports whether every result type is one that yaegi
// v0.16.1 assigns correctly to a named result: it loses a cell-typed value
// assigned to a named result of an interface type (`r = myErr{}` leaves r nil),
// so only types that are surely not interfaces qualify (predeclared ones
// other than error and any, pointers, slices, maps, arrays, channels,
// functions).
func concreteResults(results *ast.FieldList) bool {
	for _, f := range results.List {
		switch t := f.Type.(type) {
		case *ast.Ident:
			if !cellsrc.IsPredeclaredType(t.Name) || t.Name == "error" || t.Name == "any" {
				return false
			}
		case *ast.StarExpr, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType:
		default:
			return false
		}
	}
	return true
}

// hiddenResults names the unnamed results of a function _tlr0, _tlr1, ...
// (which no user code can shadow) and returns the names.
func hiddenResults(p *cellsrc.Cell, ed *cellsrc.Editor, results *ast.FieldList) []string {
	var names []string
	for i, f := range results.List {
		n := "_tlr" + strconv.Itoa(i)
		names = append(names, n)
		at := p.Offset(f.Type.Pos())
		if !results.Opening.IsValid() {
			end := p.Offset(f.Type.End())
			ed.Edits = append(ed.Edits, cellsrc.Edit{Start: at, End: at, Text: "(" + n + " "}, cellsrc.Edit{Start: end, End: end, Text: ")"})
			continue
		}
		ed.Edits = append(ed.Edits, cellsrc.Edit{Start: at, End: at, Text: n + " "})
	}
	return names
}

// ownReturns returns the return statements of body that belong to it (not
// those of the function literals inside it), and whether it has a defer
// statement of its own.
func ownReturns(body *ast.BlockStmt) (returns []*ast.ReturnStmt, hasDefer bool) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns = append(returns, x)
		case *ast.DeferStmt:
			hasDefer = true
		}
		return true
	})
	return returns, hasDefer
}

// returnsMention reports whether a result of one of the return statements
// uses one of names (then assigning the results one by one could change them).
func returnsMention(returns []*ast.ReturnStmt, names []string) bool {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, r := range returns {
		for _, e := range r.Results {
			found := false
			ast.Inspect(e, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && want[id.Name] {
					found = true
				}
				return !found
			})
			if found {
				return true
			}
		}
	}
	return false
}

// declaresAny reports whether body declares one of names anywhere (which could
// shadow a named result at a return statement).
func declaresAny(body *ast.BlockStmt, names []string) bool {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	found := false
	check := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id != nil && want[id.Name] {
				found = true
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						check(id)
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						check(id)
					}
				}
			}
		case *ast.ValueSpec:
			check(x.Names...)
		case *ast.Field:
			check(x.Names...)
		case *ast.TypeSpec:
			check(x.Name)
		}
		return !found
	})
	return found
}

// recursionName gives a recursion error its own name (RecursionError, like
// Python's) and message; other panics keep the name and value they have.
func recursionName(v any, name, value string) (string, string) {
	if re, ok := v.(*recursionError); ok {
		return "RecursionError", re.Error() + " (%recursion_limit N changes the limit)"
	}
	return name, value
}

// maxCycle is the longest cycle of calls (a calls b calls c calls a...) that
// collapseFrames recognises.
const maxCycle = 8

// collapseFrames shortens a traceback of frames (two lines each, outermost
// first) where a frame, or a cycle of up to maxCycle frames, repeats three
// times or more in a row: the cycle is shown once and followed by how many
// more times it repeated. A recursion stopped at depth 20000 would otherwise
// print 40000 lines.
func collapseFrames(lines []string) []string {
	if len(lines)%2 != 0 || len(lines) < 6 {
		return lines
	}
	frames := make([]string, len(lines)/2)
	for i := range frames {
		frames[i] = lines[2*i] + "\n" + lines[2*i+1]
	}
	same := func(i, j, k int) bool { // frames[i:i+k] == frames[j:j+k]
		if j+k > len(frames) {
			return false
		}
		for x := 0; x < k; x++ {
			if frames[i+x] != frames[j+x] {
				return false
			}
		}
		return true
	}
	var out []string
	for i := 0; i < len(frames); {
		bestK, bestR := 0, 0
		for k := 1; k <= maxCycle && i+k <= len(frames); k++ {
			r := 1
			for same(i, i+r*k, k) {
				r++
			}
			if r >= 3 && r*k > bestR*bestK {
				bestK, bestR = k, r
			}
		}
		if bestK == 0 {
			out = append(out, lines[2*i], lines[2*i+1])
			i++
			continue
		}
		out = append(out, lines[2*i:2*(i+bestK)]...)
		if bestK == 1 {
			out = append(out, fmt.Sprintf("  [previous frame repeated %d more times]", bestR-1))
		} else {
			out = append(out, fmt.Sprintf("  [previous %d frames repeated %d more times]", bestK, bestR-1))
		}
		i += bestK * bestR
	}
	return out
}

// recursionLimitMagic is %recursion_limit: alone it prints the limit; with N
// it sets it (from the next call of a cell function on).
func recursionLimitMagic(s *Session, _ context.Context, args string) Result {
	if v := strings.TrimSpace(args); v != "" {
		n, err := parseRecursionLimit(v)
		if err != nil {
			msg := "%recursion_limit: " + err.Error()
			return Result{Error: &Error{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}}
		}
		s.recursion.bind(s.in)
		s.recursion.setLimit(n)
	}
	fmt.Fprintf(s.opts.Stdout, "recursion limit: %d\n", s.recursion.limit)
	return Result{}
}
