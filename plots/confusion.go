package plots

import (
	"fmt"
)

// ConfusionMatrix returns the heat map of a classifier's confusion matrix:
// counts[i][j] is how many examples of true class i were predicted as class j.
// True classes run down the side and predictions across, both labelled with
// labels (nil numbers them); every cell is annotated with its count, so the
// diagonal reads as the correct predictions. The palette is sequential from 0.
// It panics on a non-square matrix, negative counts, or a label count mismatch.
func ConfusionMatrix(title string, counts [][]int, labels []string) *HeatMap {
	n := len(counts)
	if n == 0 {
		panic("plots.ConfusionMatrix: no classes (counts is empty)")
	}
	m := make([][]float64, n)
	hi := 0
	for i, row := range counts {
		if len(row) != n {
			panic(fmt.Sprintf("plots.ConfusionMatrix: counts must be square: %d classes, row %d has %d entries", n, i, len(row)))
		}
		m[i] = make([]float64, n)
		for j, c := range row {
			if c < 0 {
				panic(fmt.Sprintf("plots.ConfusionMatrix: negative count %d at [%d][%d]", c, i, j))
			}
			m[i][j] = float64(c)
			hi = max(hi, c)
		}
	}
	if labels != nil && len(labels) != n {
		panic(fmt.Sprintf("plots.ConfusionMatrix: %d labels for %d classes", len(labels), n))
	}
	h := NewHeatMap(title, m)
	h.Labels(labels, labels)
	h.XLabel, h.YLabel = "predicted", "true"
	h.Annotate = true
	h.Format = "%.0f"
	h.Min, h.Max = 0, float64(max(hi, 1))
	return h
}
