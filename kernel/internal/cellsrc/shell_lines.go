package cellsrc

import (
	"strconv"
	"strings"
)

// A line of a cell whose first non-blank character is `!` is a shell command,
// as in IPython: `!ls -l`. It becomes the statement `_tl.Sh("ls -l")` on the
// same line, so the command runs when the statements reach it, in order with
// the Go code around it (also inside loops and functions), and every other
// line keeps its number. The shell, not the session, expands `$HOME`.
//
// A `!` that cannot start a statement in Go is left alone: inside a string,
// raw string or comment, inside parentheses or brackets, and on a line that
// continues the expression of the line before (`ok := a &&` then `!b`). One
// case reads wrongly: an element of a composite literal that starts with `!`
// on a line of its own (`[]bool{` then `!a,`); put it on the line of the {.

// shellCall is the helper a `!command` line calls.
const shellCall = "_tl.Sh"

// RewriteShellLines returns code with its `!command` lines turned into
// shellCall statements, and whether there was any.
func RewriteShellLines(code string) (string, bool) {
	if !strings.Contains(code, "!") {
		return code, false
	}
	lines := strings.SplitAfter(code, "\n")
	var lx goLineLexer
	found := false
	for i, l := range lines {
		if lx.atStatementStart() {
			body := strings.TrimLeft(l, " \t")
			if strings.HasPrefix(body, "!") {
				end := strings.TrimRight(body, "\r\n")
				command := strings.TrimSpace(end[1:])
				indent := l[:len(l)-len(body)]
				lines[i] = indent + shellCall + "(" + strconv.Quote(command) + ")" + body[len(end):]
				found = true
				continue
			}
		}
		lx.scan(l)
	}
	return strings.Join(lines, ""), found
}

// goLineLexer follows Go source line by line, just enough to tell whether the
// next line starts a statement: it knows whether a raw string or a block
// comment is still open, how deep the open parentheses and brackets are, and
// whether the last token seen continues onto the next line.
type goLineLexer struct {
	inRaw, inComment bool
	depth            int  // open ( and [
	continues        bool // the last token was an operator, ( [ or ,
}

// atStatementStart reports whether the next line begins a new statement.
func (lx *goLineLexer) atStatementStart() bool {
	return !lx.inRaw && !lx.inComment && lx.depth == 0 && !lx.continues
}

// scan reads one line of Go source.
func (lx *goLineLexer) scan(line string) {
	last := "" // the last significant token's text (an operator or a bracket), "" for a word or literal
	seen := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case lx.inRaw:
			if c == '`' {
				lx.inRaw = false
			}
			continue
		case lx.inComment:
			if c == '*' && i+1 < len(line) && line[i+1] == '/' {
				lx.inComment = false
				i++
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '/':
			if i+1 < len(line) && line[i+1] == '/' {
				i = len(line)
				continue
			}
			if i+1 < len(line) && line[i+1] == '*' {
				lx.inComment = true
				i++
				continue
			}
		case '`':
			lx.inRaw = true
			seen, last = true, ""
			continue
		case '"', '\'':
			i = skipQuoted(line, i)
			seen, last = true, ""
			continue
		case '(', '[':
			lx.depth++
		case ')', ']':
			if lx.depth > 0 {
				lx.depth--
			}
		}
		seen = true
		if isOperatorByte(c) {
			if last != "" && isOperatorByte(last[len(last)-1]) {
				last += string(c)
			} else {
				last = string(c)
			}
		} else {
			last = ""
		}
	}
	if !seen || lx.inRaw || lx.inComment {
		return // a blank or comment-only line changes nothing
	}
	lx.continues = continuesLine(last)
}

// skipQuoted returns the index of the closing quote of the string or rune
// literal opened at line[i] (or the end of the line if it is not closed).
func skipQuoted(line string, i int) int {
	q := line[i]
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return len(line)
}

// isOperatorByte reports whether c is part of a Go operator or punctuation.
func isOperatorByte(c byte) bool {
	return strings.IndexByte("+-*/%&|^<>=!:.,;(){}[]~", c) >= 0
}

// continuesLine reports whether a line ending with the operator op continues
// onto the next line: Go inserts no semicolon after a binary operator, an
// opening bracket or a comma, but does after ++, --, ) ] and }; a line
// ending in { or : (a block, a case clause, a label) starts statements.
func continuesLine(op string) bool {
	if op == "" {
		return false
	}
	for _, end := range []string{"++", "--", ")", "]", "}", ";", "{", ":"} {
		if strings.HasSuffix(op, end) {
			return false
		}
	}
	return true
}
