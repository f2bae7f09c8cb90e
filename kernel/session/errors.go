package session

import (
	"errors"
	"fmt"
	"go/scanner"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Error is a failed cell, as Jupyter's error message carries it: ename, evalue
// and the traceback lines shown to the user.
type Error struct {
	Name, Value string
	Traceback   []string
}

// Error makes *Error a Go error.
func (e *Error) Error() string { return e.Name + ": " + e.Value }

// posRE finds "line:col: message" at the start of a yaegi error.
var posRE = regexp.MustCompile(`^(?:_\.go:)?(\d+):(\d+): (?s:(.*))$`)

// located is an error message with the cell line it refers to.
type located struct {
	cell *cellRecord // nil when not in a cell
	line int         // line in the cell
	col  int
	msg  string
}

// locate maps a yaegi error message to a cell position.
func (s *Session) locate(msg string) located {
	m := posRE.FindStringSubmatch(msg)
	if m == nil {
		return located{msg: msg}
	}
	abs, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	rest := strings.Replace(m[3], "CFG post-order panic: ", "", 1)
	// yaegi sometimes nests positions: "3:4: 3:9: undefined: x".
	for {
		mm := posRE.FindStringSubmatch(rest)
		if mm == nil {
			break
		}
		abs, _ = strconv.Atoi(mm[1])
		col, _ = strconv.Atoi(mm[2])
		rest = mm[3]
	}
	if strings.HasPrefix(rest, "incomplete type ") { // yaegi's word for an undefined name here
		rest = "undefined: " + strings.TrimPrefix(rest, "incomplete type ")
	}
	c, rel := s.lines.find(abs)
	return located{cell: c, line: rel, col: col, msg: rest}
}

// where describes a location relative to the current cell.
func (l located) where(cur *cellRecord) string {
	switch {
	case l.cell == nil:
		return ""
	case l.cell == cur:
		return fmt.Sprintf("line %d:%d", l.line, l.col)
	default:
		return fmt.Sprintf("line %d:%d of cell #%d", l.line, l.col, l.cell.number)
	}
}

// compileError builds the Error for a cell that did not compile: "line:col:
// message" plus the offending source line and a caret.
func (s *Session) compileError(cur *cellRecord, err error) *Error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 { // our own parse errors: cell positions
		var tb []string
		for i, e := range list {
			if i == 3 {
				tb = append(tb, fmt.Sprintf("(%d more errors)", len(list)-3))
				break
			}
			tb = append(tb, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg))
			tb = append(tb, caretLines(cur, e.Pos.Line, e.Pos.Column)...)
		}
		return &Error{Name: "SyntaxError", Value: fmt.Sprintf("%d:%d: %s", list[0].Pos.Line, list[0].Pos.Column, list[0].Msg), Traceback: tb}
	}
	l := s.locate(err.Error())
	if l.cell == nil && l.msg == "nil type" {
		if e := rangeOverIntError(cur); e != nil {
			return e
		}
	}
	if l.cell == nil {
		l.msg = compileCrashHint(l.msg) // compile_crash.go
		return &Error{Name: "CompileError", Value: l.msg, Traceback: []string{"CompileError: " + l.msg}}
	}
	if l.cell == cur && s.edits != nil {
		l.col = s.edits.OriginalCol(l.line, l.col)
	}
	value := fmt.Sprintf("%d:%d: %s", l.line, l.col, l.msg)
	if l.cell != cur {
		value = fmt.Sprintf("%s: %s", l.where(cur), l.msg)
	}
	tb := []string{value}
	tb = append(tb, caretLines(l.cell, l.line, l.col)...)
	return &Error{Name: "CompileError", Value: value, Traceback: tb}
}

// sourceError is the CompileError for a rewrite's refusal of cell c
// (kernel/internal/cellsrc): "line:col: why", and the line with a caret.
func sourceError(c *cellRecord, e *cellsrc.Error) *Error {
	v := e.Error()
	return &Error{Name: "CompileError", Value: v, Traceback: append([]string{v}, caretLines(c, e.Line, e.Col)...)}
}

// caretLines shows a source line with a caret under the column.
func caretLines(c *cellRecord, line, col int) []string {
	if c == nil || line < 1 || line > len(c.lines) {
		return nil
	}
	src := strings.ReplaceAll(c.lines[line-1], "\t", "    ")
	raw := c.lines[line-1]
	pad := 0
	for i := 0; i < col-1 && i < len(raw); i++ {
		if raw[i] == '\t' {
			pad += 4
		} else {
			pad++
		}
	}
	return []string{"    " + src, "    " + strings.Repeat(" ", pad) + "^"}
}

