package plots

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
)

// box is the bounding box of the pixels of one colour, and how many there are.
type box struct {
	minX, minY, maxX, maxY, n int
}

func (b box) cx() float64 { return float64(b.minX+b.maxX) / 2 }
func (b box) cy() float64 { return float64(b.minY+b.maxY) / 2 }
func (b box) w() int      { return b.maxX - b.minX + 1 }
func (b box) h() int      { return b.maxY - b.minY + 1 }

// colourBox finds the pixels of exactly colour c left of x = xmax.
func colourBox(img image.Image, c color.RGBA, xmax int) box {
	b := box{minX: math.MaxInt, minY: math.MaxInt, maxX: -1, maxY: -1}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < xmax; x++ {
			if rgba(img, x, y) == c {
				b.n++
				b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
				b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
			}
		}
	}
	return b
}

// colourBarPixels is the width of the colour-bar strip at the right of a heat map.
var colourBarPixels = int(math.Round(float64(colorBarWidth) / 72 * DPI))

func TestHeatMapHottestCellIsPaletteTop(t *testing.T) {
	m := [][]float64{
		{0.2, 0.3, 0.9}, // hottest: top right
		{0.4, 0.5, 0.6},
		{0.1, 0.7, 0.8}, // coldest: bottom left
	}
	h := NewHeatMap("attention", m)
	b, err := h.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 540)
	xmax := 640 - colourBarPixels
	hot := colourBox(img, Sequential.Top(), xmax)
	cold := colourBox(img, Sequential.Bottom(), xmax)
	if hot.n == 0 || cold.n == 0 {
		t.Fatalf("palette ends not found: hottest %d pixels, coldest %d", hot.n, cold.n)
	}
	// Each is one solid cell, of the same size.
	for name, bx := range map[string]box{"hottest": hot, "coldest": cold} {
		if bx.n < bx.w()*bx.h()*95/100 {
			t.Errorf("%s cell is not a solid rectangle: %d pixels in a %d×%d box", name, bx.n, bx.w(), bx.h())
		}
		if bx.w() < 100 || bx.h() < 100 {
			t.Errorf("%s cell is only %d×%d pixels", name, bx.w(), bx.h())
		}
	}
	// Top right and bottom left, two cells apart on both axes.
	dx, dy := hot.cx()-cold.cx(), cold.cy()-hot.cy()
	if math.Abs(dx-2*float64(hot.w())) > 4 || math.Abs(dy-2*float64(hot.h())) > 4 {
		t.Fatalf("hottest cell at (%.0f, %.0f), coldest at (%.0f, %.0f): want hottest two cells right of and above coldest (cells %d×%d px)",
			hot.cx(), hot.cy(), cold.cx(), cold.cy(), hot.w(), hot.h())
	}
	// The centre cell (0.5, half-way up the range 0.1..0.9) has the palette's middle colour.
	mid := rgba(img, int((hot.cx()+cold.cx())/2), int((hot.cy()+cold.cy())/2))
	if want := Sequential.At(0.5); mid != want || h.CellColor(1, 1) != want {
		t.Fatalf("centre cell colour %v (CellColor %v), want %v", mid, h.CellColor(1, 1), want)
	}
	// The colour bar's top is the palette's top colour too.
	if nearColourRight(img, Sequential.Top(), 4, xmax) < 20 {
		t.Fatal("colour bar does not show the palette's top colour")
	}
}

func TestHeatMapLargeRasterKeepsCells(t *testing.T) {
	const n = 100
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = 0.5
		}
	}
	m[10][90] = 1 // hottest, upper right
	m[90][10] = 0 // coldest, lower left
	h := NewHeatMap("", m)
	h.ColorBar = false
	b, err := h.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 540)
	hot := colourBox(img, Sequential.Top(), 640)
	cold := colourBox(img, Sequential.Bottom(), 640)
	if hot.n == 0 || cold.n == 0 {
		t.Fatalf("hottest cell %d pixels, coldest %d", hot.n, cold.n)
	}
	// One cell each (a few pixels across), upper right and lower left, painted
	// pixel for pixel: solid, not blended into its neighbours by resampling.
	for name, bx := range map[string]box{"hottest": hot, "coldest": cold} {
		if bx.n != bx.w()*bx.h() || bx.w() < 3 || bx.h() < 3 {
			t.Errorf("%s cell: %d pixels of its colour in a %d×%d box; want a solid cell", name, bx.n, bx.w(), bx.h())
		}
	}
	if hot.w() > 8 || hot.h() > 8 || cold.w() > 8 || cold.h() > 8 {
		t.Fatalf("extreme colours spread over %d×%d and %d×%d pixels: more than one cell", hot.w(), hot.h(), cold.w(), cold.h())
	}
	if !(hot.cx() > cold.cx()+300 && hot.cy() < cold.cy()-250) {
		t.Fatalf("hottest at (%.0f,%.0f), coldest at (%.0f,%.0f)", hot.cx(), hot.cy(), cold.cx(), cold.cy())
	}
}

