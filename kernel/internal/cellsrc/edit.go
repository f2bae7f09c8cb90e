package cellsrc

import (
	"sort"
	"strings"
)

// Edit replaces the cell bytes [Start, End) by Text. Edits never add or remove
// newlines, so line numbers survive every rewrite.
type Edit struct {
	Start, End int
	Text       string
}

// Editor extracts cell source with the edits applied.
type Editor struct {
	Src   string // the cell's source
	Edits []Edit // the edits so far, in any order
}

// text returns src[start:end] with the edits inside that range applied.
func (e *Editor) Text(start, end int) string {
	sortEdits(e.Edits)
	var b strings.Builder
	at := start
	for _, ed := range e.Edits {
		if ed.Start < start || ed.End > end || ed.Start < at {
			continue
		}
		b.WriteString(e.Src[at:ed.Start])
		b.WriteString(ed.Text)
		at = ed.End
	}
	b.WriteString(e.Src[at:end])
	return b.String()
}

// sortEdits orders edits by where they start; at the same place, insertions
// come before a replacement (which would otherwise hide them: `_tl.Show(`
// before the rewritten name of a final `max(a, b)`), each kind in the order
// they were made.
func sortEdits(edits []Edit) {
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End == a.Start && b.End != b.Start
	})
}

// OriginalCol maps a column of line (1-based) of the edited cell back to the
// cell as written, so compile errors point at what the user typed.
func (e *Editor) OriginalCol(line, col int) int {
	edits := append([]Edit(nil), e.Edits...)
	sortEdits(edits)
	delta := 0
	for _, ed := range edits {
		l, c := LineCol(e.Src, ed.Start)
		if l != line {
			continue
		}
		if col < c+delta+len(ed.Text) {
			if col >= c+delta {
				return c // inside inserted text: point at the edit
			}
			break
		}
		delta += len(ed.Text) - (ed.End - ed.Start)
	}
	return col - delta
}
