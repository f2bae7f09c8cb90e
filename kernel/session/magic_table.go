package session

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// The magics beyond the few that magic.go handles itself, by name, and the
// listings of every magic (%lsmagic, the error for an unknown one). The names
// come from magicHelp, the text %help prints, so a magic added there is
// listed everywhere.

// lineMagic runs `%name args`. A Result with a Value shows it when nothing
// follows the magic in the cell (else tableMagic prints it); an Error fails
// the cell.
type lineMagic func(s *Session, ctx context.Context, args string) Result

// cellMagic runs `%%name args` with the rest of the cell as its body.
type cellMagic func(s *Session, ctx context.Context, args, body string) Result

// lineMagics are the line magics of the files named after them.
var lineMagics = map[string]lineMagic{
	"%cd":              cdMagic,
	"%env":             envMagic,
	"%lsmagic":         lsMagic,
	"%pwd":             pwdMagic,
	"%recursion_limit": recursionLimitMagic,
	"%timeit":          timeitLineMagic,
}

// cellMagics are the cell magics of the files named after them.
var cellMagics = map[string]cellMagic{
	"%%bash":      scriptMagic("bash"),
	"%%sh":        scriptMagic(shellPath),
	"%%timeit":    timeitCellMagic,
	"%%writefile": writefileMagic,
}

// helpNameRE finds the magic that a line of magicHelp describes.
var helpNameRE = regexp.MustCompile(`^\s+(%%?[A-Za-z_]\w*)`)

// knownMagics returns the line magics and the cell magics that %help
// describes, sorted as IPython lists them.
func knownMagics() (line, cell []string) {
	for _, l := range strings.Split(magicHelp, "\n") {
		m := helpNameRE.FindStringSubmatch(l)
		switch {
		case m == nil:
		case strings.HasPrefix(m[1], "%%"):
			cell = append(cell, m[1])
		default:
			line = append(line, m[1])
		}
	}
	sort.Strings(line)
	sort.Strings(cell)
	return line, cell
}

// lsMagic prints the magics the way IPython's %lsmagic does.
func lsMagic(s *Session, _ context.Context, _ string) Result {
	line, cell := knownMagics()
	fmt.Fprintf(s.opts.Stdout, "Available line magics:\n%s\n\nAvailable cell magics:\n%s\n\nAutomagic is OFF, %% prefix IS needed for line magics.\n",
		strings.Join(line, "  "), strings.Join(cell, "  "))
	return Result{}
}

// unknownMagic is the error for a magic the session does not have: IPython's
// message, then every magic there is.
func unknownMagic(name string) *Error {
	v := fmt.Sprintf("Line magic function `%s` not found.", name)
	if strings.HasPrefix(name, "%%") {
		v = fmt.Sprintf("Cell magic `%s` not found.", name)
	}
	line, cell := knownMagics()
	known := fmt.Sprintf("The magics are: %s (line) and %s (cell); %%help describes them.",
		strings.Join(line, " "), strings.Join(cell, " "))
	return &Error{Name: "UsageError", Value: v, Traceback: []string{"UsageError: " + v, known}}
}

// usageError is the error of a magic used the wrong way.
func usageError(format string, args ...any) Result {
	v := fmt.Sprintf(format, args...)
	return Result{Error: &Error{Name: "UsageError", Value: v, Traceback: []string{"UsageError: " + v}}}
}

// valueResult is a Result whose value is text shown as it is.
func valueResult(text string) Result {
	b := display.TextBundle(text)
	return Result{Value: &b}
}

// tableMagic runs the magic called name from the tables above (the first
// line of the cell is line, what follows is rest) or reports it unknown. done
// is false only after a line magic that succeeded with code after it: the
// caller runs that code.
func (s *Session) tableMagic(ctx context.Context, name, line, rest string) (r Result, done bool) {
	args := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(line, " \t"), name))
	if m, ok := cellMagics[name]; ok {
		return m(s, ctx, args, rest), true
	}
	m, ok := lineMagics[name]
	if !ok {
		return Result{Error: unknownMagic(name)}, true
	}
	r = m(s, ctx, args)
	if r.Error != nil || strings.TrimSpace(skipComments(rest)) == "" {
		return r, true
	}
	if r.Value != nil { // code follows: the value is printed, not the cell's result
		fmt.Fprintln(s.opts.Stdout, r.Value.Text())
	}
	return r, false
}
