package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatMap shows a matrix as coloured cells, row 0 at the top as it is printed:
// attention maps (queries down, keys across, labelled with tokens), confusion
// matrices (true class down, predicted across, annotated with counts), weight
// matrices and attribution tables. A colour bar on the right gives the scale.
type HeatMap struct {
	// Title is drawn above the matrix; XLabel and YLabel name the axes.
	Title, XLabel, YLabel string
	// RowLabels and ColLabels label the rows (left) and columns (below); nil
	// labels them by index. Long labels are truncated with an ellipsis and, on a
	// dense axis, only every k-th is written so that they stay legible.
	RowLabels, ColLabels []string
	// Annotate writes each cell's value inside it, formatted with Format.
	Annotate bool
	// Format is the fmt verb for the annotations; "" means "%.2f".
	Format string
	// Palette picks the colours: Sequential (the default) for values with a
	// natural low end, Diverging for signed values, centred on zero.
	Palette Palette
	// Min and Max fix the colour range; when they are equal the range comes from
	// the data (its min and max for Sequential, ±max|v| for Diverging).
	// Values outside a fixed range get the end colours.
	Min, Max float64
	// ColorBar draws the colour scale to the right of the matrix.
	ColorBar bool
	// Width and Height are the figure size in inches; zero means 6.4 × 5.4.
	Width, Height float64

	rows, cols int
	values     []float64 // row-major
}

// Default size of a heat map, in inches: nearly square cells with room for a
// colour bar and rotated column labels.
const (
	heatMapWidth  = 6.4
	heatMapHeight = 5.4
)

// NewHeatMap returns a heat map of the matrix m (rows of equal length) with the
// sequential palette and a colour bar. It panics on an empty or ragged matrix.
func NewHeatMap(title string, m [][]float64) *HeatMap {
	rows, cols, values := flatten("NewHeatMap", m)
	return &HeatMap{Title: title, ColorBar: true, rows: rows, cols: cols, values: values}
}

// HeatMapOf returns a heat map of a 2-D tensor (e.g. one head's attention
// probabilities, or a weight matrix). It panics unless the tensor is 2-D.
func HeatMapOf(title string, t Tensor) *HeatMap {
	rows, cols, values := tensorMatrix("HeatMapOf", t)
	if rows == 0 || cols == 0 {
		panic(fmt.Sprintf("plots.HeatMapOf: tensor of shape %v is empty", t.Shape()))
	}
	return &HeatMap{Title: title, ColorBar: true, rows: rows, cols: cols, values: values}
}

// Attention returns the heat map of one attention pattern: a [queries, keys]
// tensor of probabilities, queries labelled down the side and keys across, both
// with tokens (nil tokens label by position). The colour range runs from 0 to
// the largest weight.
func Attention(title string, t Tensor, tokens []string) *HeatMap {
	h := HeatMapOf(title, t)
	h.XLabel, h.YLabel = "key", "query"
	if tokens != nil {
		h.Labels(tokens, tokens)
	}
	h.Min, h.Max = 0, maxOf(h.values)
	if h.Max <= 0 {
		h.Max = 1
	}
	return h
}

// Labels sets the row and column labels (nil leaves that axis numbered) and
// returns the heat map, for one-line use. It panics if a count does not match.
func (h *HeatMap) Labels(rows, cols []string) *HeatMap {
	if rows != nil && len(rows) != h.rows {
		panic(fmt.Sprintf("plots.HeatMap.Labels: %d row labels for %d rows", len(rows), h.rows))
	}
	if cols != nil && len(cols) != h.cols {
		panic(fmt.Sprintf("plots.HeatMap.Labels: %d column labels for %d columns", len(cols), h.cols))
	}
	h.RowLabels, h.ColLabels = rows, cols
	return h
}

// Dims returns the number of rows and columns of the matrix.
func (h *HeatMap) Dims() (rows, cols int) { return h.rows, h.cols }

// At returns the value in row r, column c.
func (h *HeatMap) At(r, c int) float64 {
	if r < 0 || r >= h.rows || c < 0 || c >= h.cols {
		panic(fmt.Sprintf("plots.HeatMap.At(%d, %d): outside the %d×%d matrix", r, c, h.rows, h.cols))
	}
	return h.values[r*h.cols+c]
}

// ColorRange returns the values that map to the bottom and the top of the
// palette: Min and Max if set, otherwise derived from the data.
func (h *HeatMap) ColorRange() (lo, hi float64) {
	if h.Min != h.Max {
		return min(h.Min, h.Max), max(h.Min, h.Max)
	}
	if h.Palette == Diverging {
		m := 0.0
		for _, v := range h.values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				m = math.Max(m, math.Abs(v))
			}
		}
		if m == 0 {
			m = 1
		}
		return -m, m
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range h.values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi { // no finite value at all
		return 0, 1
	}
	if lo == hi {
		return lo - 0.5, hi + 0.5
	}
	return lo, hi
}

