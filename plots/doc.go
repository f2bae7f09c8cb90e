// Package plots draws the figures a turinglab notebook shows: loss curves (Line,
// with a Live helper that redraws during training), embedding projections
// (Scatter), method comparisons (Bar), weight and gradient distributions
// (Histogram), attention maps and confusion matrices (HeatMap,
// ConfusionMatrix), and several of them side by side (Grid).
//
// Every figure is built on gonum.org/v1/plot with its bundled Liberation fonts,
// so nothing is fetched at run time. Every figure implements display.Renderer:
// when it ends a cell, or is passed to wb.Display / display.Display, the notebook
// shows it inline as a PNG sized for a notebook column; h.Update(fig) on a
// display handle redraws it in place. PNG() and SVG() return the encoded image,
// and Save(path) writes .png, .svg or .pdf (chosen by the extension) atomically.
//
// Figures are plain structs: set exported fields (Title, XLabel, LogY, ...) and
// call the few methods that add data. Helpers such as NewHeatMap, HeatMapOf,
// ConfusionMatrix, Bars, NewHistogram and HistogramOf take []float64,
// [][]float64 or a Tensor directly so that a cell needs one line per plot.
// Bad input (ragged matrices, mismatched lengths, wrong tensor rank) panics
// with a message naming the figure and the problem; rendering problems (a log
// axis over non-positive values, an unwritable path) are returned as errors.
//
// The package has no exported generics, so the notebook interpreter (yaegi) can
// use all of it.
package plots