func TestHeatMapDivergingCentredOnZero(t *testing.T) {
	h := NewHeatMap("attribution", [][]float64{{-2, 0}, {1, 2}})
	h.Palette = Diverging
	if lo, hi := h.ColorRange(); lo != -2 || hi != 2 {
		t.Fatalf("diverging range %v..%v, want -2..2", lo, hi)
	}
	b, err := h.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 540)
	xmax := 640 - colourBarPixels
	neg := colourBox(img, Diverging.Bottom(), xmax)
	pos := colourBox(img, Diverging.Top(), xmax)
	if neg.n < 10000 || pos.n < 10000 {
		t.Fatalf("end cells not found: -2 has %d px, 2 has %d px", neg.n, pos.n)
	}
	// -2 top left and 2 bottom right; so 0 is top right and 1 bottom left.
	if !(pos.cx() > neg.cx()+100 && pos.cy() > neg.cy()+100) {
		t.Fatalf("-2 at (%.0f,%.0f), 2 at (%.0f,%.0f)", neg.cx(), neg.cy(), pos.cx(), pos.cy())
	}
	white := Diverging.At(0.5)
	if white.R < 240 || white.G < 240 || white.B < 240 {
		t.Fatalf("diverging middle colour %v is not near white", white)
	}
	if got := rgba(img, int(pos.cx()), int(neg.cy())); got != white {
		t.Errorf("cell 0 is %v, want the palette middle %v", got, white)
	}
	if got, want := rgba(img, int(neg.cx()), int(pos.cy())), Diverging.At(0.75); got != want {
		t.Errorf("cell 1 is %v, want %v", got, want)
	}
}

func TestHeatMapSVGTokensTitleAxes(t *testing.T) {
	tokens := []string{"[CLS]", "the", "representationally", "cat", "[SEP]"}
	vals := make([]float32, 25)
	for i := range vals {
		vals[i] = float32(i%5) / 10
	}
	h := Attention("layer 0 head 1", fakeTensor{[]int{5, 5}, vals}, tokens)
	if h.XLabel != "key" || h.YLabel != "query" {
		t.Fatalf("attention axis labels %q, %q", h.XLabel, h.YLabel)
	}
	if lo, hi := h.ColorRange(); lo != 0 || math.Abs(hi-0.4) > 1e-6 {
		t.Fatalf("attention colour range %v..%v, want 0..0.4", lo, hi)
	}
	svg, err := h.SVG()
	if err != nil {
		t.Fatal(err)
	}
	// Long tokens are truncated with an ellipsis.
	wantTexts(t, svg, "layer 0 head 1", "key", "query", "[CLS]", "the", "cat", "[SEP]", "representat…", "0", "0.4")
	if strings.Contains(string(svg), "representationally") {
		t.Error("the long token should be truncated")
	}
}

func TestHeatMapDenseLabelsAreThinned(t *testing.T) {
	const n = 128
	vals := make([]float32, n*n)
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = "tok" + string(rune('a'+i%26))
	}
	h := Attention("", fakeTensor{[]int{n, n}, vals}, tokens)
	svg, err := h.SVG()
	if err != nil {
		t.Fatal(err)
	}
	labels := 0
	for _, tx := range svgTexts(t, svg) {
		if strings.HasPrefix(strings.TrimSpace(tx.text), "tok") {
			labels++
		}
	}
	// 128 rows and 128 columns: every k-th labelled, enough to read, not overlapping.
	if labels < 40 || labels > 2*n/2 {
		t.Fatalf("%d token labels for a 128×128 map; want a legible subset (40..128)", labels)
	}
	b, err := h.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeSize(b); err != nil {
		t.Fatal(err)
	}
}

