package course

import (
	"fmt"
	"go/scanner"
	"go/token"
	"strings"
)

// The marker lines (alone on their line, indentation aside).
const (
	BeginSolution    = "// BEGIN SOLUTION"
	EndSolution      = "// END SOLUTION"
	BeginHiddenTests = "// BEGIN HIDDEN TESTS"
	EndHiddenTests   = "// END HIDDEN TESTS"
)

// The two lines a solution region becomes in the student version.
const (
	StubComment = "// YOUR CODE HERE"
	StubPanic   = `panic("exercise not done yet")`
	// NotDoneMessage is what a student's unfinished function panics with.
	NotDoneMessage = "exercise not done yet"
)

// regionKind tells the two kinds of marked region apart.
type regionKind int

const (
	noRegion regionKind = iota
	solutionRegion
	hiddenTestsRegion
)

// markerError is a problem with the markers of one cell's source.
type markerError struct {
	line int // 1-based line of the cell
	msg  string
}

func (e *markerError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// regions is what stripping found in one source.
type regions struct {
	solutions, hiddenTests int
}

// stripRegions returns src with every solution region replaced by the stub
// (at the BEGIN marker's indentation) and every hidden-tests region removed.
func stripRegions(src string) (string, regions, error) {
	var out strings.Builder
	var found regions
	open, openLine, indent := noRegion, 0, ""
	offset := 0 // byte offset of the current line in src
	for n, line := range sourceLines(src) {
		lineNo := n + 1
		body := strings.TrimRight(line, "\r\n")
		marker := strings.TrimSpace(body)
		switch marker {
		case BeginSolution, BeginHiddenTests:
			if open != noRegion {
				return "", found, &markerError{lineNo, fmt.Sprintf("%q inside the region opened on line %d: regions do not nest", marker, openLine)}
			}
			open, openLine, indent = solutionRegion, lineNo, body[:len(body)-len(strings.TrimLeft(body, " \t"))]
			if marker == BeginHiddenTests {
				open = hiddenTestsRegion
			} else if braceDepth(src[:offset]) == 0 {
				return "", found, &markerError{lineNo, "a solution region at the top level of the cell, outside any function body: " +
					"the student's stub (a panic) would not compile there; put the solution inside a function"}
			}
		case EndSolution, EndHiddenTests:
			want, begin := solutionRegion, BeginSolution
			if marker == EndHiddenTests {
				want, begin = hiddenTestsRegion, BeginHiddenTests
			}
			if open != want {
				return "", found, &markerError{lineNo, fmt.Sprintf("%q without a %q before it", marker, begin)}
			}
			if open == solutionRegion {
				found.solutions++
				out.WriteString(indent + StubComment + "\n")
				out.WriteString(indent + StubPanic + line[len(body):])
			} else {
				found.hiddenTests++
			}
			open = noRegion
		default:
			if open == noRegion {
				out.WriteString(line)
			}
		}
		offset += len(line)
	}
	if open != noRegion {
		begin := BeginSolution
		if open == hiddenTestsRegion {
			begin = BeginHiddenTests
		}
		return "", found, &markerError{openLine, fmt.Sprintf("%q is never closed", begin)}
	}
	return out.String(), found, nil
}

// braceDepth is how many braces are open at the end of the Go text src
// (strings, runes and comments are skipped; a cell's magics and ! lines
// scan as stray operators, which does not matter here).
func braceDepth(src string) int {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", fset.Base(), len(src))
	s.Init(file, []byte(src), nil, 0)
	depth := 0
	for {
		_, tok, _ := s.Scan()
		switch tok {
		case token.EOF:
			return depth
		case token.LBRACE:
			depth++
		case token.RBRACE:
			depth--
		}
	}
}
