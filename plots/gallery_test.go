package plots

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// TestGallery writes one picture of every kind into $PLOTS_GALLERY (skipped
// when it is unset) so that a person can look at them:
//
//	PLOTS_GALLERY=/tmp/gallery go test ./plots -run Gallery
//
// Every file is checked to decode at the right size and not to be blank.
func TestGallery(t *testing.T) {
	dir := os.Getenv("PLOTS_GALLERY")
	if dir == "" {
		t.Skip("set PLOTS_GALLERY=dir to write the gallery")
	}
	defer checkGallery(t, dir)
	rng := rand.New(rand.NewSource(1))
	l := NewLine("Loss")
	l.XLabel, l.YLabel = "step", "loss"
	var tr, va []float64
	for i := 0; i < 300; i++ {
		tr = append(tr, 2*math.Exp(-float64(i)/80)+0.1+0.15*rng.Float64())
		va = append(va, 2.1*math.Exp(-float64(i)/90)+0.2+0.05*rng.Float64())
	}
	l.AddY("train", tr).AddY("validation", va)
	l.Smoothing = 0.8
	must(t, l.Save(dir+"/line.png"))
	l.LogY = true
	must(t, l.Save(dir+"/line_log.png"))

	var xs, ys []float64
	var cls, labels []string
	for i := 0; i < 60; i++ {
		c := i % 3
		xs = append(xs, float64(c)*2+rng.NormFloat64()*0.6)
		ys = append(ys, float64(c%2)*2+rng.NormFloat64()*0.6)
		cls = append(cls, []string{"noun", "verb", "adjective"}[c])
		labels = append(labels, "")
	}
	s := ScatterByClass("Embeddings (PCA)", xs, ys, cls)
	s.AddLabeled("tokens", []float64{0, 2, 4}, []float64{3, 3, 3}, []string{"the", "transformer", "representationally"})
	must(t, s.Save(dir+"/scatter.png"))

	b := NewBar("Fine-tuning methods", []string{"full", "LoRA", "IA3", "BitFit", "prefix"})
	b.Add("accuracy", []float64{0.91, 0.9, 0.86, 0.84, 0.8}).Add("time (h)", []float64{1.2, 0.5, 0.4, 0.3, 0.45})
	must(t, b.Save(dir+"/bar.png"))
	must(t, Bars("plain", []string{"a", "b", "c"}, []float64{3, -1, 2}).Save(dir+"/bar_plain.png"))

	var w []float64
	for i := 0; i < 10000; i++ {
		w = append(w, rng.NormFloat64()*0.02)
	}
	must(t, NewHistogram("Weights", w, 40).Save(dir+"/hist.png"))

	tokens := []string{"[CLS]", "the", "cat", "sat", "on", "the", "mat", "[SEP]"}
	att := make([][]float64, 8)
	for i := range att {
		att[i] = make([]float64, 8)
		sum := 0.0
		for j := range att[i] {
			att[i][j] = math.Exp(3 * rng.Float64())
			sum += att[i][j]
		}
		for j := range att[i] {
			att[i][j] /= sum
		}
	}
	h := NewHeatMap("Attention", att).Labels(tokens, tokens)
	h.Annotate = true
	must(t, h.Save(dir+"/heat.png"))
	big := make([][]float64, 128)
	for i := range big {
		big[i] = make([]float64, 128)
		for j := range big[i] {
			big[i][j] = math.Sin(float64(i)/10) * math.Cos(float64(j)/7)
		}
	}
	hb := NewHeatMap("Signed 128x128", big)
	hb.Palette = Diverging
	must(t, hb.Save(dir+"/heat_big.png"))
	must(t, hb.Save(dir+"/heat_big.svg"))
	cm := ConfusionMatrix("Confusion", [][]int{{50, 3, 2}, {4, 41, 7}, {1, 6, 60}}, []string{"negative", "neutral", "positive"})
	must(t, cm.Save(dir+"/confusion.png"))
	must(t, ConfusionMatrix("20 classes", identityCounts(20, 37), nil).Save(dir+"/confusion20.png"))
	wide := make([][]float64, 3)
	for i := range wide {
		wide[i] = make([]float64, 60)
		for j := range wide[i] {
			wide[i][j] = math.Sin(float64(i*j) / 9)
		}
	}
	hw := NewHeatMap("Attribution over 60 tokens", wide).Labels([]string{"neg", "neu", "pos"}, nil)
	hw.Palette, hw.Height = Diverging, 2.5
	must(t, hw.Save(dir+"/heat_wide.png"))
	g := NewGrid("Runs", 2, l, s, b, cm)
	must(t, g.Save(dir+"/grid.png"))
	must(t, g.Save(dir+"/grid.pdf"))
}

// checkGallery decodes every PNG written to dir.
func checkGallery(t *testing.T, dir string) {
	sizes := map[string][2]int{
		"line.png": {640, 400}, "line_log.png": {640, 400}, "scatter.png": {640, 400},
		"bar.png": {640, 400}, "bar_plain.png": {640, 400}, "hist.png": {640, 400},
		"heat.png": {640, 540}, "heat_big.png": {640, 540}, "confusion.png": {640, 540},
		"grid.png": {640, 605}, "confusion20.png": {640, 540}, "heat_wide.png": {640, 250},
	}
	for name, wh := range sizes {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		decodePNG(t, b, wh[0], wh[1])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
