package session

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"sync"

	"github.com/traefik/yaegi/interp"
)

// How a RecursionError stops the goroutine that went too deep, quickly, and
// only that one (recursion_guard.go counts the depth).
//
// Stopping: a panic through n interpreted frames costs O(n²) in yaegi v0.16.1
// (every frame recovers the panic in a deferred function and panics again on
// top of the frames not yet unwound, and each new panic walks the chain of the
// earlier ones): about 50 ms at 1000 levels, 3 s at 5000, 12 s at 10000 on the
// shared 2-vCPU machine. So _tl.Deep records the error and ends the goroutine
// with runtime.Goexit, which runs every deferred call (yaegi's and the user's)
// once, in linear time. Because Goexit is not a panic, recover() in a user's
// deferred function returns nil during it: a RecursionError cannot be
// recovered by cell code (Python cannot catch a RecursionError with
// try/except either without unwinding first; here the cell always ends).
// Deferred functions still run, innermost first, with the limit lifted so
// that they may call cell functions. The session finds the recorded error
// after the run (takeAborted) and builds the traceback from the calls it
// recorded: the guard sends a function's calls through _tl.Deep when they are
// within recordedCalls of the limit, and Deep keeps the recent calls by depth,
// so the innermost calls of the chain are known when the limit is passed.
// (They are not kept per goroutine: the goroutine's id costs a stack trace to
// read. With several goroutines near the limit at once, a traceback may mix
// their calls.) Goexit is used only in goroutines whose end the session
// notices: the goroutine of a cell's run (stoppableRun, stoppable.go, or
// yaegi's ExecuteWithContext and EvalWithContext) and the goroutines the session starts itself
// (ownedGoroutine: a cell's `go` statements). Anywhere else (a goroutine that
// compiled code started, or the session's own), Deep panics as before.
//
// Which goroutine: the count is one per interpreter, shared by all
// goroutines (yaegi gives interpreted code no goroutine-local storage), so
// 200 goroutines blocked 100 calls deep add up to 20000. The count only
// decides when to look: past the limit, Deep counts the goroutine's own
// interpreted calls on its Go stack (the frames of yaegi's runCfg, one per
// call of an interpreted function, plus the cell's own body: never fewer than
// the goroutine's guarded calls) and raises a RecursionError only when that
// number is past the limit too. Otherwise it moves the threshold of the
// shared count up by what the goroutine may still go deeper, so the stack is
// walked again only when the count has grown by that much; the threshold goes
// back to the limit at the next cell. The price of that: while several
// goroutines are inside cell functions, one of them may go deeper than the
// limit by up to what the others had when the threshold was moved (never
// past MaxRecursionLimit before Deep looks again), and its traceback may show
// fewer recorded calls. One goroutine alone is stopped exactly at limit+1.
// The count a goroutine's RecursionError leaves behind (the calls it unwound
// did not count themselves out) is set back when the goroutine ends, to what
// it was when the goroutine started.

// recordedCalls is how many of the innermost calls a RecursionError's
// traceback shows: enough for collapseFrames to see a cycle of maxCycle calls
// three times.
const recordedCalls = 3 * maxCycle

// callSite is one recorded call: the function's name and the absolute line
// where it is defined.
type callSite struct {
	name string
	line int
}

// callRing holds the recent calls near the limit by depth (depth modulo its
// length): the entry of a depth is the chain's own call of that depth as long
// as the chain is that deep.
type callRing [2 * recordedCalls]struct {
	depth int
	site  callSite
}

// record notes a call at depth.
func (r *callRing) record(depth int, site callSite) {
	e := &r[((depth%len(r))+len(r))%len(r)]
	e.depth, e.site = depth, site
}

