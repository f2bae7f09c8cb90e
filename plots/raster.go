package plots

import (
	"image"
	imgdraw "image/draw"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// rasterCanvas is the canvas PNGs are drawn on: gonum's raster canvas, plus a
// record of whether a transform (translate, rotate, scale) is in effect. With
// none, a heat map can copy its cells into the image pixel for pixel, which is
// sharper and several times faster than vgimg's resampling DrawImage.
type rasterCanvas struct {
	*vgimg.Canvas
	moved bool   // a transform is in effect
	saved []bool // moved at each Push
}

// newRasterCanvas returns a white w×h canvas at the package DPI.
func newRasterCanvas(w, h vg.Length) *rasterCanvas {
	return &rasterCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
}

// Push saves the drawing state, including whether a transform is in effect.
func (c *rasterCanvas) Push() {
	c.Canvas.Push()
	c.saved = append(c.saved, c.moved)
}

// Pop restores the state saved by the matching Push.
func (c *rasterCanvas) Pop() {
	c.Canvas.Pop()
	if n := len(c.saved); n > 0 {
		c.moved, c.saved = c.saved[n-1], c.saved[:n-1]
	}
}

// Translate moves the origin.
func (c *rasterCanvas) Translate(p vg.Point) {
	c.Canvas.Translate(p)
	c.moved = true
}

// Rotate turns the coordinate system by t radians.
func (c *rasterCanvas) Rotate(t float64) {
	c.Canvas.Rotate(t)
	c.moved = true
}

// Scale stretches the coordinate system.
func (c *rasterCanvas) Scale(x, y float64) {
	c.Canvas.Scale(x, y)
	c.moved = true
}

// pixelRect returns the image pixels covered by r (in points, origin at the
// bottom left), or false if a transform makes the mapping unknown.
func (c *rasterCanvas) pixelRect(r vg.Rectangle) (image.Rectangle, bool) {
	if c.moved {
		return image.Rectangle{}, false
	}
	dpi := c.DPI()
	height := c.Image().Bounds().Dy()
	px := func(l vg.Length) int { return int(math.Round(l.Dots(dpi))) }
	return image.Rect(px(r.Min.X), height-px(r.Max.Y), px(r.Max.X), height-px(r.Min.Y)), true
}

// drawPixels fills the rectangle r of c with an image that paint makes at a
// requested size: on a PNG canvas at exactly the device pixels r covers,
// copied in; elsewhere at w×h pixels, scaled by the canvas.
func drawPixels(c draw.Canvas, r vg.Rectangle, w, h int, paint func(w, h int) *image.RGBA) {
	if rc := rasterOf(c.Canvas); rc != nil {
		if px, ok := rc.pixelRect(r); ok && !px.Empty() {
			imgdraw.Draw(rc.Image(), px, paint(px.Dx(), px.Dy()), image.Point{}, imgdraw.Src)
			return
		}
	}
	c.DrawImage(r, paint(w, h))
}

// rasterOf finds the rasterCanvas under a canvas, or nil if it is drawn on
// something else. gonum nests canvases: a tile or a cropped area is a
// draw.Canvas whose vg.Canvas is the enclosing draw.Canvas.
func rasterOf(c vg.Canvas) *rasterCanvas {
	for {
		switch v := c.(type) {
		case *rasterCanvas:
			return v
		case fastPNG:
			return v.rasterCanvas
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return nil
		}
	}
}
