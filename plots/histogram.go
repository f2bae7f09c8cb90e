package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Histogram shows how a set of values is distributed, in equal-width bins: the
// weights of a layer after initialisation, the gradients of a step, the
// activations of a GELU. Binning follows NumPy's histogram: Bins equal bins
// from the smallest to the largest value, each half-open [lo, hi) except the
// last, which includes the maximum. Non-finite values are counted apart
// (Dropped) and not drawn.
type Histogram struct {
	// Title is drawn above the plot; XLabel and YLabel name the axes
	// (YLabel defaults to "count").
	Title, XLabel, YLabel string
	// Width and Height are the figure size in inches; zero means 6.4 × 4.
	Width, Height float64

	bins    int
	values  []float64 // finite values only
	dropped int
	edges   []float64
	counts  []int
}

// NewHistogram returns the histogram of values in the given number of bins.
// It panics if bins < 1.
func NewHistogram(title string, values []float64, bins int) *Histogram {
	if bins < 1 {
		panic(fmt.Sprintf("plots.NewHistogram: bins must be at least 1, got %d", bins))
	}
	h := &Histogram{Title: title, YLabel: "count", bins: bins}
	for _, v := range values {
		if finite(v) {
			h.values = append(h.values, v)
		} else {
			h.dropped++
		}
	}
	h.edges, h.counts = binValues(h.values, bins)
	return h
}

// HistogramOf returns the histogram of every element of a tensor of any shape.
func HistogramOf(title string, t Tensor, bins int) *Histogram {
	return NewHistogram(title, tensorValues("HistogramOf", t), bins)
}

// binValues splits [min, max] of vs into bins equal bins and counts the values
// in each (NumPy's rule: the last bin is closed). With no values the range is
// [0, 1]; with a single distinct value v it is [v-0.5, v+0.5], as in NumPy.
func binValues(vs []float64, bins int) (edges []float64, counts []int) {
	lo, hi := 0.0, 1.0
	if len(vs) > 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range vs {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo == hi {
			lo, hi = lo-0.5, hi+0.5
		}
	}
	edges = make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}
	edges[bins] = hi
	counts = make([]int, bins)
	for _, v := range vs {
		i := int(float64(bins) * (v - lo) / (hi - lo))
		i = max(0, min(i, bins-1))
		// Floating-point rounding can put a value one bin off its edges: fix it.
		for i > 0 && v < edges[i] {
			i--
		}
		for i < bins-1 && v >= edges[i+1] {
			i++
		}
		counts[i]++
	}
	return edges, counts
}

// Edges returns the bins+1 bin edges, smallest first.
func (h *Histogram) Edges() []float64 { return append([]float64(nil), h.edges...) }

// Counts returns the number of values in each bin.
func (h *Histogram) Counts() []int { return append([]int(nil), h.counts...) }

// Dropped returns how many values were NaN or infinite and so left out.
func (h *Histogram) Dropped() int { return h.dropped }

// Stats returns the count, mean and standard deviation (population) of the
// finite values.
func (h *Histogram) Stats() (n int, mean, std float64) {
	n = len(h.values)
	if n == 0 {
		return 0, math.NaN(), math.NaN()
	}
	for _, v := range h.values {
		mean += v
	}
	mean /= float64(n)
	for _, v := range h.values {
		std += (v - mean) * (v - mean)
	}
	return n, mean, math.Sqrt(std / float64(n))
}

// String is the text/plain form with the summary statistics:
// "<Histogram figure: title (n values, mean m, std s, b bins)>".
func (h *Histogram) String() string {
	n, mean, std := h.Stats()
	s := fmt.Sprintf("<Histogram figure: %s (%d values, mean %.4g, std %.4g, %d bins", h.Title, n, mean, std, h.bins)
	if h.dropped > 0 {
		s += fmt.Sprintf(", %d non-finite dropped", h.dropped)
	}
	return s + ")>"
}

// size returns the figure size, the defaults filled in.
func (h *Histogram) size() (vg.Length, vg.Length) {
	return sizeOr(h.Width, h.Height, DefaultWidth, DefaultHeight)
}

// PNG renders the histogram as a PNG image.
func (h *Histogram) PNG() ([]byte, error) { w, ht := h.size(); return render(h, w, ht, "png") }

// SVG renders the histogram as an SVG document.
func (h *Histogram) SVG() ([]byte, error) { w, ht := h.size(); return render(h, w, ht, "svg") }

// Save writes the histogram to path as .png, .svg or .pdf, atomically.
func (h *Histogram) Save(path string) error { w, ht := h.size(); return save(h, w, ht, path) }

// MIMEBundle shows the histogram inline as a PNG.
func (h *Histogram) MIMEBundle() display.Bundle {
	w, ht := h.size()
	return bundle(h, w, ht, h.String())
}

// Draw draws the histogram into c.
func (h *Histogram) Draw(c draw.Canvas) {
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	grid := lightGrid()
	grid.Vertical.Color = nil
	p.Add(grid)
	bins := make([]plotter.HistogramBin, len(h.counts))
	for i, n := range h.counts {
		bins[i] = plotter.HistogramBin{Min: h.edges[i], Max: h.edges[i+1], Weight: float64(n)}
	}
	hist := &plotter.Histogram{
		Bins:      bins,
		Width:     h.edges[1] - h.edges[0],
		FillColor: SeriesColor(0),
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)},
	}
	p.Add(hist)
	p.Y.Min = 0
	p.Draw(c)
}
