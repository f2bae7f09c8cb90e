package plots

import (
	"image/color"
	"testing"
)

func TestScatterByClassColoursLegendLabels(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5}
	ys := []float64{0, 1, 0, 1, 0, 1}
	classes := []string{"noun", "verb", "noun", "verb", "adj", "noun"}
	s := ScatterByClass("Token embeddings (PCA)", xs, ys, classes)
	s.XLabel, s.YLabel = "PC1", "PC2"
	s.AddLabeled("probe", []float64{2.5}, []float64{0.5}, []string{"transformer"})
	if got := s.Classes(); len(got) != 4 || got[0] != "noun" || got[1] != "verb" || got[2] != "adj" || got[3] != "probe" {
		t.Fatalf("Classes() = %v, want first-appearance order", got)
	}
	if s.Len() != 7 {
		t.Fatalf("Len() = %d", s.Len())
	}
	if got, want := s.String(), "<Scatter figure: Token embeddings (PCA) (7 points, 4 classes)>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := s.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 400)
	// Each class is drawn in its own colour: 85% opaque dots over white.
	for i := 0; i < 4; i++ {
		c := SeriesColor(i)
		blend := func(v uint8) uint8 { return uint8(float64(v)*0.85 + 255*0.15 + 0.5) }
		want := color.RGBA{blend(c.R), blend(c.G), blend(c.B), 255}
		if n := nearColourCount(img, want, 3); n < 20 {
			t.Errorf("only %d pixels of class %d's colour %v", n, i, want)
		}
	}
	svg, err := s.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "Token embeddings (PCA)", "PC1", "PC2", "noun", "verb", "adj", "probe", "transformer")
}

func TestScatterOfTensor(t *testing.T) {
	pts := fakeTensor{[]int{3, 2}, []float32{0, 0, 1, 1, 2, 0.5}}
	s := ScatterOf("proj", pts, []string{"a", "b", "a"})
	if s.Len() != 3 || len(s.Classes()) != 2 {
		t.Fatalf("ScatterOf: %d points, classes %v", s.Len(), s.Classes())
	}
	if _, err := s.PNG(); err != nil {
		t.Fatal(err)
	}
	mustPanic(t, "want an [N, 2] tensor of points, got shape [2 3]", func() { ScatterOf("", fakeTensor{[]int{2, 3}, make([]float32, 6)}, nil) })
	mustPanic(t, "3 x values, 3 y values, 2 classes", func() { ScatterByClass("", xs3, xs3, []string{"a", "b"}) })
	mustPanic(t, `Scatter.Add("c"): 3 x values, 2 y values`, func() { NewScatter("").Add("c", xs3, xs3[:2]) })
}

var xs3 = []float64{1, 2, 3}