// runtimeError builds the Error for a cell that panicked: ename "runtime error"
// for Go runtime errors (index out of range, nil dereference...), "error" for
// any other error value (wb.Check(err), panic(err): the cell failed with err),
// and "panic" otherwise; and a traceback of cell lines from yaegi's frames,
// outermost first.
func (s *Session) runtimeError(cur *cellRecord, p interp.Panic, frames []string) *Error {
	if ce, ok := p.Value.(*commandError); ok { // a `!command` line failed (shell_magic.go)
		return s.commandFailure(cur, ce)
	}
	name := "panic"
	value := fmt.Sprint(p.Value)
	if _, ok := p.Value.(runtime.Error); ok {
		name = "runtime error"
		value = strings.TrimPrefix(value, "runtime error: ")
	} else if _, ok := p.Value.(error); ok {
		name = "error"
		if posRE.MatchString(value) { // yaegi's own runtime errors carry a source position
			if msg := s.locate(value).msg; strings.HasPrefix(msg, "interface conversion: ") {
				name, value = "runtime error", msg // a failed type assertion, x.(T)
			}
		}
	} else if strings.HasPrefix(value, "reflect: ") && strings.Contains(value, "out of range") {
		name = "runtime error" // yaegi indexes through reflect
		value = "index out of range (" + value + ")"
	} else if strings.HasPrefix(value, "reflect: ") && strings.HasSuffix(value, "on zero Value") {
		name = "runtime error"
		value = "invalid memory address or nil pointer dereference (" + value + ")"
	}
	if e, ok := p.Value.(error); ok && errors.Is(e, display.ErrInterrupted) {
		return interruptError()
	}
	name, value = recursionName(p.Value, name, value) // recursion_guard.go
	tb := []string{name + ": " + value, "Traceback (most recent call last):"}
	if c, rel := s.lines.find(int(s.rt.line.Load())); c != nil {
		tb = append(tb, "  "+c.where(cur, rel), "    "+c.sourceLine(rel))
	}
	if re, ok := p.Value.(*recursionError); ok && len(re.calls) > 0 {
		tb = append(tb, s.recursionTraceback(cur, re)...) // the calls _tl.Deep recorded (recursion_stop.go)
	} else {
		tb = append(tb, s.describeFrames(cur, frames)...)
	}
	if len(tb) == 2 {
		tb = tb[:1]
	}
	return &Error{Name: name, Value: value, Traceback: tb}
}

// where names line rel of cell c relative to the current cell cur.
func (c *cellRecord) where(cur *cellRecord, rel int) string {
	if c == cur {
		return fmt.Sprintf("line %d of this cell", rel)
	}
	return fmt.Sprintf("line %d of cell #%d", rel, c.number)
}

// describeFrames turns yaegi's panic frames (innermost first, each locating
// only the function it is in) into traceback lines, outermost first: the
// function's name, where it was defined, and its first line. The cell body's
// own frame is left out (the caller reports the cell line).
func (s *Session) describeFrames(cur *cellRecord, frames []string) []string {
	var out []string
	for i := len(frames) - 1; i >= 0; i-- {
		m := frameRE.FindStringSubmatch(frames[i])
		if m == nil {
			continue
		}
		fn := strings.TrimPrefix(m[3], "main.")
		if fn == "main" || fn == "" {
			continue
		}
		abs, _ := strconv.Atoi(m[1])
		d := s.reg.defAt(abs)
		if d == nil {
			if fn == "func" {
				fn = "a function literal"
			}
			c, rel := s.lines.find(abs)
			if c == nil {
				continue
			}
			out = append(out, fmt.Sprintf("  in %s (%s)", fn, c.where(cur, rel)), "    "+c.sourceLine(rel))
			continue
		}
		c, rel := s.lines.find(d.piece.Line)
		if c == nil {
			continue
		}
		if fn == "func" {
			fn = "a function literal in " + strings.Join(d.names, ", ")
		}
		out = append(out, fmt.Sprintf("  in %s (defined at %s)", fn, c.where(cur, rel)), "    "+c.sourceLine(rel))
	}
	return collapseFrames(out) // a deep recursion repeats frames (recursion_guard.go)
}

// interruptError is the error of an interrupted cell.
func interruptError() *Error {
	return &Error{Name: "KeyboardInterrupt", Value: "interrupted by user", Traceback: []string{"KeyboardInterrupt: interrupted by user (earlier state is intact)"}}
}

// importError explains that a package is not compiled into the kernel and how
// to add it.
func importError(line, col int, path string) *Error {
	v := fmt.Sprintf("%d:%d: cannot import %q: it is not compiled into this kernel", line, col, path)
	return &Error{Name: "ImportError", Value: v, Traceback: []string{
		v,
		"Cells can import the Go standard library, every turinglab package, gonum (mat, stat, floats) and gonum/plot.",
		"To add a package: list it in `extra` in kernel/symbols/internal/gen/main.go (or put it in the turinglab module),",
		"run `make generate` (go generate ./kernel/symbols), rebuild with `make build` (or ./install.sh), and restart the kernel.",
	}}
}