// innermost returns the recorded calls of the chain that reaches depth
// (whose own call is site), outermost first, at most recordedCalls of them.
func (r *callRing) innermost(depth int, site callSite) []callSite {
	out := []callSite{site}
	for d := depth - 1; d > depth-recordedCalls; d-- {
		e := r[((d%len(r))+len(r))%len(r)]
		if e.depth != d {
			break
		}
		out = append(out, e.site)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// goroutineKind says whether the session notices the end of a goroutine.
type goroutineKind int

const (
	// foreignGoroutine is one the session does not watch: started by compiled
	// code, or the session's caller itself. A RecursionError panics there.
	foreignGoroutine goroutineKind = iota
	// runGoroutine is the goroutine of a cell's run (stoppableRun, or
	// yaegi's in ExecuteWithContext and EvalWithContext); the session takes
	// its error after the run (takeAborted).
	runGoroutine
	// cellGoroutine is one the session started (ownedGoroutine); it takes
	// its own error as it ends (takeGoroutine).
	cellGoroutine
)

// ownedGoroutine runs fn; the session starts its goroutines with it (`go
// ownedGoroutine(...)`), so that its frame at the bottom of their stacks
// marks them as the session's.
//
//go:noinline
func ownedGoroutine(fn func()) { fn() }

// frameClass is what a Go frame tells inspectStack.
type frameClass int

const (
	otherFrame     frameClass = iota
	callFrame                 // yaegi's runCfg: one call of an interpreted function
	runStartFrame             // the goroutine of a cell's run
	cellStartFrame            // ownedGoroutine
)

var (
	frameClasses sync.Map // pc -> frameClass
	ownedName    = runtime.FuncForPC(reflect.ValueOf(ownedGoroutine).Pointer()).Name()
	runName      = runtime.FuncForPC(reflect.ValueOf(stoppableRun).Pointer()).Name()
)

// classifyFrame tells what the function at pc is, by its name (cached per pc).
func classifyFrame(pc uintptr) frameClass {
	if c, ok := frameClasses.Load(pc); ok {
		return c.(frameClass)
	}
	c := otherFrame
	if f := runtime.FuncForPC(pc - 1); f != nil {
		switch f.Name() {
		case "github.com/traefik/yaegi/interp.runCfg":
			c = callFrame
		case "github.com/traefik/yaegi/interp.(*Interpreter).ExecuteWithContext.func1",
			"github.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext.func1", runName:
			c = runStartFrame
		case ownedName:
			c = cellStartFrame
		}
	}
	frameClasses.Store(pc, c)
	return c
}

// inspectStack walks the calling goroutine's stack: how many interpreted
// calls are on it, and what kind of goroutine it is. It costs time in
// proportion to the depth (a few milliseconds at 10000 levels), so Deep calls
// it only past the limit.
func inspectStack() (calls int, kind goroutineKind) {
	pcs := make([]uintptr, 4096)
	for {
		n := runtime.Callers(2, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	for _, pc := range pcs {
		switch classifyFrame(pc) {
		case callFrame:
			calls++
		case runStartFrame:
			kind = runGoroutine
		case cellStartFrame:
			kind = cellGoroutine
		}
	}
	return calls, kind
}

// goroutineID returns the calling goroutine's id, from the first line of its
// stack trace ("goroutine 12 [running]:"); 0 if it cannot be read. It costs
// a traceback of up to 100 frames, so it is read only when a goroutine the
// session started ends with a RecursionError.
func goroutineID() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	f := bytes.Fields(buf[:n])
	if len(f) < 2 {
		return 0
	}
	id, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return id
}

// deep is _tl.Deep, which the interpreted _tlDeep calls when the shared count
// depth passes the threshold: it records the call (name, defined at the
// absolute line) and, past the limit, stops the goroutine if it is itself too
// deep (see the comment at the top of the file).
func (g *recursionGuard) deep(name string, line, depth int) {
	site := callSite{name: name, line: line}
	g.mu.Lock()
	limit := g.limit
	g.calls.record(depth, site)
	g.mu.Unlock()
	if depth <= limit {
		return
	}
	calls, kind := inspectStack()
	if calls == 0 {
		// No frame of yaegi's runCfg on an interpreted call's stack: yaegi's
		// internals were renamed. Trust the shared count rather than never
		// stopping (TestRecursionGuardManyGoroutines then fails).
		calls = depth
	}
	g.mu.Lock()
	if calls <= limit {
		// Other goroutines' calls are in the count: look again once it has
		// grown by what this goroutine may still add (recordedCalls early, to
		// record its innermost calls), or at MaxRecursionLimit.
		t := min(max(depth+limit-recordedCalls-calls, depth), MaxRecursionLimit)
		if g.limitSlot.IsValid() {
			g.limitSlot.SetInt(int64(t))
		}
		g.mu.Unlock()
		return
	}
	re := &recursionError{Func: name, Depth: min(depth, calls), Limit: limit, calls: g.calls.innermost(depth, site)}
	// The deferred calls run while the goroutine ends may call cell
	// functions: they must not stop at the limit again. The next cell (or
	// restore) puts the threshold back.
	if g.limitSlot.IsValid() {
		g.limitSlot.SetInt(math.MaxInt)
	}
	switch kind {
	case runGoroutine:
		g.aborted = re
	case cellGoroutine:
		if g.byGoroutine == nil {
			g.byGoroutine = map[int64]*recursionError{}
		}
		g.byGoroutine[goroutineID()] = re
	}
	g.mu.Unlock()
	if kind == foreignGoroutine {
		panic(re) // a *recursionError: interpreted code would panic with a reflect.Value
	}
	runtime.Goexit()
}

// takeAborted returns and forgets the RecursionError that ended the last run
// (nil if none did).
func (g *recursionGuard) takeAborted() *recursionError {
	g.mu.Lock()
	defer g.mu.Unlock()
	re := g.aborted
	g.aborted = nil
	return re
}

// takeGoroutine returns and forgets the RecursionError that is ending the
// calling goroutine, one the session started (nil if none is).
func (g *recursionGuard) takeGoroutine() *recursionError {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.byGoroutine) == 0 {
		return nil
	}
	id := goroutineID()
	re := g.byGoroutine[id]
	delete(g.byGoroutine, id)
	return re
}

// evalRun is evalCtx for declarations whose initializers may call cell
// functions: a RecursionError that ended the run (runtime.Goexit leaves no
// error behind) comes back as the panic it stands for.
func (s *Session) evalRun(ctx context.Context, in *interp.Interpreter, src string) error {
	err := s.evalCtx(ctx, in, src)
	if re := s.recursion.takeAborted(); re != nil {
		return interp.Panic{Value: re}
	}
	return err
}

// recursionTraceback is the traceback of a RecursionError below the cell's
// line: how many outer calls are not shown, then the recorded innermost
// calls, outermost first, with where each function is defined and its first
// line, repeated calls collapsed.
func (s *Session) recursionTraceback(cur *cellRecord, re *recursionError) []string {
	var out, frames []string
	if n := re.Depth - len(re.calls); n > 0 {
		out = append(out, fmt.Sprintf("  [%d outer calls not shown]", n))
	}
	for _, c := range re.calls {
		cell, rel := s.lines.find(c.line)
		if cell == nil {
			frames = append(frames, "  in "+c.name, "    (source not available)")
			continue
		}
		frames = append(frames, fmt.Sprintf("  in %s (defined at %s)", c.name, cell.where(cur, rel)), "    "+cell.sourceLine(rel))
	}
	return append(out, collapseFrames(frames)...)
}
