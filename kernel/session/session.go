package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
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
	edits  *cellsrc.Editor         // the edits of the running cell, to map error columns back
	types  map[reflect.Type]string // cell types of the live interpreter, by reflect type

	carries int       // carry packages made so far (declareCarried)
	pending []carried // kept variables of an interrupted cell, for the rebuild that follows

	autoImportOff bool // %auto_import off: cells get no imports added (auto_import.go)

	recursion recursionGuard // the depth limit of cell functions (recursion_guard.go)

	stopping <-chan struct{} // closed when the code the last interrupt stopped has returned (stoppable.go)

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
// magic_table.go) are handled here, `!command` lines in run (kernel/internal/cellsrc/shell_lines.go).
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
