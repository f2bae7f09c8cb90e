package plots

import (
	"fmt"
	"image/color"

	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Grid lays several figures out in rows and columns under one shared title:
// the attention of every head of every layer of a small BERT in one picture,
// or the loss, accuracy and learning rate of a run side by side. Figures fill
// the grid row by row.
type Grid struct {
	// Title is drawn once above all the figures.
	Title string
	// Cols is the number of columns; rows follow from the number of figures.
	Cols int
	// Width and Height are the figure size in inches; zero means tiles of
	// 3.2 × 2.8 inches (narrower, same shape, when the grid would be wider than
	// 9.6 inches), plus room for the title and any shared colour bar.
	Width, Height float64

	figs []Figure
	bar  *colorMap // a colour bar shared by every tile (HeatMapGrid), or nil
}

// NewGrid returns a grid with cols columns holding figs (more can be added
// with Add). It panics if cols < 1.
func NewGrid(title string, cols int, figs ...Figure) *Grid {
	if cols < 1 {
		panic(fmt.Sprintf("plots.NewGrid: cols must be at least 1, got %d", cols))
	}
	g := &Grid{Title: title, Cols: cols}
	return g.Add(figs...)
}

// HeatMapGrid returns a grid of heat maps, one per leading index of a 3-D
// tensor [n, rows, cols] (titled "0", "1", ...) or per pair of leading indices
// of a 4-D tensor [a, b, rows, cols] (one grid row per a, titled "a.b", e.g.
// layer.head for attention probabilities [layers, heads, seq, seq]). Row and
// column labels apply to every map (nil numbers them); all maps share one
// colour range so they compare, shown by one colour bar at the right.
func HeatMapGrid(title string, t Tensor, rowLabels, colLabels []string) *Grid {
	vs := tensorValues("HeatMapGrid", t)
	shape := t.Shape()
	var a, b int
	switch len(shape) {
	case 3:
		a, b = 1, shape[0]
	case 4:
		a, b = shape[0], shape[1]
	default:
		panic(fmt.Sprintf("plots.HeatMapGrid: want a 3-D [n, rows, cols] or 4-D [a, b, rows, cols] tensor, got shape %v", shape))
	}
	rows, cols := shape[len(shape)-2], shape[len(shape)-1]
	if a*b == 0 || rows == 0 || cols == 0 {
		panic(fmt.Sprintf("plots.HeatMapGrid: tensor of shape %v is empty", shape))
	}
	lo, hi := 0.0, maxOf(vs)
	for _, v := range vs {
		if finite(v) && v < lo {
			lo = v
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	g := NewGrid(title, b)
	g.bar = &colorMap{pal: Sequential, min: lo, max: hi}
	for i := 0; i < a; i++ {
		for j := 0; j < b; j++ {
			k := (i*b + j) * rows * cols
			name := fmt.Sprint(j)
			if len(shape) == 4 {
				name = fmt.Sprintf("%d.%d", i, j)
			}
			h := &HeatMap{Title: name, rows: rows, cols: cols, values: vs[k : k+rows*cols], Min: lo, Max: hi}
			h.Labels(rowLabels, colLabels)
			g.Add(h)
		}
	}
	return g
}

// Add appends figures to the grid, row by row, and returns the grid.
func (g *Grid) Add(figs ...Figure) *Grid {
	for i, f := range figs {
		if f == nil {
			panic(fmt.Sprintf("plots.Grid.Add: figure %d is nil", len(g.figs)+i))
		}
	}
	g.figs = append(g.figs, figs...)
	return g
}

// Len returns the number of figures in the grid.
func (g *Grid) Len() int { return len(g.figs) }

// Rows returns the number of rows the figures fill.
func (g *Grid) Rows() int {
	cols := max(g.Cols, 1)
	return max(1, (len(g.figs)+cols-1)/cols)
}

// String is the text/plain form: "<Grid figure: title (rows×cols, n figures)>".
func (g *Grid) String() string {
	return fmt.Sprintf("<Grid figure: %s (%d×%d, %d figures)>", g.Title, g.Rows(), max(g.Cols, 1), len(g.figs))
}

// maxGridWidth is the widest a grid gets by default, in inches: wider than a
// notebook column already, so wide grids get smaller tiles instead.
const maxGridWidth = 9.6

// gridTitle is the room above the tiles for the shared title.
const gridTitle = vg.Length(0.45 * vg.Inch)

// size returns the figure size, the defaults filled in.
func (g *Grid) size() (vg.Length, vg.Length) {
	cols := float64(max(g.Cols, 1))
	room, bar := maxGridWidth, 0.0
	if g.bar != nil {
		bar = float64(colorBarWidth / vg.Inch)
		room -= bar
	}
	tileW := min(3.2, room/cols)
	dw, dh := tileW*cols+bar, tileW*0.875*float64(g.Rows())
	if g.Title != "" {
		dh += float64(gridTitle / vg.Inch)
	}
	return sizeOr(g.Width, g.Height, dw, dh)
}

// PNG renders the grid as a PNG image.
func (g *Grid) PNG() ([]byte, error) { w, h := g.size(); return render(g, w, h, "png") }

// SVG renders the grid as an SVG document.
func (g *Grid) SVG() ([]byte, error) { w, h := g.size(); return render(g, w, h, "svg") }

// Save writes the grid to path as .png, .svg or .pdf, atomically.
func (g *Grid) Save(path string) error { w, h := g.size(); return save(g, w, h, path) }

// MIMEBundle shows the grid inline as a PNG.
func (g *Grid) MIMEBundle() display.Bundle {
	w, h := g.size()
	return bundle(g, w, h, g.String())
}

// Draw draws the shared title and every figure in its tile.
func (g *Grid) Draw(c draw.Canvas) {
	if g.Cols < 1 {
		panic(fmt.Sprintf("plots.Grid %q: Cols must be at least 1, got %d", g.Title, g.Cols))
	}
	// Clear the background: tiles draw only their own plots.
	c.FillPolygon(color.White, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
	tiles := draw.Tiles{Rows: g.Rows(), Cols: g.Cols, PadX: vg.Points(6), PadY: vg.Points(6),
		PadLeft: vg.Points(4), PadRight: vg.Points(4), PadBottom: vg.Points(4), PadTop: vg.Points(4)}
	if g.Title != "" {
		sty := textStyle(vg.Points(15), color.Black, draw.XCenter, draw.YTop)
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(8)}, g.Title)
		tiles.PadTop = gridTitle
	}
	if g.bar != nil {
		tiles.PadRight = colorBarWidth
	}
	for i, f := range g.figs {
		f.Draw(tiles.At(c, i%g.Cols, i/g.Cols))
	}
	if g.bar != nil {
		// The shared scale, beside the tiles, a little shorter than them.
		bar := c
		bar.Min.X = c.Max.X - colorBarWidth + vg.Points(10)
		bar.Max.X = bar.Min.X + vg.Points(14)
		bar.Max.Y = c.Max.Y - tiles.PadTop - vg.Points(30)
		bar.Min.Y = c.Min.Y + tiles.PadBottom + vg.Points(40)
		if bar.Max.Y > bar.Min.Y {
			drawColorBar(bar, g.bar)
		}
	}
}
