package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bar is a bar chart over named categories, with one bar per category (plain)
// or one bar per group side by side (grouped), each topped by its value:
// comparing fine-tuning methods by trainable parameters, accuracy or time.
type Bar struct {
	// Title is drawn above the chart; XLabel and YLabel name the axes.
	Title, XLabel, YLabel string
	// ValueLabels writes each bar's value above it (below it if negative).
	ValueLabels bool
	// Format is the fmt verb for value labels; "" means "%.3g".
	Format string
	// Width and Height are the figure size in inches; zero means 6.4 × 4.
	Width, Height float64

	categories []string
	groups     []barGroup
}

// barGroup is one series of values, one per category.
type barGroup struct {
	name   string
	values []float64
}

// NewBar returns an empty bar chart over the given categories, with value
// labels on; add one group of values with Add for a plain chart, several for
// a grouped one.
func NewBar(title string, categories []string) *Bar {
	if len(categories) == 0 {
		panic("plots.NewBar: no categories")
	}
	return &Bar{Title: title, ValueLabels: true, categories: append([]string(nil), categories...)}
}

// Bars returns a plain bar chart: one bar per category with the given values.
func Bars(title string, categories []string, values []float64) *Bar {
	return NewBar(title, categories).Add("", values)
}

// Add adds a group of bars, one value per category, named name in the legend
// (a single unnamed group draws no legend), and returns the chart. It panics
// if the number of values differs from the number of categories.
func (b *Bar) Add(name string, values []float64) *Bar {
	if len(values) != len(b.categories) {
		panic(fmt.Sprintf("plots.Bar.Add(%q): %d values for %d categories", name, len(values), len(b.categories)))
	}
	b.groups = append(b.groups, barGroup{name: name, values: append([]float64(nil), values...)})
	return b
}

// Value returns the value of group g (in Add order) for category c.
func (b *Bar) Value(g, c int) float64 { return b.groups[g].values[c] }

// String is the text/plain form: "<Bar figure: title (n categories × g groups)>".
func (b *Bar) String() string {
	return fmt.Sprintf("<Bar figure: %s (%d categories × %d groups)>", b.Title, len(b.categories), len(b.groups))
}

// size returns the figure size, the defaults filled in.
func (b *Bar) size() (vg.Length, vg.Length) {
	return sizeOr(b.Width, b.Height, DefaultWidth, DefaultHeight)
}

// PNG renders the chart as a PNG image.
func (b *Bar) PNG() ([]byte, error) { w, h := b.size(); return render(b, w, h, "png") }

// SVG renders the chart as an SVG document.
func (b *Bar) SVG() ([]byte, error) { w, h := b.size(); return render(b, w, h, "svg") }

// Save writes the chart to path as .png, .svg or .pdf, atomically.
func (b *Bar) Save(path string) error { w, h := b.size(); return save(b, w, h, path) }

// MIMEBundle shows the chart inline as a PNG.
func (b *Bar) MIMEBundle() display.Bundle {
	w, h := b.size()
	return bundle(b, w, h, b.String())
}

// Draw draws the chart into c.
func (b *Bar) Draw(c draw.Canvas) {
	p := newPlot(b.Title, b.XLabel, b.YLabel)
	grid := lightGrid()
	grid.Vertical.Color = nil
	p.Add(grid)
	lo, hi := 0.0, 0.0
	for _, g := range b.groups {
		for _, v := range g.values {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	for i := range b.groups {
		bars := &barSet{bar: b, group: i, color: SeriesColor(i)}
		p.Add(bars)
		if b.groups[i].name != "" {
			p.Legend.Add(b.groups[i].name, bars)
		}
	}
	// Headroom above (and below) the bars for the value labels and the legend.
	span := hi - lo
	if span == 0 {
		span = 1
	}
	p.Y.Max = hi + 0.12*span
	if len(b.groups) > 1 || (len(b.groups) == 1 && b.groups[0].name != "") {
		p.Y.Max += 0.09 * span * float64(len(b.groups))
	}
	if lo < 0 {
		p.Y.Min = lo - 0.12*span
	} else {
		p.Y.Min = 0
	}
	p.X.Min, p.X.Max = -0.5, float64(len(b.categories))-0.5
	if lo < 0 {
		p.Add(zeroLine{})
	}
	labels := make([]string, len(b.categories))
	for i, s := range b.categories {
		labels[i] = truncate(s)
	}
	p.NominalX(labels...)
	p.X.Padding = 0
	p.Draw(c)
}

// barSet is the gonum plotter for one group: its bars, in data coordinates
// (category i spans [i-0.4, i+0.4], shared equally by the groups), and their
// value labels.
type barSet struct {
	bar   *Bar
	group int
	color color.RGBA
}

// span returns the x extent of this group's bar in category i.
func (s *barSet) span(i int) (x0, x1 float64) {
	n := float64(len(s.bar.groups))
	w := 0.8 / n
	x0 = float64(i) - 0.4 + w*float64(s.group)
	return x0 + 0.04*w, x0 + 0.96*w
}

// Plot draws the bars and their value labels.
func (s *barSet) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	format := s.bar.Format
	if format == "" {
		format = "%.3g"
	}
	size := min(tickSize, vg.Length(0.8/float64(len(s.bar.groups)))*(c.Max.X-c.Min.X)/vg.Length(len(s.bar.categories))/4)
	size = max(size, vg.Points(5))
	for i, v := range s.bar.groups[s.group].values {
		if !finite(v) {
			continue
		}
		x0, x1 := s.span(i)
		pts := []vg.Point{
			{X: trX(x0), Y: trY(0)}, {X: trX(x1), Y: trY(0)},
			{X: trX(x1), Y: trY(v)}, {X: trX(x0), Y: trY(v)},
		}
		c.FillPolygon(s.color, c.ClipPolygonXY(pts))
		if s.bar.ValueLabels {
			align, dy := draw.YBottom, vg.Points(2)
			if v < 0 {
				align, dy = draw.YTop, -dy
			}
			sty := textStyle(size, color.Gray{Y: 30}, draw.XCenter, align)
			c.FillText(sty, vg.Point{X: trX((x0 + x1) / 2), Y: trY(v) + dy}, fmt.Sprintf(format, v))
		}
	}
}

// DataRange covers the categories and the bars' values (always including 0).
func (s *barSet) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = 0, 0
	for _, v := range s.bar.groups[s.group].values {
		if finite(v) {
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
	}
	return -0.5, float64(len(s.bar.categories)) - 0.5, ymin, ymax
}

// Thumbnail draws the group's colour swatch in the legend.
func (s *barSet) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// zeroLine is the gonum plotter for the baseline y = 0 that bars grow from,
// drawn when some bars are negative.
type zeroLine struct{}

// Plot draws the baseline across the data area.
func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(0.75)}, c.Min.X, trY(0), c.Max.X, trY(0))
}
