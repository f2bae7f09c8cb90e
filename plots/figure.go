package plots

import (
	"github.com/turinglab/turinglab/display"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is what every figure type in this package is: something that draws
// itself onto a gonum canvas (which is how a Grid lays several of them out),
// encodes itself as PNG or SVG, saves itself to a file, and shows itself inline
// in a notebook (display.Renderer).
type Figure interface {
	display.Renderer
	// Draw draws the figure into the canvas rectangle c.
	Draw(c draw.Canvas)
	// PNG renders the figure at its size and the package DPI.
	PNG() ([]byte, error)
	// SVG renders the figure as scalable vector graphics.
	SVG() ([]byte, error)
	// Save writes the figure to path; the extension (.png, .svg, .pdf) picks the format.
	Save(path string) error
}

// Compile-time checks that every figure type is a Figure.
var (
	_ Figure = (*Line)(nil)
	_ Figure = (*Scatter)(nil)
	_ Figure = (*Bar)(nil)
	_ Figure = (*Histogram)(nil)
	_ Figure = (*HeatMap)(nil)
	_ Figure = (*Grid)(nil)
)
