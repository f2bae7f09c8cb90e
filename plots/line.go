package plots

import (
	"fmt"
	"image/color"
	"math"
	"sync"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line is a line plot of one or more named series sharing the axes: training
// and validation loss against the step, accuracy per epoch, a learning-rate
// schedule. Points can be appended while the figure is on screen (see Live and
// Show), which is how a trainer redraws its loss curve in place. A Line is safe
// for one goroutine appending while another renders.
type Line struct {
	// Title is drawn above the plot; XLabel and YLabel name the axes.
	Title, XLabel, YLabel string
	// LogY draws the y axis on a log scale (every plotted y must then be > 0).
	LogY bool
	// Smoothing in [0, 1) draws each series as its EMA (see EMA) over a faint
	// copy of the raw points, as TensorBoard does; 0 draws the raw points only.
	Smoothing float64
	// Markers draws a dot at every point, for short series.
	Markers bool
	// Width and Height are the figure size in inches; zero means 6.4 × 4.
	Width, Height float64

	mu     sync.Mutex
	series []*lineSeries
}

// lineSeries is one named curve.
type lineSeries struct {
	name   string
	xs, ys []float64
}

// NewLine returns an empty line plot with the given title; add series with
// Add, AddY or Append.
func NewLine(title string) *Line {
	return &Line{Title: title}
}

// Curve returns a line plot of one series ys against 0, 1, 2, ...: the one-line
// loss curve. The series is named like the figure (Append(title, x, y) extends
// it) and, being alone, gets no legend.
func Curve(title string, ys []float64) *Line {
	return NewLine(title).AddY(title, ys)
}

// CurveOf returns a line plot of a 1-D tensor against 0, 1, 2, ... (a recorded
// loss, a learning-rate schedule, one neuron's activation along a sequence).
// It panics unless the tensor is 1-D.
func CurveOf(title string, t Tensor) *Line {
	ys := tensorValues("CurveOf", t)
	if shape := t.Shape(); len(shape) != 1 {
		panic(fmt.Sprintf("plots.CurveOf: want a 1-D tensor, got shape %v", shape))
	}
	return Curve(title, ys)
}

// Add adds (or replaces) the series name with points (xs[i], ys[i]) and
// returns the plot. It panics if the lengths differ. Non-finite points (a loss
// that became NaN) are kept but not drawn.
func (l *Line) Add(name string, xs, ys []float64) *Line {
	if len(xs) != len(ys) {
		panic(fmt.Sprintf("plots.Line.Add(%q): %d x values but %d y values", name, len(xs), len(ys)))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.find(name)
	s.xs = append([]float64(nil), xs...)
	s.ys = append([]float64(nil), ys...)
	return l
}

// AddY adds (or replaces) the series name with ys plotted against 0, 1, 2, ...
func (l *Line) AddY(name string, ys []float64) *Line {
	xs := make([]float64, len(ys))
	for i := range xs {
		xs[i] = float64(i)
	}
	return l.Add(name, xs, ys)
}

// Append adds the point (x, y) to the end of series name, creating the series
// if needed. Call Show (or use Live) to redraw the figure where it is shown.
func (l *Line) Append(name string, x, y float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.find(name)
	s.xs = append(s.xs, x)
	s.ys = append(s.ys, y)
}

// find returns the series called name, adding an empty one if there is none.
// The caller holds l.mu.
func (l *Line) find(name string) *lineSeries {
	for _, s := range l.series {
		if s.name == name {
			return s
		}
	}
	s := &lineSeries{name: name}
	l.series = append(l.series, s)
	return s
}

// Series returns the names of the series in the order they were added.
func (l *Line) Series() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, len(l.series))
	for i, s := range l.series {
		names[i] = s.name
	}
	return names
}

// Points returns a copy of series name's points (nil, nil if there is no such series).
func (l *Line) Points(name string) (xs, ys []float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.series {
		if s.name == name {
			return append([]float64(nil), s.xs...), append([]float64(nil), s.ys...)
		}
	}
	return nil, nil
}

// Show redraws the figure into the display handle h, in place: the first call
// shows it, later calls replace it. A live loss curve calls Append then Show.
func (l *Line) Show(h *display.Handle) {
	h.Update(l)
}

// String is the text/plain form: "<Line figure: title (n series)>".
func (l *Line) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("<Line figure: %s (%d series)>", l.Title, len(l.series))
}

// size returns the figure size, the defaults filled in.
func (l *Line) size() (vg.Length, vg.Length) {
	return sizeOr(l.Width, l.Height, DefaultWidth, DefaultHeight)
}

// PNG renders the plot as a PNG image.
func (l *Line) PNG() ([]byte, error) { w, h := l.size(); return render(l, w, h, "png") }

// SVG renders the plot as an SVG document.
func (l *Line) SVG() ([]byte, error) { w, h := l.size(); return render(l, w, h, "svg") }

