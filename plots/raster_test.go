package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

func TestRasterOfSeesThroughNestedCanvases(t *testing.T) {
	rc := newRasterCanvas(2*vg.Inch, 2*vg.Inch)
	top := draw.New(fastPNG{rc})
	tile := draw.Tiles{Rows: 2, Cols: 2}.At(top, 1, 1) // a draw.Canvas inside a draw.Canvas
	cropped := draw.Crop(tile, 1, 1, 1, 1)
	for name, c := range map[string]draw.Canvas{"top": top, "tile": tile, "cropped": cropped} {
		if rasterOf(c.Canvas) != rc {
			t.Errorf("%s: rasterOf did not find the PNG canvas", name)
		}
	}
	if rasterOf(draw.New(vgsvg.New(vg.Inch, vg.Inch)).Canvas) != nil {
		t.Error("an SVG canvas is not a raster canvas")
	}
	// Under a transform the pixel mapping is unknown.
	r := vg.Rectangle{Max: vg.Point{X: 72, Y: 72}}
	if px, ok := rc.pixelRect(r); !ok || px.Dx() != DPI || px.Dy() != DPI || px.Min.Y != DPI {
		t.Fatalf("pixelRect of the lower-left inch: %v, %v", px, ok)
	}
	rc.Push()
	rc.Rotate(0.1)
	if _, ok := rc.pixelRect(r); ok {
		t.Error("pixelRect under a rotation should refuse")
	}
	rc.Pop()
	if _, ok := rc.pixelRect(r); !ok {
		t.Error("pixelRect after Pop should work again")
	}
}