func TestHeatMapBadInput(t *testing.T) {
	mustPanic(t, "ragged matrix: row 0 has 2 columns, row 1 has 1", func() { NewHeatMap("", [][]float64{{1, 2}, {3}}) })
	mustPanic(t, "matrix is empty", func() { NewHeatMap("", nil) })
	mustPanic(t, "want a 2-D tensor, got shape [2 2 2]", func() { HeatMapOf("", fakeTensor{[]int{2, 2, 2}, make([]float32, 8)}) })
	mustPanic(t, "should hold 4 elements, its Data has 3", func() { HeatMapOf("", fakeTensor{[]int{2, 2}, make([]float32, 3)}) })
	mustPanic(t, "3 row labels for 2 rows", func() { NewHeatMap("", [][]float64{{1}, {2}}).Labels([]string{"a", "b", "c"}, nil) })
	mustPanic(t, "outside the 1×1 matrix", func() { NewHeatMap("", [][]float64{{1}}).At(1, 0) })
}

func TestConfusionMatrixDiagonalAnnotated(t *testing.T) {
	counts := [][]int{
		{50, 3, 2},
		{4, 41, 7},
		{1, 6, 60},
	}
	labels := []string{"negative", "neutral", "positive"}
	cm := ConfusionMatrix("SST-3 dev", counts, labels)
	svg, err := cm.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "SST-3 dev", "predicted", "true", "negative", "neutral", "positive")

	// The nine annotations are drawn last, row by row: find them and check
	// that they sit on a grid (rows share y and go down, columns share x and
	// go right) and that the diagonal holds the diagonal counts.
	texts := svgTexts(t, svg)
	var ann []svgText
	for i := 0; i+9 <= len(texts); i++ {
		ok := true
		for k := 0; k < 9 && ok; k++ {
			ok = texts[i+k].text == itoa(counts[k/3][k%3])
		}
		if ok {
			ann = texts[i : i+9]
			break
		}
	}
	if ann == nil {
		t.Fatal("the counts are not annotated row by row")
	}
	at := func(r, c int) svgText { return ann[3*r+c] }
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			// Text x is its left edge (centred text of different widths), y its baseline.
			if math.Abs(at(r, c).y-at(r, 0).y) > 0.01 || math.Abs(at(r, c).x-at(0, c).x) > 10 {
				t.Fatalf("annotation (%d,%d) at (%v,%v) is off the grid", r, c, at(r, c).x, at(r, c).y)
			}
			if c > 0 && at(r, c).x <= at(r, c-1).x {
				t.Fatal("columns do not go right")
			}
			// SVG text y is flipped (scale(1,-1)): rows going down have larger y.
			if r > 0 && at(r, c).y <= at(r-1, c).y {
				t.Fatal("rows do not go down")
			}
		}
	}
	for i := 0; i < 3; i++ {
		if got := at(i, i).text; got != itoa(counts[i][i]) {
			t.Fatalf("diagonal (%d,%d) annotated %q, want %d", i, i, got, counts[i][i])
		}
	}
	// Bright (high-count) cells get black ink, dark ones white.
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			want := "#ffffff"
			if r == c {
				want = "#000000"
			}
			if got := at(r, c).fill; got != want {
				t.Errorf("annotation (%d,%d) = %s is drawn in %s, want %s", r, c, at(r, c).text, got, want)
			}
		}
	}
	b, err := cm.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 540)
	// The largest count's cell is the palette top (annotation text aside).
	if hot := colourBox(img, Sequential.Top(), 640-colourBarPixels); hot.n < 1000 {
		t.Fatalf("largest count's cell has only %d top-colour pixels", hot.n)
	}

	mustPanic(t, "counts must be square", func() { ConfusionMatrix("", [][]int{{1, 2}}, nil) })
	mustPanic(t, "2 labels for 3 classes", func() { ConfusionMatrix("", counts, []string{"a", "b"}) })
	mustPanic(t, "negative count -1 at [0][1]", func() { ConfusionMatrix("", [][]int{{1, -1}, {0, 0}}, nil) })
}
