package plots

import (
	"math"
	"math/rand"
	"testing"
)

// BenchmarkHeatMapPNG renders a 128×128 attention-sized heat map (no
// annotations, with colour bar and thinned token labels) to PNG.
func BenchmarkHeatMapPNG(b *testing.B) {
	const n = 128
	rng := rand.New(rand.NewSource(1))
	m := make([][]float64, n)
	tokens := make([]string, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = rng.Float64()
		}
		tokens[i] = "token"
	}
	h := NewHeatMap("attention 128×128", m).Labels(tokens, tokens)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLinePNG renders a line plot of 5 series × 10,000 points to PNG.
func BenchmarkLinePNG(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	l := NewLine("5 × 10,000 points")
	for s := 0; s < 5; s++ {
		ys := make([]float64, 10000)
		for i := range ys {
			ys[i] = float64(s+1)*math.Exp(-float64(i)/3000) + 0.1*rng.Float64()
		}
		l.AddY(string(rune('a'+s)), ys)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := l.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
