package cellsrc

import "fmt"

// Error is a rewrite's refusal of a cell: what it cannot rewrite and why, at a
// line and column of the cell (1-based).
type Error struct {
	Line, Col int
	Msg       string
}

// Error returns "line:col: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}
