package plots

import (
	"testing"
)

func TestBarGroupedValueLabels(t *testing.T) {
	methods := []string{"full", "LoRA", "IA3", "BitFit"}
	b := NewBar("Fine-tuning methods", methods).
		Add("accuracy", []float64{0.91, 0.90, 0.86, 0.84}).
		Add("hours", []float64{1.2, 0.5, 0.4, 0.3})
	b.YLabel = "value"
	if got, want := b.String(), "<Bar figure: Fine-tuning methods (4 categories × 2 groups)>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if b.Value(1, 0) != 1.2 {
		t.Fatalf("Value(1, 0) = %v", b.Value(1, 0))
	}
	png, err := b.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, png, 640, 400)
	// Both groups' colours fill bars: solid areas of each.
	for g := 0; g < 2; g++ {
		if bx := colourBox(img, SeriesColor(g), 640); bx.n < 2000 {
			t.Errorf("group %d colour covers only %d pixels", g, bx.n)
		}
	}
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "Fine-tuning methods", "value", "full", "LoRA", "IA3", "BitFit", "accuracy", "hours",
		"0.91", "0.9", "0.86", "0.84", "1.2", "0.5", "0.4", "0.3")
}

func TestBarsPlainNegative(t *testing.T) {
	b := Bars("delta", []string{"a", "b", "c"}, []float64{3, -1.5, 2})
	b.Format = "%+.1f"
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "delta", "a", "b", "c", "+3.0", "-1.5", "+2.0")
	// One unnamed group: no legend entry.
	for _, tx := range svgTexts(t, svg) {
		if tx.text == "" {
			t.Error("empty legend text drawn")
		}
	}
	png, err := b.PNG()
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, png, 640, 400)
	mustPanic(t, `Bar.Add("x"): 2 values for 3 categories`, func() { NewBar("", []string{"a", "b", "c"}).Add("x", []float64{1, 2}) })
	mustPanic(t, "no categories", func() { NewBar("", nil) })
}
