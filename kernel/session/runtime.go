package session

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/display"
)

// runtimePath is the import path of the helper package that rewritten cells call
// (as _tl.Show, _tl.ShowR and _tl.Go). It exists only inside the interpreter.
const runtimePath = "turinglab.internal/tl"

// runtimeState receives what the helpers report while a cell runs.
type runtimeState struct {
	mu       sync.Mutex
	shown    bool
	values   []any
	bundle   *display.Bundle // the MIMEBundle of a cell value that renders itself, made while the cell ran
	text     string          // the String() of a cell-defined Stringer value
	hasText  bool
	stdout   io.Writer // for `!command` lines and %timeit (shell_magic.go, timeit.go)
	stderr   io.Writer
	frames   *frameFilter
	line     atomic.Int64                   // absolute line of the cell statement running now
	describe func(frames []string) []string // the session's frame formatter
	kept     []kept                         // the := variables of a cell run as a function body

	recursion         *recursionGuard                // the depth count of cell functions (recursion_guard.go)
	describeRecursion func(*recursionError) []string // the traceback lines of a goroutine's RecursionError
}

// kept is one variable that a cell run as a function body declared with := at
// its top level: a pointer to the function's local, published as a global after
// the run (see function_body.go).
type kept struct {
	name string
	ptr  reflect.Value
}

// at records the line of the top-level cell statement about to run (_tl.At):
// yaegi's frames only locate functions, so this gives the cell's own line.
func (r *runtimeState) at(line int) { r.line.Store(int64(line)) }

// reset forgets the value of the previous cell.
func (r *runtimeState) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown, r.values, r.bundle, r.hasText = false, nil, nil, false
	r.kept = nil
}

// keep records the address of a cell's := variable (_tl.Keep), right after the
// statement that declares it: whatever the cell does next (finish, panic, be
// interrupted), the variable's latest value is what becomes the global.
func (r *runtimeState) keep(name string, ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, k := range r.kept {
		if k.name == name {
			r.kept[i].ptr = v
			return
		}
	}
	r.kept = append(r.kept, kept{name: name, ptr: v})
}

// takeKept returns and forgets the kept variables, with their current values.
func (r *runtimeState) takeKept() []carried {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]carried, 0, len(r.kept))
	for _, k := range r.kept {
		out = append(out, carried{name: k.name, value: k.ptr.Elem()})
	}
	r.kept = nil
	return out
}

// show records the values of a cell's final expression (_tl.Show).
func (r *runtimeState) show(values ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown, r.values, r.bundle, r.hasText = true, values, nil, false
}

