package train

import (
	"fmt"
	"html"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// ConfusionMatrix counts, for every gold class (row) and predicted class
// (column), how many examples fell there: the diagonal is what the model got
// right, the rest shows which classes it confuses. Plot Counts with a heat map
// (plots.ConfusionMatrix) or show the value as a table.
type ConfusionMatrix struct {
	Labels []string
	Counts [][]int // Counts[gold][predicted]
}

// NewConfusionMatrix counts predictions against gold labels for classes
// 0..len(labels)-1.
func NewConfusionMatrix(predicted, gold []int, labels []string) ConfusionMatrix {
	checkSameLength("NewConfusionMatrix", predicted, gold)
	k := len(labels)
	m := ConfusionMatrix{Labels: labels, Counts: make([][]int, k)}
	for i := range m.Counts {
		m.Counts[i] = make([]int, k)
	}
	for i := range gold {
		p, g := predicted[i], gold[i]
		if p < 0 || p >= k || g < 0 || g >= k {
			panic(fmt.Sprintf("train.NewConfusionMatrix: label %d or %d outside 0..%d", p, g, k-1))
		}
		m.Counts[g][p]++
	}
	return m
}

// Float64 returns the counts as a float matrix, for plotting.
func (m ConfusionMatrix) Float64() [][]float64 {
	out := make([][]float64, len(m.Counts))
	for i, row := range m.Counts {
		out[i] = make([]float64, len(row))
		for j, c := range row {
			out[i][j] = float64(c)
		}
	}
	return out
}

// String lays out the matrix with gold classes down and predictions across.
func (m ConfusionMatrix) String() string {
	width := len("gold \\ pred")
	for _, l := range m.Labels {
		width = max(width, len(l))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", width, "gold \\ pred")
	for _, l := range m.Labels {
		fmt.Fprintf(&b, " %*s", max(len(l), 5), l)
	}
	for i, row := range m.Counts {
		fmt.Fprintf(&b, "\n%-*s", width, m.Labels[i])
		for j, c := range row {
			fmt.Fprintf(&b, " %*d", max(len(m.Labels[j]), 5), c)
		}
	}
	return b.String()
}

// MIMEBundle shows the matrix as an HTML table with the diagonal in bold.
func (m ConfusionMatrix) MIMEBundle() display.Bundle {
	var b strings.Builder
	b.WriteString("<table><thead><tr><th>gold \\ predicted</th>")
	for _, l := range m.Labels {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(l))
	}
	b.WriteString("</tr></thead><tbody>")
	for i, row := range m.Counts {
		fmt.Fprintf(&b, "<tr><th>%s</th>", html.EscapeString(m.Labels[i]))
		for j, c := range row {
			if i == j {
				fmt.Fprintf(&b, "<td><b>%d</b></td>", c)
			} else {
				fmt.Fprintf(&b, "<td>%d</td>", c)
			}
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return display.Bundle{Data: map[string]any{display.MIMEText: m.String(), display.MIMEHTML: b.String()}}
}
