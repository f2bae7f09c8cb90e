package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fakeTensor stands in for autograd's *Tensor: the plots.Tensor interface.
type fakeTensor struct {
	shape []int
	data  []float32
}

func (t fakeTensor) Shape() []int    { return t.shape }
func (t fakeTensor) Data() []float32 { return t.data }

// decodePNG decodes b and checks its size in pixels and that it is not blank:
// a good share of pixels are not white and several distinct colours appear.
func decodePNG(t *testing.T, b []byte, w, h int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Fatalf("PNG is %d×%d pixels, want %d×%d", got.X, got.Y, w, h)
	}
	nonWhite := 0
	colours := map[color.RGBA]bool{}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := rgba(img, x, y)
			if c != (color.RGBA{255, 255, 255, 255}) {
				nonWhite++
			}
			if len(colours) < 1000 {
				colours[c] = true
			}
		}
	}
	if frac := float64(nonWhite) / float64(w*h); frac < 0.01 {
		t.Fatalf("PNG looks blank: only %.3f%% of pixels are not white", 100*frac)
	}
	if len(colours) < 8 {
		t.Fatalf("PNG looks blank: only %d distinct colours", len(colours))
	}
	return img
}

// rgba returns the 8-bit colour of pixel (x, y).
func rgba(img image.Image, x, y int) color.RGBA {
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// svgText is one <text> element of an SVG: its content, anchor position and
// fill colour ("#000000" when the style leaves it at the default black).
type svgText struct {
	text string
	x, y float64
	fill string
}

var (
	textRE = regexp.MustCompile(`<text x="([-0-9.e]+)" y="([-0-9.e]+)"([^>]*)>([^<]*)</text>`)
	fillRE = regexp.MustCompile(`fill:(#[0-9A-Fa-f]{6})`)
)

// svgTexts returns every text element of an SVG document, in drawing order,
// with HTML escapes undone.
func svgTexts(t *testing.T, svg []byte) []svgText {
	t.Helper()
	var out []svgText
	for _, m := range textRE.FindAllSubmatch(svg, -1) {
		x, err1 := strconv.ParseFloat(string(m[1]), 64)
		y, err2 := strconv.ParseFloat(string(m[2]), 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad text position in %q", m[0])
		}
		s := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(string(m[4]))
		fill := "#000000"
		if f := fillRE.FindSubmatch(m[3]); f != nil {
			fill = strings.ToLower(string(f[1]))
		}
		out = append(out, svgText{text: s, x: x, y: y, fill: fill})
	}
	return out
}

// wantTexts checks that every string in want is the whole content of some
// text element of the SVG (leading and trailing spaces ignored).
func wantTexts(t *testing.T, svg []byte, want ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, tx := range svgTexts(t, svg) {
		have[strings.TrimSpace(tx.text)] = true
	}
	for _, w := range want {
		if !have[w] {
			t.Errorf("SVG has no text %q", w)
		}
	}
}

// mustPanic runs f and checks that it panics with a message containing want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want one mentioning %q", want)
		}
		if msg, _ := r.(string); !strings.Contains(msg, want) {
			t.Fatalf("panic %v; want it to mention %q", r, want)
		}
	}()
	f()
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }

// decodeSize decodes a PNG's header and returns its size.
func decodeSize(b []byte) (image.Point, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return image.Point{}, err
	}
	return image.Point{X: cfg.Width, Y: cfg.Height}, nil
}

// nearColourCount counts pixels within tol (per channel) of c.
func nearColourCount(img image.Image, c color.RGBA, tol int) int {
	return nearColourRight(img, c, tol, img.Bounds().Min.X)
}

// nearColourRight counts pixels within tol (per channel) of c at x >= xmin.
func nearColourRight(img image.Image, c color.RGBA, tol, xmin int) int {
	n := 0
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := xmin; x < img.Bounds().Max.X; x++ {
			p := rgba(img, x, y)
			if abs(int(p.R)-int(c.R)) <= tol && abs(int(p.G)-int(c.G)) <= tol && abs(int(p.B)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}
