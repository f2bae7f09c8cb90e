package plots

import (
	"image/color"

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

// legendRoom raises the top of p's y range so that a legend of n entries in the
// top corner sits above the data instead of over it.
func legendRoom(p *plot.Plot, n int) {
	if n == 0 || p.Y.Max <= p.Y.Min {
		return
	}
	p.Y.Max += (p.Y.Max - p.Y.Min) * 0.075 * float64(n)
}
