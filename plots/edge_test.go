package plots

import (
	"math"
	"testing"
)

// TestEdgeCasesRender draws the degenerate inputs a notebook meets sooner or
// later; each must give a valid, non-blank picture, not a panic.
func TestEdgeCasesRender(t *testing.T) {
	nan := math.NaN()
	wide := make([][]float64, 3)
	for i := range wide {
		wide[i] = make([]float64, 200)
		for j := range wide[i] {
			wide[i][j] = float64(i*j%7) - 3
		}
	}
	logOne := Curve("one point, log-y", []float64{0.5})
	logOne.LogY = true
	logEmpty := NewLine("empty, log-y")
	logEmpty.LogY = true
	cases := map[string]Figure{
		"1×1 heat map":           NewHeatMap("single", [][]float64{{0.7}}),
		"constant heat map":      NewHeatMap("constant", [][]float64{{2, 2}, {2, 2}}),
		"heat map with NaN":      NewHeatMap("nan", [][]float64{{1, nan}, {3, 4}}),
		"3×200 diverging":        func() *HeatMap { h := NewHeatMap("wide", wide); h.Palette = Diverging; return h }(),
		"fixed range heat map":   func() *HeatMap { h := NewHeatMap("clamped", [][]float64{{-1, 0.5, 2}}); h.Min, h.Max = 0, 1; return h }(),
		"all-NaN histogram":      NewHistogram("nan", []float64{nan, nan}, 5),
		"empty histogram":        NewHistogram("empty", nil, 3),
		"one-point line":         Curve("one", []float64{1}),
		"one-point log line":     logOne,
		"empty log line":         logEmpty,
		"all-NaN line":           Curve("nan", []float64{nan, nan}),
		"one-point scatter":      NewScatter("one").Add("a", []float64{1}, []float64{1}),
		"all-zero bars":          Bars("zero", []string{"a", "b"}, []float64{0, 0}),
		"grid wider than needed": NewGrid("sparse", 3, Curve("only", []float64{1, 2})),
		"grid of grids":          NewGrid("nested", 2, NewGrid("inner", 1, Curve("a", []float64{1, 2})), Bars("b", []string{"x"}, []float64{1})),
		"20-class confusion":     ConfusionMatrix("20 classes", identityCounts(20, 37), nil),
	}
	for name, f := range cases {
		b, err := f.PNG()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		size, err := decodeSize(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		decodePNG(t, b, size.X, size.Y)
		if _, err := f.SVG(); err != nil {
			t.Errorf("%s: SVG: %v", name, err)
		}
	}
}

// identityCounts is an n-class confusion matrix with k on the diagonal and a
// few confusions off it.
func identityCounts(n, k int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
		m[i][i] = k
		m[i][(i+1)%n] = i % 4
	}
	return m
}
