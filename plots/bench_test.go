package plots

import (
	"math"
	"math/rand"
	"testing"

	"github.com/turinglab/turinglab/internal/cputime"
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
	benchPNG(b, h)
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
	benchPNG(b, l)
}

// benchPNG renders f to PNG b.N times, reporting the CPU time per render
// (cpu-ms/op) beside the wall time, and the PNG size.
func benchPNG(b *testing.B, f Figure) {
	var size int
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		png, err := f.PNG()
		if err != nil {
			b.Fatal(err)
		}
		size = len(png)
	}
	b.StopTimer()
	b.ReportMetric(float64(cputime.Process()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(size), "png-bytes")
}
