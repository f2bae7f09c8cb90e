package plots

import (
	"encoding/base64"
	"math"
	"strings"
	"testing"
)

func lossCurves() *Line {
	l := NewLine("Training loss")
	l.XLabel, l.YLabel = "step", "cross-entropy"
	var train, val []float64
	for i := 0; i < 200; i++ {
		train = append(train, 2*math.Exp(-float64(i)/50)+0.1+0.1*math.Sin(float64(i)))
		val = append(val, 2*math.Exp(-float64(i)/60)+0.2)
	}
	return l.AddY("train", train).AddY("validation", val)
}

func TestLinePNGAndBundle(t *testing.T) {
	l := lossCurves()
	l.Smoothing, l.Markers = 0.6, true
	b, err := l.PNG()
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, b, 640, 400)

	bundle := l.MIMEBundle()
	if got, want := bundle.Text(), "<Line figure: Training loss (2 series)>"; got != want {
		t.Errorf("text/plain = %q, want %q", got, want)
	}
	s, ok := bundle.Data["image/png"].(string)
	if !ok {
		t.Fatalf("bundle has no image/png string: types %v", bundle.Types())
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	decodePNG(t, raw, 640, 400)
}

func TestLineSVGHasTitleLabelsTicksLegend(t *testing.T) {
	svg, err := lossCurves().SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "Training loss", "step", "cross-entropy", "train", "validation", "0", "100", "1.0", "2.0")
}

func TestLineLogY(t *testing.T) {
	l := lossCurves()
	l.LogY = true
	svg, err := l.SVG()
	if err != nil {
		t.Fatal(err)
	}
	// Fewer than three powers of ten in range: 2× and 5× are labelled too.
	wantTexts(t, svg, "0.2", "0.5", "1", "2")

	l.Append("train", 200, 0)
	_, err = l.PNG()
	if err == nil || !strings.Contains(err.Error(), "log-y needs positive values") || !strings.Contains(err.Error(), `"train"`) {
		t.Fatalf("log-y over a zero: error %v, want one naming log-y and the series", err)
	}
	if b := l.MIMEBundle(); !strings.Contains(b.Text(), "log-y") || b.Data["image/png"] != nil {
		t.Errorf("a failed render should show its error as text, got types %v text %q", b.Types(), b.Text())
	}
}

func TestLineAppendAndPoints(t *testing.T) {
	l := NewLine("live")
	for i := 0; i < 5; i++ {
		l.Append("loss", float64(i), float64(10-i))
	}
	l.Append("acc", 0, 0.5)
	if got := l.Series(); len(got) != 2 || got[0] != "loss" || got[1] != "acc" {
		t.Fatalf("Series() = %v", got)
	}
	xs, ys := l.Points("loss")
	if len(xs) != 5 || xs[4] != 4 || ys[4] != 6 {
		t.Fatalf("Points(loss) = %v, %v", xs, ys)
	}
	if xs, ys := l.Points("nope"); xs != nil || ys != nil {
		t.Fatal("Points of a missing series should be nil")
	}
	// A NaN loss is kept but not drawn.
	l.Append("loss", 5, math.NaN())
	b, err := l.PNG()
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, b, 640, 400)
}

