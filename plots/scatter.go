package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter is a scatter plot of points coloured by class, with a legend and
// optional text labels next to the points: the picture of an embedding
// projection (PCA of token or sentence embeddings), where the question is
// whether the classes separate.
type Scatter struct {
	// Title is drawn above the plot; XLabel and YLabel name the axes.
	Title, XLabel, YLabel string
	// Radius is the point radius in points; zero means 3.
	Radius float64
	// Width and Height are the figure size in inches; zero means 6.4 × 4.
	Width, Height float64

	classes []*scatterClass
}

// scatterClass is the points of one class, with optional per-point labels.
type scatterClass struct {
	name   string
	xs, ys []float64
	labels []string
}

// NewScatter returns an empty scatter plot; add classes with Add or AddLabeled.
func NewScatter(title string) *Scatter {
	return &Scatter{Title: title}
}

// ScatterByClass returns a scatter plot of the points (xs[i], ys[i]) with point
// i in class classes[i]; classes appear in the legend in order of first
// appearance. classes may be nil (one unnamed class). It panics if lengths differ.
func ScatterByClass(title string, xs, ys []float64, classes []string) *Scatter {
	if len(xs) != len(ys) || (classes != nil && len(classes) != len(xs)) {
		panic(fmt.Sprintf("plots.ScatterByClass: %d x values, %d y values, %d classes", len(xs), len(ys), len(classes)))
	}
	s := NewScatter(title)
	for i := range xs {
		name := ""
		if classes != nil {
			name = classes[i]
		}
		c := s.find(name)
		c.xs = append(c.xs, xs[i])
		c.ys = append(c.ys, ys[i])
	}
	return s
}

// ScatterOf returns a scatter plot of an [N, 2] tensor (N points, e.g. a 2-D
// PCA projection of embeddings), point i in class classes[i] (nil: one class).
// It panics unless the tensor is N×2 and classes has N entries.
func ScatterOf(title string, points Tensor, classes []string) *Scatter {
	n, d, vs := tensorMatrix("ScatterOf", points)
	if d != 2 {
		panic(fmt.Sprintf("plots.ScatterOf: want an [N, 2] tensor of points, got shape %v", points.Shape()))
	}
	xs, ys := make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		xs[i], ys[i] = vs[2*i], vs[2*i+1]
	}
	return ScatterByClass(title, xs, ys, classes)
}

// Add adds the points of one class (appending to it if the class exists) and
// returns the plot. It panics if the lengths differ.
func (s *Scatter) Add(class string, xs, ys []float64) *Scatter {
	return s.AddLabeled(class, xs, ys, nil)
}

// AddLabeled adds the points of one class with a text label beside each point
// (a token, a sentence id); labels may be nil. It panics if the lengths differ.
func (s *Scatter) AddLabeled(class string, xs, ys []float64, labels []string) *Scatter {
	if len(xs) != len(ys) || (labels != nil && len(labels) != len(xs)) {
		panic(fmt.Sprintf("plots.Scatter.Add(%q): %d x values, %d y values, %d labels", class, len(xs), len(ys), len(labels)))
	}
	c := s.find(class)
	if labels != nil && c.labels == nil {
		c.labels = make([]string, len(c.xs))
	}
	c.xs = append(c.xs, xs...)
	c.ys = append(c.ys, ys...)
	if labels != nil {
		c.labels = append(c.labels, labels...)
	} else if c.labels != nil {
		c.labels = append(c.labels, make([]string, len(xs))...)
	}
	return s
}

// find returns the class called name, adding it if needed.
func (s *Scatter) find(name string) *scatterClass {
	for _, c := range s.classes {
		if c.name == name {
			return c
		}
	}
	c := &scatterClass{name: name}
	s.classes = append(s.classes, c)
	return c
}

// Classes returns the class names in legend order.
func (s *Scatter) Classes() []string {
	names := make([]string, len(s.classes))
	for i, c := range s.classes {
		names[i] = c.name
	}
	return names
}

// Len returns the total number of points.
func (s *Scatter) Len() int {
	n := 0
	for _, c := range s.classes {
		n += len(c.xs)
	}
	return n
}

// String is the text/plain form: "<Scatter figure: title (n points, k classes)>".
func (s *Scatter) String() string {
	return fmt.Sprintf("<Scatter figure: %s (%d points, %d classes)>", s.Title, s.Len(), len(s.classes))
}

// size returns the figure size, the defaults filled in.
func (s *Scatter) size() (vg.Length, vg.Length) {
	return sizeOr(s.Width, s.Height, DefaultWidth, DefaultHeight)
}

// PNG renders the plot as a PNG image.
func (s *Scatter) PNG() ([]byte, error) { w, h := s.size(); return render(s, w, h, "png") }

// SVG renders the plot as an SVG document.
func (s *Scatter) SVG() ([]byte, error) { w, h := s.size(); return render(s, w, h, "svg") }

// Save writes the plot to path as .png, .svg or .pdf, atomically.
func (s *Scatter) Save(path string) error { w, h := s.size(); return save(s, w, h, path) }

// MIMEBundle shows the plot inline as a PNG.
func (s *Scatter) MIMEBundle() display.Bundle {
	w, h := s.size()
	return bundle(s, w, h, s.String())
}

// Draw draws the plot into c. Non-finite points are left out.
func (s *Scatter) Draw(c draw.Canvas) {
	p := newPlot(s.Title, s.XLabel, s.YLabel)
	p.Add(lightGrid())
	radius := s.Radius
	if radius <= 0 {
		radius = 3
	}
	var occupied plotter.XYs
	for i, cl := range s.classes {
		pts := finitePoints(cl.xs, cl.ys, 0)
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			panic(fmt.Sprintf("plots.Scatter %q: class %q: %v", s.Title, cl.name, err))
		}
		col := SeriesColor(i)
		sc.GlyphStyle = draw.GlyphStyle{Color: faded(col, 0.85), Radius: vg.Points(radius), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		occupied = append(occupied, pts...)
		if cl.name != "" {
			p.Legend.Add(cl.name, sc)
		}
		if cl.labels != nil {
			p.Add(pointLabels(cl, radius))
		}
	}
	placeLegend(p, c, nil, occupied)
	p.Draw(c)
}

// pointLabels returns the gonum labels plotter for a class's labelled points,
// set just to the upper right of each point.
func pointLabels(cl *scatterClass, radius float64) plot.Plotter {
	var xyl plotter.XYLabels
	for i := range cl.xs {
		if cl.labels[i] == "" || !finite(cl.xs[i]) || !finite(cl.ys[i]) {
			continue
		}
		xyl.XYs = append(xyl.XYs, plotter.XY{X: cl.xs[i], Y: cl.ys[i]})
		xyl.Labels = append(xyl.Labels, truncate(cl.labels[i]))
	}
	labels, err := plotter.NewLabels(xyl)
	if err != nil {
		panic(fmt.Sprintf("plots.Scatter: labels of class %q: %v", cl.name, err))
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i] = textStyle(vg.Points(8), color.Gray{Y: 40}, draw.XLeft, draw.YBottom)
	}
	labels.Offset = vg.Point{X: vg.Points(radius), Y: vg.Points(radius * 0.5)}
	return labels
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
