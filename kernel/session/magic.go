package session

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// magicHelp is what %help prints: every magic the session understands.
const magicHelp = `turinglab magics:
  %help      this list
  %reset     forget every variable, function, type and import (a fresh interpreter; wb is imported again)
  %who       the cell variables and their types
  %cd DIR    change the working directory and print it (~ is home; - the previous one; -N entry N of the history; alone: home)
  %pwd       the working directory
  %env       the environment; %env NAME one variable; %env NAME=value (or %env NAME value) sets it for the kernel, its code and ! commands
  %timeit STMT  time STMT: mean ± std. dev. of 7 runs of N loops (N grows until a run takes 0.2 s; -n N, -r R, -p digits, -q, -o)
  %lsmagic   list the line and cell magics
  %auto_import [on|off]  import the packages a cell uses without importing them (on by default; alone: the state)
  %recursion_limit [N]  how deep cell functions may call each other before a RecursionError (default 10000, or $TURINGLAB_RECURSION_LIMIT; alone: the limit)
  %%time     (first line of a cell) run the rest of the cell and print its wall time
  %%timeit   time the rest of the cell (the rest of the first line is setup, run untimed; options as %timeit)
  %%writefile [-a] FILE  write the rest of the cell to FILE (-a: append to it)
  %%sh       run the rest of the cell as a /bin/sh script (%%bash: with bash); its output streams
  %%bash     run the rest of the cell as a bash script
  !cmd       (a line of a cell) run cmd with /bin/sh, in order with the Go lines; a non-zero exit fails the cell
  name?      (at the end of a cell) show the signature and documentation of name in the pager
Cells are Go: imports, declarations and statements in any order. The package
github.com/turinglab/turinglab/workbench is already imported as wb.`

// magic handles %-commands; ok=false when the cell does not start with one
// (after blank lines and // comment lines). %%time applies to the rest of the
// cell. A line magic runs when it is the whole line; the lines after it run
// next, as IPython runs the line magics of a cell in order with its code:
// further magic lines, then Go. Every line magic behaves the same way there:
// what it prints stays, and a value it would show as the cell's result
// (%pwd, %env NAME) is printed instead, since the cell's result is its last
// expression.
func (s *Session) magic(ctx context.Context, code string) (Result, bool) {
	trimmed := skipComments(code)
	if !strings.HasPrefix(trimmed, "%") {
		return Result{}, false
	}
	line, rest, _ := strings.Cut(trimmed, "\n")
	// The rest keeps its line numbers in errors and tracebacks: the lines the
	// magic took become blank lines.
	padded := strings.Repeat("\n", strings.Count(code[:len(code)-len(rest)], "\n")) + rest
	fields := strings.Fields(line)
	switch fields[0] {
	case "%%time":
		start := time.Now()
		r := s.run(ctx, padded)
		fmt.Fprintf(s.opts.Stdout, "Wall time: %s\n", formatDuration(time.Since(start)))
		return r, true
	case "%help":
		io.WriteString(s.opts.Stdout, magicHelp+"\n")
	case "%reset":
		if err := s.reset(); err != nil {
			return Result{Error: &Error{Name: "ResetError", Value: err.Error(), Traceback: []string{"ResetError: " + err.Error()}}}, true
		}
		fmt.Fprintln(s.opts.Stdout, "Session reset: every variable, function, type and import was forgotten.")
	case "%who":
		s.who()
	case "%auto_import":
		if r := s.autoImportMagic(fields[1:]); r.Error != nil {
			return r, true
		}
	default: // the magics of magic_table.go, or an unknown one
		if r, done := s.tableMagic(ctx, fields[0], line, rest); done {
			return r, true
		}
	}
	if strings.TrimSpace(skipComments(rest)) == "" {
		return Result{}, true
	}
	if r, ok := s.magic(ctx, padded); ok {
		return r, true
	}
	return s.run(ctx, padded), true
}

// skipComments drops the blank lines and // comment lines at the start of a
// cell, which may precede its magics.
func skipComments(code string) string {
	for {
		code = strings.TrimLeft(code, " \t\r\n")
		if !strings.HasPrefix(code, "//") {
			return code
		}
		_, rest, ok := strings.Cut(code, "\n")
		if !ok {
			return ""
		}
		code = rest
	}
}

// reset replaces the interpreter and forgets the registry.
func (s *Session) reset() error {
	s.setRegistry(&registry{})
	s.types = nil
	in, err := s.newInterpreter()
	if err != nil {
		return err
	}
	s.in = in
	return nil
}

// who prints the cell variables with their types.
func (s *Session) who() {
	if len(s.reg.vars) == 0 {
		fmt.Fprintln(s.opts.Stdout, "No variables.")
		return
	}
	names := append([]string(nil), s.reg.vars...)
	sort.Strings(names)
	tw := tabwriter.NewWriter(s.opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "Variable\tType")
	fmt.Fprintln(tw, "--------\t----")
	for _, n := range names {
		typ := "?"
		if v, ok := varSlot(s.in, n); ok {
			typ = v.Type().String()
			if tn := s.varTypeName(n); tn != "" {
				typ = tn
			}
		}
		fmt.Fprintf(tw, "%s\t%s\n", n, typ)
	}
	tw.Flush()
}

// pagerRequest handles a cell that is `name?` (or `?name`): the text Inspect
// would show, for the pager.
func (s *Session) pagerRequest(code string) (string, bool) {
	t := strings.TrimSpace(code)
	if strings.Contains(t, "\n") || len(t) < 2 {
		return "", false
	}
	var name string
	switch {
	case strings.HasSuffix(t, "?"):
		name = strings.TrimRight(t, "?")
	case strings.HasPrefix(t, "?"):
		name = strings.TrimLeft(t, "?")
	default:
		return "", false
	}
	for _, r := range name {
		if !isIdentRune(r) && r != '.' {
			return "", false
		}
	}
	if text := s.describe(name, 1); text != "" {
		return text, true
	}
	return "No documentation found for " + name + ".", true
}

// formatDuration prints a wall time the way IPython does: µs, ms or s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}