func TestLineAppendWhileRendering(t *testing.T) {
	l := NewLine("concurrent")
	done := make(chan bool)
	go func() {
		for i := 0; i < 2000; i++ {
			l.Append("loss", float64(i), 1/float64(i+1))
		}
		done <- true
	}()
	for i := 0; i < 3; i++ {
		if _, err := l.PNG(); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	if xs, _ := l.Points("loss"); len(xs) != 2000 {
		t.Fatalf("%d points after 2000 appends", len(xs))
	}
}

func TestLineBadInput(t *testing.T) {
	mustPanic(t, "3 x values but 2 y values", func() { NewLine("x").Add("s", []float64{1, 2, 3}, []float64{1, 2}) })
	l := Curve("c", []float64{1, 2})
	l.Smoothing = 1
	if _, err := l.PNG(); err == nil || !strings.Contains(err.Error(), "Smoothing 1 outside [0, 1)") {
		t.Fatalf("Smoothing=1: error %v", err)
	}
}

func TestEMA(t *testing.T) {
	// Debiased: a constant stays constant from the first point.
	for i, v := range EMA([]float64{3, 3, 3, 3}, 0.9) {
		if math.Abs(v-3) > 1e-12 {
			t.Fatalf("EMA of a constant: [%d] = %v, want 3", i, v)
		}
	}
	// By hand, w = 0.5: a = 0.5·0 + 0.5·0 = 0 → 0/(1-0.5) = 0;
	// a = 0.5·0 + 0.5·10 = 5 → 5/(1-0.25) = 6.6667;
	// a = 0.5·5 + 0.5·4 = 4.5 → 4.5/(1-0.125) = 5.142857.
	got := EMA([]float64{0, 10, 4}, 0.5)
	want := []float64{0, 20.0 / 3, 4.5 / 0.875}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("EMA = %v, want %v", got, want)
		}
	}
	// w = 0 is the identity; NaN is skipped.
	got = EMA([]float64{1, math.NaN(), 5}, 0)
	if got[0] != 1 || !math.IsNaN(got[1]) || got[2] != 5 {
		t.Fatalf("EMA(w=0) = %v", got)
	}
	mustPanic(t, "outside [0, 1)", func() { EMA([]float64{1}, 1) })
}

func TestFinitePointsThinningKeepsExtremes(t *testing.T) {
	n := 100000
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i], ys[i] = float64(i), math.Sin(float64(i)/1000)
	}
	ys[54321] = 50 // a spike
	ys[77] = -50
	pts := finitePoints(xs, ys, 2000)
	if len(pts) > 2002 {
		t.Fatalf("thinned to %d points, want at most 2002", len(pts))
	}
	var hasSpike, hasDip bool
	for i, p := range pts {
		hasSpike = hasSpike || p.Y == 50
		hasDip = hasDip || p.Y == -50
		if i > 0 && p.X <= pts[i-1].X {
			t.Fatalf("thinned points out of order at %d", i)
		}
	}
	if !hasSpike || !hasDip || pts[0].X != 0 || pts[len(pts)-1].X != float64(n-1) {
		t.Fatalf("thinning lost an extreme or an end: spike %v dip %v first %v last %v", hasSpike, hasDip, pts[0], pts[len(pts)-1])
	}
}

func TestLineLegendAvoidsTheCurve(t *testing.T) {
	// A rising accuracy curve runs into the top right corner: the legend
	// should go to the free top left instead.
	l := NewLine("accuracy")
	for i := 0; i <= 20; i++ {
		l.Append("validation accuracy", float64(i), 0.5+0.02*float64(i))
	}
	svg, err := l.SVG()
	if err != nil {
		t.Fatal(err)
	}
	const widthPt, heightPt = 6.4 * 72, 4.0 * 72
	for _, tx := range svgTexts(t, svg) {
		if tx.text == "validation accuracy" {
			// SVG text y is negated (scale(1,-1)): -y is the height from the bottom.
			if tx.x > widthPt/2 || -tx.y < heightPt/2 {
				t.Fatalf("legend at (%.0f, %.0f) pt: want the top left quarter", tx.x, -tx.y)
			}
			return
		}
	}
	t.Fatal("legend entry not found")
}

func TestCurveOfTensor(t *testing.T) {
	l := CurveOf("lr", fakeTensor{[]int{4}, []float32{1, 0.5, 0.25, 0.125}})
	xs, ys := l.Points("lr")
	if len(xs) != 4 || xs[3] != 3 || ys[3] != 0.125 {
		t.Fatalf("CurveOf points %v %v", xs, ys)
	}
	mustPanic(t, "want a 1-D tensor, got shape [2 2]", func() { CurveOf("", fakeTensor{[]int{2, 2}, make([]float32, 4)}) })
}

func TestCurveHasNoLegend(t *testing.T) {
	svg, err := Curve("loss", []float64{3, 2, 1}).SVG()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tx := range svgTexts(t, svg) {
		if tx.text == "loss" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%q drawn %d times, want once (the title, no legend)", "loss", n)
	}
}
