package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The house style: one sans-serif family from gonum/plot's bundled Liberation
// fonts (registered by package plot itself, so nothing is loaded at run time),
// in three sizes.
var (
	sansFont  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	titleSize = vg.Points(13)
	labelSize = vg.Points(11)
	tickSize  = vg.Points(9)
)

// textStyle returns a plain-text style in the house font at the given size.
func textStyle(size vg.Length, c color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(sansFont, size),
		XAlign:  x,
		YAlign:  y,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a gonum plot in the house style with the given title and axis
// labels (empty strings leave them out).
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(titleSize, color.Black, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Tick.Label.Font = font.From(sansFont, tickSize)
		a.Padding = vg.Points(2)
		a.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = font.From(sansFont, tickSize+vg.Points(1))
	p.Legend.Top = true
	return p
}

// categorical holds the ten colours of matplotlib's "tab10" cycle: distinct,
// colour-blind-friendlier than pure hues, and familiar from PyTorch tutorials.
var categorical = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, // blue
	{0xff, 0x7f, 0x0e, 0xff}, // orange
	{0x2c, 0xa0, 0x2c, 0xff}, // green
	{0xd6, 0x27, 0x28, 0xff}, // red
	{0x94, 0x67, 0xbd, 0xff}, // purple
	{0x8c, 0x56, 0x4b, 0xff}, // brown
	{0xe3, 0x77, 0xc2, 0xff}, // pink
	{0x7f, 0x7f, 0x7f, 0xff}, // grey
	{0xbc, 0xbd, 0x22, 0xff}, // olive
	{0x17, 0xbe, 0xcf, 0xff}, // cyan
}

// SeriesColor returns the colour of the i-th series (or class, or bar group)
// of a figure: the tab10 cycle, repeating after ten.
func SeriesColor(i int) color.RGBA {
	if i < 0 {
		i = -i
	}
	return categorical[i%len(categorical)]
}

// faded returns c at the given opacity (premultiplied, as image/color expects).
func faded(c color.RGBA, alpha float64) color.RGBA {
	a := func(v uint8) uint8 { return uint8(float64(v)*alpha + 0.5) }
	return color.RGBA{a(c.R), a(c.G), a(c.B), a(c.A)}
}

// gridStyle is the light background grid drawn under line, scatter and bar plots.
func gridStyle() draw.LineStyle {
	return draw.LineStyle{Color: color.Gray{Y: 225}, Width: vg.Points(0.5)}
}

// lightGrid returns the background grid plotter in the house style.
func lightGrid() *plotter.Grid {
	return &plotter.Grid{Vertical: gridStyle(), Horizontal: gridStyle()}
}

// placeLegend puts p's legend in the corner of the data area that hides the
// least of the data, preferring the top right. lines are polylines (each drawn
// point to point) and dots single points, in data coordinates. When every
// corner would hide some, the legend goes top right and the y range is raised
// so that it sits above the data. Call it after adding every plotter and
// legend entry, with the canvas the plot will be drawn on.
func placeLegend(p *plot.Plot, c draw.Canvas, lines []plotter.XYs, dots plotter.XYs) {
	size := p.Legend.Rectangle(c).Size()
	if size.X <= 0 || size.Y <= 0 {
		return
	}
	// The data area is the canvas less the axes and the title; an estimate is
	// enough here, and asking gonum (DataCanvas) would measure every point's
	// glyph box a second time.
	dataW := c.Max.X - c.Min.X - vg.Points(55)
	dataH := c.Max.Y - c.Min.Y - vg.Points(60)
	if dataW <= 0 || dataH <= 0 {
		return
	}
	margin := vg.Points(6)
	bw := float64((size.X + margin) / dataW)
	bh := float64((size.Y + margin) / dataH)

	// Count, per corner, the normalised sample points under the legend box.
	var hidden [4]int // top right, top left, bottom right, bottom left
	count := func(x, y float64) {
		right, left := x > 1-bw, x < bw
		top, bottom := y > 1-bh, y < bh
		if top && right {
			hidden[0]++
		}
		if top && left {
			hidden[1]++
		}
		if bottom && right {
			hidden[2]++
		}
		if bottom && left {
			hidden[3]++
		}
	}
	for _, d := range dots {
		count(p.X.Norm(d.X), p.Y.Norm(d.Y))
	}
	// Along each segment, a sample every ~1% of the axes, so that a legend over
	// a long straight stretch counts as covering it.
	for _, line := range lines {
		var px, py float64
		for i, pt := range line {
			x, y := p.X.Norm(pt.X), p.Y.Norm(pt.Y)
			if i > 0 {
				n := int(math.Min(50, math.Hypot(x-px, y-py)/0.01))
				for k := 1; k <= n; k++ {
					t := float64(k) / float64(n+1)
					count(px+t*(x-px), py+t*(y-py))
				}
			}
			count(x, y)
			px, py = x, y
		}
	}
	best := 0
	for i := range hidden {
		if hidden[i] < hidden[best] {
			best = i
		}
	}
	p.Legend.Top, p.Legend.Left = best < 2, best%2 == 1
	if hidden[best] > 0 && bh < 0.5 {
		p.Legend.Top, p.Legend.Left = true, false
		raiseTop(p, bh)
	}
}

// raiseTop extends p's y range upwards so that the data keeps to the lower
// 1-frac of the axis, on a linear or a log axis.
func raiseTop(p *plot.Plot, frac float64) {
	lo, hi := p.Y.Min, p.Y.Max
	if !(hi > lo) {
		return
	}
	if _, isLog := p.Y.Scale.(plot.LogScale); isLog && lo > 0 {
		p.Y.Max = lo * math.Pow(hi/lo, 1/(1-frac))
		return
	}
	p.Y.Max = lo + (hi-lo)/(1-frac)
}
