package plots

import (
	"image"
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// drawColorBar paints the palette over [cm.min, cm.max] bottom to top in the
// rectangle c, frames it, and labels it with round values on its right.
func drawColorBar(c draw.Canvas, cm *colorMap) {
	height := c.Max.Y - c.Min.Y
	// The palette as a w×h image, its top colour in the top row.
	strip := func(w, h int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			col := cm.pal.At(1 - float64(y)/float64(max(h-1, 1)))
			for x := 0; x < w; x++ {
				img.SetRGBA(x, y, col)
			}
		}
		return img
	}
	drawPixels(c, c.Rectangle, 1, 256, strip)
	frame := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	c.StrokeLines(frame, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y},
		{X: c.Min.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Min.Y},
	})
	sty := textStyle(tickSize, color.Black, draw.XLeft, draw.YCenter)
	for _, t := range (niceTicks{}).Ticks(cm.min, cm.max) {
		if t.IsMinor() || t.Value < cm.min || t.Value > cm.max {
			continue
		}
		y := c.Min.Y + height*vg.Length(cm.norm(t.Value))
		c.StrokeLine2(frame, c.Max.X, y, c.Max.X+vg.Points(3), y)
		c.FillText(sty, vg.Point{X: c.Max.X + vg.Points(5), Y: y}, t.Label)
	}
}