// Save writes the plot to path as .png, .svg or .pdf, atomically.
func (l *Line) Save(path string) error { w, h := l.size(); return save(l, w, h, path) }

// MIMEBundle shows the plot inline as a PNG.
func (l *Line) MIMEBundle() display.Bundle {
	w, h := l.size()
	return bundle(l, w, h, l.String())
}

// Draw draws the plot into c. It panics (and PNG/SVG/Save return an error) if
// LogY is set and a series has a y value that is not positive.
func (l *Line) Draw(c draw.Canvas) {
	if l.Smoothing < 0 || l.Smoothing >= 1 {
		panic(fmt.Sprintf("plots.Line %q: Smoothing %g outside [0, 1)", l.Title, l.Smoothing))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	p := newPlot(l.Title, l.XLabel, l.YLabel)
	p.Add(lightGrid())
	if l.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	// With thousands of points per series, keep the lowest and highest point of
	// each horizontal device pixel's worth of points: the picture is the same
	// (a pixel column cannot show more) and rendering stays fast.
	budget := int(2 * float64(c.Max.X-c.Min.X) / vg.Inch.Points() * DPI)
	var occupied []plotter.XYs // where the curves are, to keep the legend off them
	for i, s := range l.series {
		col := SeriesColor(i)
		if l.LogY {
			for j, y := range s.ys {
				if y <= 0 {
					panic(fmt.Sprintf("plots.Line %q: log-y needs positive values, series %q has y=%g at index %d", l.Title, s.name, y, j))
				}
			}
		}
		ys := s.ys
		if l.Smoothing > 0 {
			rawPts := finitePoints(s.xs, s.ys, budget)
			raw := newCurve(rawPts, faded(col, 0.25), 1)
			if raw != nil {
				p.Add(raw)
				occupied = append(occupied, rawPts)
			}
			ys = EMA(s.ys, l.Smoothing)
		}
		pts := finitePoints(s.xs, ys, budget)
		ln := newCurve(pts, col, 1.5)
		if ln == nil {
			continue
		}
		p.Add(ln)
		occupied = append(occupied, pts)
		thumbs := []plot.Thumbnailer{ln}
		if l.Markers {
			sc, err := plotter.NewScatter(pts)
			if err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
				p.Add(sc)
				thumbs = append(thumbs, sc)
			}
		}
		// A lone series named like the figure (Curve) needs no legend.
		if s.name != "" && !(len(l.series) == 1 && s.name == l.Title) {
			p.Legend.Add(s.name, thumbs...)
		}
	}
	if l.LogY && !(p.Y.Min < p.Y.Max) {
		// A single y value (or none): gonum would widen the range by ±1, which
		// a log axis cannot show; widen it by a factor of two instead.
		v := p.Y.Min
		if !(v > 0) || math.IsInf(v, 0) {
			v = 1
		}
		p.Y.Min, p.Y.Max = v/2, v*2
	}
	placeLegend(p, c, occupied, nil)
	p.Draw(c)
}

// newCurve returns a gonum line through pts in colour col and the given
// width in points, or nil if there are no points.
func newCurve(pts plotter.XYs, col color.Color, width float64) *plotter.Line {
	if len(pts) == 0 {
		return nil
	}
	ln, err := plotter.NewLine(pts)
	if err != nil {
		panic(fmt.Sprintf("plots: %v", err))
	}
	ln.Color = col
	ln.Width = vg.Points(width)
	return ln
}

// finitePoints returns the points whose coordinates are both finite. When there
// are more than budget of them it keeps, in each of budget/2 consecutive
// buckets, the points with the smallest and largest y (in order), so spikes
// survive the thinning.
func finitePoints(xs, ys []float64, budget int) plotter.XYs {
	pts := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsInf(xs[i], 0) && !math.IsNaN(ys[i]) && !math.IsInf(ys[i], 0) {
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	if budget < 4 || len(pts) <= budget {
		return pts
	}
	buckets := budget / 2
	out := make(plotter.XYs, 0, budget+2)
	for b := 0; b < buckets; b++ {
		lo, hi := b*len(pts)/buckets, (b+1)*len(pts)/buckets
		if lo >= hi {
			continue
		}
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if pts[i].Y < pts[imin].Y {
				imin = i
			}
			if pts[i].Y > pts[imax].Y {
				imax = i
			}
		}
		first, second := min(imin, imax), max(imin, imax)
		out = append(out, pts[first])
		if second != first {
			out = append(out, pts[second])
		}
	}
	// Keep the true end points so the curve spans the same x range.
	if out[0] != pts[0] {
		out = append(plotter.XYs{pts[0]}, out...)
	}
	if out[len(out)-1] != pts[len(pts)-1] {
		out = append(out, pts[len(pts)-1])
	}
	return out
}
