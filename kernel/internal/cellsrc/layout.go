package cellsrc

import (
	"sort"
	"strings"
)

// Piece is source text placed at an absolute line and column of the session's
// line space (see kernel/session's package doc): yaegi reports positions in
// that space, and the session's line map turns them back into (cell, line).
type Piece struct {
	Line, Col int
	Text      string
}

// Layout concatenates pieces into one source, padding with newlines and spaces
// so that each piece starts at its line and column. Pieces that would overlap
// are placed on the next free line (their positions are then approximate).
func Layout(pieces []Piece) string {
	ps := append([]Piece(nil), pieces...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Col < ps[j].Col
	})
	var b strings.Builder
	line, col := 1, 1
	for _, p := range ps {
		if p.Line > line {
			b.WriteString(strings.Repeat("\n", p.Line-line))
			line, col = p.Line, 1
		} else if p.Line < line || p.Col < col {
			b.WriteString("\n")
			line, col = line+1, 1
		}
		if p.Col > col {
			b.WriteString(strings.Repeat(" ", p.Col-col))
			col = p.Col
		}
		b.WriteString(p.Text)
		if n := strings.Count(p.Text, "\n"); n > 0 {
			line += n
			col = len(p.Text) - strings.LastIndex(p.Text, "\n")
		} else {
			col += len(p.Text)
		}
		// Separate from whatever follows on the same line.
		b.WriteString(";")
		col++
	}
	return b.String()
}
