package data

import (
	"fmt"
	"sort"
)

// BadLinePolicy says what a loader does with a line it cannot read (a wrong
// number of fields, a broken quote, invalid JSON, an unknown label).
type BadLinePolicy int

const (
	// StopAtBadLine fails the load at the first bad line (the default).
	StopAtBadLine BadLinePolicy = iota
	// SkipBadLines leaves bad lines out and reports them in the result's
	// BadLines, up to LoadOptions.MaxBadLines; one more is an error, since so
	// many bad lines usually mean a wrong format or delimiter.
	SkipBadLines
)

// String names the policy as its constant does.
func (p BadLinePolicy) String() string {
	switch p {
	case StopAtBadLine:
		return "StopAtBadLine"
	case SkipBadLines:
		return "SkipBadLines"
	}
	return fmt.Sprintf("BadLinePolicy(%d)", int(p))
}

// LineError is a problem with one line of a data file. Its message reads like
// a compiler's: "reviews.tsv:5: 3 fields, want 2 (text, label)". In a
// columnar file (Parquet), which has rows but no lines, Line counts rows and
// the message says so: "reviews.parquet: row 5: null label ...".
type LineError struct {
	Path    string
	Line    int    // 1-based; the line where the record starts, or the row
	Row     bool   // Line is a row number of a columnar file
	Problem string // what is wrong, and what was expected
}

// Error formats the problem as path:line: problem, or path: row N: problem.
func (e *LineError) Error() string {
	if e.Row {
		return fmt.Sprintf("%s: row %d: %s", e.Path, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Problem)
}

// badLines applies a BadLinePolicy while a file is read.
type badLines struct {
	policy BadLinePolicy
	max    int
	op     string
	seen   []*LineError
}

// add records a bad line and returns the error that ends the load, or nil
// when the policy skips it.
func (b *badLines) add(e *LineError) error {
	if b.policy != SkipBadLines {
		return fmt.Errorf("%s: %w", b.op, e)
	}
	if len(b.seen) >= b.max {
		return fmt.Errorf("%s: more than %d bad lines (LoadOptions.MaxBadLines), a wrong format or delimiter? The first was %v; this one is %w", b.op, b.max, b.seen[0], e)
	}
	b.seen = append(b.seen, e)
	return nil
}

// sortLineErrors puts bad lines in file order (reading and labeling find
// them in two passes).
func sortLineErrors(errs []*LineError) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
}