// CellColor returns the colour the cell in row r, column c is painted with.
func (h *HeatMap) CellColor(r, c int) color.RGBA {
	lo, hi := h.ColorRange()
	cm := colorMap{pal: h.Palette, min: lo, max: hi}
	return cm.pal.At(cm.norm(h.At(r, c)))
}

// String is the text/plain form: "<HeatMap figure: title (rows×cols)>".
func (h *HeatMap) String() string {
	return fmt.Sprintf("<HeatMap figure: %s (%d×%d)>", h.Title, h.rows, h.cols)
}

// size returns the figure size, the defaults filled in.
func (h *HeatMap) size() (vg.Length, vg.Length) {
	return sizeOr(h.Width, h.Height, heatMapWidth, heatMapHeight)
}

// PNG renders the heat map as a PNG image.
func (h *HeatMap) PNG() ([]byte, error) { w, ht := h.size(); return render(h, w, ht, "png") }

// SVG renders the heat map as an SVG document.
func (h *HeatMap) SVG() ([]byte, error) { w, ht := h.size(); return render(h, w, ht, "svg") }

// Save writes the heat map to path as .png, .svg or .pdf, atomically.
func (h *HeatMap) Save(path string) error { w, ht := h.size(); return save(h, w, ht, path) }

// MIMEBundle shows the heat map inline as a PNG.
func (h *HeatMap) MIMEBundle() display.Bundle {
	w, ht := h.size()
	return bundle(h, w, ht, h.String())
}

// colorBarWidth is the strip on the right that holds the colour bar and its labels.
const colorBarWidth = vg.Length(0.95 * vg.Inch)

