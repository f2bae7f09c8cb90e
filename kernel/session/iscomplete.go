package session

import (
	"go/scanner"
	"go/token"
	"strings"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// IsComplete tells a console whether code is ready to run: "complete",
// "incomplete" (with the indentation for the next line: four spaces per open
// bracket) when a bracket, a raw string or a comment is still open, or
// "invalid" for source that no further line can fix.
func (s *Session) IsComplete(code string) (status, indent string) {
	trimmed := strings.TrimSpace(code)
	if trimmed == "" {
		return "complete", ""
	}
	if t := skipComments(code); strings.HasPrefix(t, "%") {
		// A cell magic takes the whole cell; the code after a line magic's
		// line is Go (or more magics) and decides (magic.go).
		line, rest, _ := strings.Cut(t, "\n")
		if strings.HasPrefix(line, "%%") || strings.TrimSpace(rest) == "" {
			return "complete", ""
		}
		return s.IsComplete(rest)
	}
	if strings.HasSuffix(trimmed, "?") {
		return "complete", ""
	}
	code, _ = cellsrc.RewriteShellLines(code) // a `!command` line is one complete statement
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(code))
	var errs []string
	var sc scanner.Scanner
	sc.Init(file, []byte(code), func(_ token.Position, msg string) { errs = append(errs, msg) }, scanner.ScanComments)
	depth := 0
	for {
		_, tok, _ := sc.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if depth < 0 {
				return "invalid", ""
			}
		}
	}
	for _, e := range errs {
		switch e {
		case "raw string literal not terminated", "comment not terminated":
			return "incomplete", strings.Repeat("    ", depth)
		}
	}
	if len(errs) > 0 {
		return "invalid", ""
	}
	if depth > 0 {
		return "incomplete", strings.Repeat("    ", depth)
	}
	if _, err := cellsrc.Parse(code); err != nil {
		if strings.Contains(err.Error(), "EOF") {
			return "incomplete", ""
		}
		return "invalid", ""
	}
	return "complete", ""
}
