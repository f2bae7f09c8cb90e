package session

import (
	"sort"
	"strings"
	"sync"
)

// cellRecord remembers the source of one executed cell, for tracebacks and
// error messages that point at its lines.
type cellRecord struct {
	number int // 1 for the first cell executed in the session
	base   int // absolute line of the cell's first line
	lines  []string
}

// lineMap owns the session's line space: it hands out line ranges to cells and
// to synthetic code, and maps an absolute line back to its cell.
type lineMap struct {
	mu    sync.Mutex // goroutine panic reports read the map while a cell runs
	next  int
	cells []*cellRecord
}

func newLineMap() *lineMap { return &lineMap{next: 1} }

// addCell reserves lines for a cell's source and returns its record.
func (m *lineMap) addCell(number int, src string) *cellRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	lines := strings.Split(src, "\n")
	rec := &cellRecord{number: number, base: m.next, lines: lines}
	m.next += len(lines) + 1
	m.cells = append(m.cells, rec)
	return rec
}

// reserve returns the first of n fresh lines for synthetic code (no cell).
func (m *lineMap) reserve(n int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	first := m.next
	m.next += n + 1
	return first
}

// find maps an absolute line to its cell and the 1-based line in it; nil when
// the line belongs to synthetic code.
func (m *lineMap) find(abs int) (*cellRecord, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := sort.Search(len(m.cells), func(i int) bool { return m.cells[i].base > abs }) - 1
	if i < 0 {
		return nil, 0
	}
	c := m.cells[i]
	if rel := abs - c.base + 1; rel <= len(c.lines) {
		return c, rel
	}
	return nil, 0
}

// sourceLine returns line rel (1-based) of the cell, trimmed, or "".
func (c *cellRecord) sourceLine(rel int) string {
	if rel < 1 || rel > len(c.lines) {
		return ""
	}
	return strings.TrimSpace(c.lines[rel-1])
}