// Draw draws the heat map, and its colour bar if enabled, into c.
func (h *HeatMap) Draw(c draw.Canvas) {
	if h.rows == 0 || h.cols == 0 {
		panic("plots.HeatMap: no data (use NewHeatMap, HeatMapOf, Attention or ConfusionMatrix)")
	}
	lo, hi := h.ColorRange()
	cm := &colorMap{pal: h.Palette, min: lo, max: hi}

	main := c
	if h.ColorBar {
		main.Max.X -= colorBarWidth
	}
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	p.X.Min, p.X.Max = -0.5, float64(h.cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(h.rows)-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Length, p.Y.Tick.Length = vg.Points(3), vg.Points(3)
	h.setTicks(p, main)
	p.Add(&heatCells{h: h, cm: cm})
	if h.Annotate {
		p.Add(&heatAnnotations{h: h, cm: cm})
	}
	p.Draw(main)
	if h.ColorBar {
		area := p.DataCanvas(main)
		bar := c
		bar.Min.X = main.Max.X + vg.Points(10)
		bar.Max.X = bar.Min.X + vg.Points(14)
		bar.Min.Y, bar.Max.Y = area.Min.Y, area.Max.Y
		drawColorBar(bar, cm)
	}
}

// setTicks labels every row and column, or every k-th on a dense axis, with
// column labels rotated a quarter turn when they are longer than a few letters.
func (h *HeatMap) setTicks(p *plot.Plot, c draw.Canvas) {
	// Estimate the data area from the canvas, leaving room for labels.
	approxW := (c.Max.X - c.Min.X) - vg.Inch
	approxH := (c.Max.Y - c.Min.Y) - 1.3*vg.Inch

	xsize := tickFontSize(h.cols, approxW)
	ysize := tickFontSize(h.rows, approxH)
	rotate := longest(h.ColLabels) > 3 || (h.ColLabels == nil && h.cols > 12)
	xextent := xsize // rotated labels stack by their height
	if !rotate {
		// Horizontal labels stack by their width.
		xextent = vg.Length(max(longest(h.ColLabels), len(fmt.Sprint(h.cols)))+1) * xsize * 0.6
	}
	xstride := labelStride(h.cols, approxW, xextent)
	ystride := labelStride(h.rows, approxH, ysize)
	xticks := indexTicks(h.cols, h.ColLabels, xstride, func(i int) float64 { return float64(i) })
	p.Y.Tick.Marker = indexTicks(h.rows, h.RowLabels, ystride, func(i int) float64 { return float64(h.rows - 1 - i) })
	p.X.Tick.Label.Font.Size = xsize
	p.Y.Tick.Label.Font.Size = ysize
	p.X.Tick.Marker = xticks
	if rotate {
		// A rotated label ends at its tick; a trailing space keeps the last
		// letter clear of the tick mark.
		for i := range xticks {
			if xticks[i].Label != "" {
				xticks[i].Label += " "
			}
		}
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
}

// heatCells is the gonum plotter that paints the cells. On a PNG canvas they
// are painted pixel for pixel (sharp edges, exact palette colours). In SVG and
// PDF, small matrices are vector rectangles (crisp at any zoom) and large ones
// one embedded image (a 128×128 map as 16,384 rectangles would bloat the file).
type heatCells struct {
	h  *HeatMap
	cm *colorMap
}

// vectorCells is the largest cell count drawn as rectangles in SVG and PDF.
const vectorCells = 64 * 64

// Plot paints the cells into the data area.
func (hc *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	h := hc.h
	trX, trY := p.Transforms(&c)
	if rasterOf(c.Canvas) == nil && h.rows*h.cols <= vectorCells {
		// A hair of overlap hides the anti-aliasing seams between neighbours.
		const seam = vg.Length(0.3)
		for r := 0; r < h.rows; r++ {
			y := float64(h.rows - 1 - r)
			y0, y1 := trY(y-0.5)-seam, trY(y+0.5)
			for col := 0; col < h.cols; col++ {
				x0, x1 := trX(float64(col)-0.5), trX(float64(col)+0.5)+seam
				var path vg.Path
				path.Move(vg.Point{X: x0, Y: y0})
				path.Line(vg.Point{X: x1, Y: y0})
				path.Line(vg.Point{X: x1, Y: y1})
				path.Line(vg.Point{X: x0, Y: y1})
				path.Close()
				c.SetColor(hc.cm.pal.At(hc.cm.norm(h.values[r*h.cols+col])))
				c.Fill(path)
			}
		}
		return
	}
	rect := vg.Rectangle{
		Min: vg.Point{X: trX(-0.5), Y: trY(-0.5)},
		Max: vg.Point{X: trX(float64(h.cols) - 0.5), Y: trY(float64(h.rows) - 0.5)},
	}
	// Colour each cell once.
	colors := make([]color.RGBA, len(h.values))
	for i, v := range h.values {
		colors[i] = hc.cm.pal.At(hc.cm.norm(v))
	}
	// On a PNG canvas the cells are copied straight into the image's pixels;
	// elsewhere the image has enough pixels per cell that a viewer's smoothing
	// does not blur the cells together.
	drawPixels(c, rect, h.cols*4, h.rows*4, func(w, ht int) *image.RGBA { return hc.pixels(colors, w, ht) })
}

// pixels returns a w×ht image of the cells (colours in row-major order),
// each pixel taking the colour of the cell it falls in.
func (hc *heatCells) pixels(colors []color.RGBA, w, ht int) *image.RGBA {
	h := hc.h
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	for py := 0; py < ht; py++ {
		r := py * h.rows / ht
		row := img.Pix[py*img.Stride : py*img.Stride+4*w]
		for px := 0; px < w; px++ {
			col := colors[r*h.cols+px*h.cols/w]
			row[4*px], row[4*px+1], row[4*px+2], row[4*px+3] = col.R, col.G, col.B, col.A
		}
	}
	return img
}

// DataRange is the matrix's extent in data coordinates: cell centres at integers.
func (hc *heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(hc.h.cols) - 0.5, -0.5, float64(hc.h.rows) - 0.5
}

// heatAnnotations is the gonum plotter that writes each cell's value in it, in
// black on light cells and white on dark ones.
type heatAnnotations struct {
	h  *HeatMap
	cm *colorMap
}

// Plot writes the annotations, in a font sized to the cells.
func (ha *heatAnnotations) Plot(c draw.Canvas, p *plot.Plot) {
	h := ha.h
	trX, trY := p.Transforms(&c)
	cellW := (c.Max.X - c.Min.X) / vg.Length(h.cols)
	cellH := (c.Max.Y - c.Min.Y) / vg.Length(h.rows)
	format := h.Format
	if format == "" {
		format = "%.2f"
	}
	widest := 1
	for _, v := range h.values {
		widest = max(widest, len(fmt.Sprintf(format, v)))
	}
	size := min(vg.Points(11), cellH*0.45, cellW/vg.Length(widest)/0.6)
	size = max(size, vg.Points(4))
	for r := 0; r < h.rows; r++ {
		for col := 0; col < h.cols; col++ {
			v := h.values[r*h.cols+col]
			ink := color.Color(color.Black)
			if luminance(ha.cm.pal.At(ha.cm.norm(v))) < 0.5 {
				ink = color.White
			}
			sty := textStyle(size, ink, draw.XCenter, draw.YCenter)
			pt := vg.Point{X: trX(float64(col)), Y: trY(float64(h.rows - 1 - r))}
			c.FillText(sty, pt, fmt.Sprintf(format, v))
		}
	}
}

// luminance is the relative brightness of c in [0, 1] (Rec. 709 weights on
// sRGB), used to pick readable annotation ink.
func luminance(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// maxOf returns the largest finite value (0 if there is none).
func maxOf(vs []float64) float64 {
	m, any := math.Inf(-1), false
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			m, any = math.Max(m, v), true
		}
	}
	if !any {
		return 0
	}
	return m
}
