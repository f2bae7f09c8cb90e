package plots

import (
	"strings"
	"testing"
)

func TestGridLaysOutFigures(t *testing.T) {
	g := NewGrid("Run 7", 2,
		Curve("loss", []float64{3, 2, 1.5, 1.2}),
		Bars("params", []string{"LoRA", "full"}, []float64{0.3, 110}),
		NewHistogram("grads", []float64{-1, 0, 0, 1, 2}, 4),
	)
	if g.Rows() != 2 || g.Len() != 3 {
		t.Fatalf("Rows() = %d, Len() = %d", g.Rows(), g.Len())
	}
	if got, want := g.String(), "<Grid figure: Run 7 (2×2, 3 figures)>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := g.PNG()
	if err != nil {
		t.Fatal(err)
	}
	// 3.2 in per column, 2.8 in per row plus 0.45 in of title, at 100 DPI.
	decodePNG(t, b, 640, 605)
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "Run 7", "loss", "params", "grads", "LoRA", "full")
	mustPanic(t, "cols must be at least 1", func() { NewGrid("", 0) })
	mustPanic(t, "figure 0 is nil", func() { NewGrid("", 1).Add(nil) })
}

func TestHeatMapGridLayersHeads(t *testing.T) {
	// [layers=2, heads=3, seq=4, seq=4]: one row per layer, one column per head.
	data := make([]float32, 2*3*4*4)
	for i := range data {
		data[i] = float32(i%4) / 4
	}
	data[1*3*16+2*16+5] = 1 // layer 1, head 2: the hottest weight
	tokens := []string{"[CLS]", "hi", "there", "[SEP]"}
	g := HeatMapGrid("attention", fakeTensor{[]int{2, 3, 4, 4}, data}, tokens, tokens)
	if g.Rows() != 2 || g.Cols != 3 || g.Len() != 6 {
		t.Fatalf("grid %d×%d with %d maps", g.Rows(), g.Cols, g.Len())
	}
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "attention", "0.0", "0.2", "1.2", "[CLS]", "there")
	png, err := g.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, png, 960, 550) // 3 tiles of 2.88 in plus the colour bar make 9.6 in
	// The shared colour range puts the hottest weight, and only it, at the
	// palette top: in the last map of the second row.
	hot := colourBox(img, Sequential.Top(), 865)
	if hot.n == 0 || hot.cx() < 580 || hot.cy() < 300 || hot.w() > 120 || hot.h() > 120 {
		t.Fatalf("hottest cell at (%.0f, %.0f) with %d px; want it in the bottom-right map", hot.cx(), hot.cy(), hot.n)
	}
	// The shared colour bar, right of the tiles, reaches the palette top.
	if nearColourRight(img, Sequential.Top(), 4, 865) < 20 {
		t.Fatal("no shared colour bar right of the tiles")
	}
	mustPanic(t, "want a 3-D [n, rows, cols] or 4-D", func() { HeatMapGrid("", fakeTensor{[]int{4, 4}, make([]float32, 16)}, nil, nil) })
	if !strings.Contains(g.String(), "2×3, 6 figures") {
		t.Errorf("String() = %q", g.String())
	}
}
