package plots

import (
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

func TestHistogramBinsLikeNumPy(t *testing.T) {
	// numpy.histogram([0, 1, 2, 3, 4], bins=4) -> counts [1 1 1 2], edges [0 1 2 3 4]
	h := NewHistogram("", []float64{0, 1, 2, 3, 4}, 4)
	if got := h.Counts(); !slices.Equal(got, []int{1, 1, 1, 2}) {
		t.Fatalf("counts %v, want [1 1 1 2]", got)
	}
	if got := h.Edges(); len(got) != 5 || got[0] != 0 || got[4] != 4 || got[2] != 2 {
		t.Fatalf("edges %v", got)
	}
	// numpy.histogram([0.1, 0.2, 0.3], bins=3): edges 0.1, 0.1667, 0.2333, 0.3 -> [1 1 1]
	if got := NewHistogram("", []float64{0.1, 0.2, 0.3}, 3).Counts(); !slices.Equal(got, []int{1, 1, 1}) {
		t.Fatalf("counts %v, want [1 1 1]", got)
	}
	// A constant: numpy uses [v-0.5, v+0.5].
	c := NewHistogram("", []float64{2, 2, 2}, 2)
	if e := c.Edges(); e[0] != 1.5 || e[2] != 2.5 || !slices.Equal(c.Counts(), []int{0, 3}) {
		t.Fatalf("constant: edges %v counts %v", e, c.Counts())
	}
	// Non-finite values are counted apart.
	d := NewHistogram("g", []float64{1, math.NaN(), math.Inf(1), 3}, 2)
	if d.Dropped() != 2 || !slices.Equal(d.Counts(), []int{1, 1}) {
		t.Fatalf("dropped %d counts %v", d.Dropped(), d.Counts())
	}
	if !strings.Contains(d.String(), "2 non-finite dropped") {
		t.Errorf("String() = %q", d.String())
	}
	mustPanic(t, "bins must be at least 1, got 0", func() { NewHistogram("", nil, 0) })
}

func TestHistogramOfTensorRenders(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	data := make([]float32, 64*32)
	for i := range data {
		data[i] = float32(rng.NormFloat64() * 0.02)
	}
	h := HistogramOf("layer 0 weights", fakeTensor{[]int{64, 32}, data}, 30)
	h.XLabel = "weight"
	total := 0
	for _, c := range h.Counts() {
		total += c
	}
	if total != len(data) {
		t.Fatalf("counts sum to %d, want %d", total, len(data))
	}
	n, mean, std := h.Stats()
	if n != 2048 || math.Abs(mean) > 0.002 || math.Abs(std-0.02) > 0.002 {
		t.Fatalf("Stats() = %d, %v, %v", n, mean, std)
	}
	if !strings.HasPrefix(h.String(), "<Histogram figure: layer 0 weights (2048 values, mean ") {
		t.Errorf("String() = %q", h.String())
	}
	b, err := h.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, b, 640, 400)
	if bx := colourBox(img, SeriesColor(0), 640); bx.n < 5000 {
		t.Errorf("bars cover only %d pixels", bx.n)
	}
	svg, err := h.SVG()
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svg, "layer 0 weights", "weight", "count", "0")
	mustPanic(t, "tensor of shape [2 2] should hold 4 elements", func() { HistogramOf("", fakeTensor{[]int{2, 2}, nil}, 3) })
}