// showRenderer records a final value of a cell-defined type that renders itself:
// rend is the interpreter's Renderer wrapper of v (nil if v is not a Renderer).
// Its MIMEBundle method (interpreted code) runs here, inside the cell's run,
// so that the stop button interrupts it like the rest of the cell and a panic
// in it is the cell's.
func (r *runtimeState) showRenderer(rend display.Renderer, v any) {
	var b *display.Bundle
	if rend != nil {
		mb := rend.MIMEBundle()
		b = &mb
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown, r.values, r.bundle, r.hasText = true, []any{v}, b, false
}

// showStringer records a final value of a cell-defined type with a String
// method: str is the interpreter's fmt.Stringer wrapper of v, so its text is what
// fmt would print in Go. The String method runs here, inside the cell's run,
// like MIMEBundle in showRenderer.
func (r *runtimeState) showStringer(str fmt.Stringer, v any) {
	text, hasText := "", str != nil
	if hasText {
		text = str.String()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown, r.values, r.bundle, r.text, r.hasText = true, []any{v}, nil, text, hasText
}

// goSafe runs fn(args...) in a new goroutine under recover: a panic there is
// reported on Stderr instead of killing the kernel (yaegi does not recover
// goroutines). Cells' `go f(x)` statements are rewritten into _tl.Go(f, x), which
// evaluates f and x at the go statement, exactly like Go does.
func (r *runtimeState) goSafe(fn any, args ...any) {
	f := reflect.ValueOf(fn)
	if f.Kind() != reflect.Func {
		panic(fmt.Sprintf("go statement: %T is not a function", fn))
	}
	ft := f.Type()
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var want reflect.Type
		switch {
		case ft.IsVariadic() && i >= ft.NumIn()-1:
			want = ft.In(ft.NumIn() - 1).Elem()
		case i < ft.NumIn():
			want = ft.In(i)
		}
		if a == nil && want != nil {
			in[i] = reflect.Zero(want)
		} else {
			in[i] = reflect.ValueOf(a)
		}
	}
	go ownedGoroutine(func() { // ownedGoroutine: a RecursionError ends it with Goexit (recursion_stop.go)
		depth := r.recursion.count()
		defer func() {
			p := recover()
			var lines []string
			switch re := r.recursion.takeGoroutine(); {
			case re != nil:
				p = re
				lines = r.describeRecursion(re)
			case p != nil:
				lines = r.describe(r.frames.take())
			default:
				return
			}
			r.recursion.restore(depth) // the unwound calls did not count themselves out
			name, value := recursionName(p, "panic", fmt.Sprint(p))
			msg := fmt.Sprintf("%s in a goroutine started by a cell (the kernel keeps running): %s\n", name, value)
			for _, f := range lines {
				msg += f + "\n"
			}
			r.mu.Lock()
			w := r.stderr
			r.mu.Unlock()
			io.WriteString(w, msg)
		}()
		f.Call(in)
	})
}

// exports is the helper package as yaegi sees it.
func (r *runtimeState) exports() interp.Exports {
	return interp.Exports{runtimePath + "/tl": {
		"Show":  reflect.ValueOf(r.show),
		"ShowR": reflect.ValueOf(r.showRenderer),
		"ShowS": reflect.ValueOf(r.showStringer),
		"Go":    reflect.ValueOf(r.goSafe),
		"At":    reflect.ValueOf(r.at),
		"Keep":  reflect.ValueOf(r.keep),
		"Deep":  reflect.ValueOf(r.recursion.deep), // recursion_stop.go

		// `!command` lines and %timeit (shell_magic.go, timeit.go)
		"Sh":     reflect.ValueOf(r.sh),
		"Timeit": reflect.ValueOf(r.timeit),

		// the built-in clear (builtins.go)
		"Clear": reflect.ValueOf(clearValue),
	}}
}

// overrides replace stdlib symbols that would take the kernel down or ignore
// the stop button.
var overrides = interp.Exports{
	"os/os": {
		"Exit": reflect.ValueOf(exitInCell),
	},
	"time/time": {
		"Sleep": reflect.ValueOf(interruptibleSleep),
	},
}

// exitInCell replaces os.Exit: a cell must not end the kernel process.
func exitInCell(code int) {
	panic(fmt.Sprintf("os.Exit(%d) called in a cell: the kernel keeps running (use return or panic to stop a cell; restart the kernel to start over)", code))
}

// interruptibleSleep replaces time.Sleep: it returns early when the run is
// interrupted, so the stop button ends `time.Sleep(time.Hour)` at once.
func interruptibleSleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-display.Context().Done():
	}
}

// frameRE matches the lines yaegi prints to its stderr for each frame of a
// panic ("12:5: panic: main.f(...)"), before returning the panic as an error.
var frameRE = regexp.MustCompile(`^(?:_\.go:)?(\d+):(\d+): panic: (.*)\(\.\.\.\)\n?$`)

// frameFilter is the interpreter's stderr: it keeps yaegi's panic frames (the
// session turns them into the traceback) and passes everything else through.
type frameFilter struct {
	mu     sync.Mutex
	out    io.Writer
	frames []string
}

func (f *frameFilter) Write(p []byte) (int, error) {
	if frameRE.Match(p) {
		f.mu.Lock()
		f.frames = append(f.frames, strings.TrimSuffix(string(p), "\n"))
		f.mu.Unlock()
		return len(p), nil
	}
	f.mu.Lock()
	out := f.out
	f.mu.Unlock()
	return out.Write(p)
}

// take returns and forgets the frames captured so far.
func (f *frameFilter) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr := f.frames
	f.frames = nil
	return fr
}

func orStd(w io.Writer, std *os.File) io.Writer {
	if w == nil {
		return std
	}
	return w
}
