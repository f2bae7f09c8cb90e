package display

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// TableValue is a table of values with a header row: metrics per method, a
// tokenizer's output, parameter counts. It shows as an HTML table in a notebook
// and as aligned columns on a terminal. Build one with Table.
type TableValue struct {
	Header []string
	Rows   [][]any
}

// Table makes a table from a header and rows; each cell is shown with
// fmt.Sprint (float32/float64 cells with 4 significant digits). Rows may be
// shorter or longer than the header; missing cells are blank.
func Table(header []string, rows [][]any) TableValue {
	return TableValue{Header: header, Rows: rows}
}

func cellText(v any) string {
	switch x := v.(type) {
	case float32:
		return fmt.Sprintf("%.4g", x)
	case float64:
		return fmt.Sprintf("%.4g", x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// MIMEBundle renders the table as HTML with a plain-text fallback.
func (t TableValue) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMEHTML: t.html(), MIMEText: t.String()}}
}

func (t TableValue) html() string {
	var b strings.Builder
	b.WriteString("<table>\n<thead><tr>")
	for _, h := range t.Header {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for _, v := range row {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(cellText(v)))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>")
	return b.String()
}

// String lays the table out in left-aligned columns separated by two spaces,
// with a dashed rule under the header.
func (t TableValue) String() string {
	columns := len(t.Header)
	for _, row := range t.Rows {
		columns = max(columns, len(row))
	}
	cells := make([][]string, 0, len(t.Rows)+1)
	header := make([]string, columns)
	copy(header, t.Header)
	cells = append(cells, header)
	for _, row := range t.Rows {
		line := make([]string, columns)
		for i, v := range row {
			line[i] = cellText(v)
		}
		cells = append(cells, line)
	}
	widths := make([]int, columns)
	for _, line := range cells {
		for i, s := range line {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	var b strings.Builder
	for r, line := range cells {
		for i, s := range line {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(s)
			if i < columns-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s)))
			}
		}
		b.WriteString("\n")
		if r == 0 {
			for i, w := range widths {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(strings.Repeat("-", w))
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
