package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// TestDotsMatchReference checks the dot-product path (gemm_dot.go) against
// the float64 reference: row counts from 2 (padded to a tile) to 32, column
// counts below a tile (padded) and that do and do not divide into tiles, depths around the 16-lane
// steps and across kc, leading dimensions wider than the matrices, and beta
// 0 (C holds NaN, which must not leak in), 1 and another.
func TestDotsMatchReference(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		if g.dots == nil {
			if g.takesDots(false, true, 8, 64) {
				t.Fatal("dot products chosen at a level without the tile")
			}
			return
		}
		dots := func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			sgemmDots(g, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}
		rng := rand.New(rand.NewSource(22))
		for _, m := range []int{2, 3, 4, 5, 8, 11, 16, 32} {
			for _, n := range []int{1, 5, 6, 7, 13, 100} {
				for _, k := range []int{1, 15, 16, 17, 100, 300} {
					for _, beta := range []float32{0, 1, -0.75} {
						c := gemmCase{transB: true, m: m, n: n, k: k, padA: 3, padB: 5, padC: 2, alpha: 1.25, beta: beta}
						c.check(t, rng, dots)
					}
				}
			}
		}
	})
}

// TestTakesDots checks which products run as dot products at AVX-512 and
// at AVX2: the choice depends on the layouts, m and k (not on n, see
// TestDotsIndependentOfTiles).
func TestTakesDots(t *testing.T) {
	g := gemmForLevel(simd.AVX512)
	for _, c := range []struct {
		transA, transB bool
		m, k           int
		want           bool
	}{
		{false, true, 8, 256, true},    // the LM head of a batch of 8
		{false, true, 8, 128, true},    // any depth up to 8 rows
		{false, true, 2, 1, true},      // two rows of one element
		{false, true, 9, 128, false},   // 9 rows want k ≥ 216
		{false, true, 10, 240, true},   // 10 rows at k = 240
		{false, true, 32, 768, true},   // 32 rows at k = 768
		{false, true, 33, 3072, false}, // never more than 32
		{false, true, 1, 256, false},   // one row: gemm_row.go
		{false, false, 8, 256, false},  // B not transposed
		{true, true, 8, 256, false},    // A transposed
	} {
		if got := g.takesDots(c.transA, c.transB, c.m, c.k); got != c.want {
			t.Errorf("tA=%v tB=%v m=%d k=%d: dots = %v, want %v", c.transA, c.transB, c.m, c.k, got, c.want)
		}
	}
	if !gemmForLevel(simd.AVX2).takesDots(false, true, 8, 256) {
		t.Error("the AVX2 level has a dot-product tile, but the packed path was chosen")
	}
	if gemmForLevel(simd.Go).takesDots(false, true, 8, 256) {
		t.Error("the portable level has no dot-product tile, but dot products were chosen")
	}
}

// TestDotsIndependentOfTiles checks that an element of C gets the same bits
// whatever the shape of the product it is part of: from a 16-row product,
// from a product of its first few rows (padded when fewer than a tile),
// from one of fewer columns (whose last tile is shifted, or which is padded
// to a tile), and through
// Sgemm, whose goroutines split the columns.
func TestDotsIndependentOfTiles(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		if g.dots == nil {
			return
		}
		dotsIndependentOfTiles(t, g)
	})
}

func dotsIndependentOfTiles(t *testing.T, g *gemmKernels) {
	const m, n, k = 16, 100, 777
	rng := rand.New(rand.NewSource(23))
	a, b := randSlice(rng, m*k), randSlice(rng, n*k)
	whole := make([]float32, m*n)
	sgemmBlocked(false, true, m, n, k, 0.5, a, k, b, k, 0, whole, n)
	for _, part := range [][2]int{{2, n}, {3, 50}, {7, 13}, {9, 6}, {16, 31}, {5, 2}, {3, 1}} {
		pm, pn := part[0], part[1]
		if !g.takesDots(false, true, pm, k) {
			t.Fatalf("%d×%d×%d is not computed as dot products", pm, k, pn)
		}
		c := make([]float32, pm*pn)
		sgemmBlocked(false, true, pm, pn, k, 0.5, a, k, b, k, 0, c, pn)
		for i := range pm {
			for j := range pn {
				if w, p := whole[i*n+j], c[i*pn+j]; math.Float32bits(w) != math.Float32bits(p) {
					t.Fatalf("%d×%d: C[%d][%d] = %g, %g in the 16×%d product", pm, pn, i, j, p, w, n)
				}
			}
		}
	}
	c := make([]float32, m*n)
	Sgemm(false, true, m, n, k, 0.5, a, k, b, k, 0, c, n)
	for i := range c {
		if math.Float32bits(c[i]) != math.Float32bits(whole[i]) {
			t.Fatalf("Sgemm: C[%d][%d] = %g, %g from one goroutine", i/n, i%n, c[i], whole[i])
		}
	}
}

// TestSgemmSplitKeepsPath checks that a product split over goroutines gives
// the serial result bit for bit when its pieces are few enough rows, or
// narrow enough, to choose another path on their own: a product on the
// packed path cut into pieces of 12 rows (which alone would take dot
// products), one of dot products cut into pieces of rows, and one cut into
// pieces of columns whose last piece is narrower than a tile.
func TestSgemmSplitKeepsPath(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(24))
		for _, s := range [][3]int{{100, 20, 2000}, {32, 40, 2000}, {8, 8197, 300}} {
			m, n, k := s[0], s[1], s[2]
			a, b := randSlice(rng, m*k), randSlice(rng, n*k)
			serial, split := make([]float32, m*n), make([]float32, m*n)
			sgemmSerial(false, true, m, n, k, 1, a, k, b, k, 0, serial, n)
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(16))
				if !sgemmSplit(false, true, m, n, k, 1, a, k, b, k, 0, split, n) {
					t.Fatalf("%d×%d×%d was not split", m, k, n)
				}
			}()
			for i := range serial {
				if math.Float32bits(serial[i]) != math.Float32bits(split[i]) {
					t.Fatalf("%d×%d×%d: C[%d][%d] = %g split, %g serial", m, k, n, i/n, i%n, split[i], serial[i])
				}
			}
		}
	})
}

// BenchmarkDotRows measures a few rows against a long transposed B as dot
// products and on the packed path, one goroutine: the tied LM head of the
// benchmark GPT generating a batch (8192 × 256), BERT's MLM head (30522 ×
// 128), and BERT-base's Linear layers (768 × 768, 3072 × 768). It sets
// dotsPay.
func BenchmarkDotRows(b *testing.B) {
	g := gemmFor() // at the process's level (TURINGLAB_CPU_LEVEL chooses another)
	if g.dots == nil {
		b.Skipf("level %v has no dot-product tile", level)
	}
	for _, s := range [][2]int{{8192, 256}, {30522, 128}, {768, 768}, {3072, 768}} {
		n, k := s[0], s[1]
		for _, m := range []int{2, 4, 8, 12, 16, 24, 32} {
			rng := rand.New(rand.NewSource(1))
			a, bm, c := randSlice(rng, m*k), randSlice(rng, n*k), make([]float32, m*n)
			for _, path := range []string{"packed", "dots"} {
				b.Run(fmt.Sprintf("%dx%dx%d/%s", m, k, n, path), func(b *testing.B) {
					run := func() {
						if path == "dots" {
							sgemmDots(g, m, n, k, 1, a, k, bm, k, 0, c, n)
						} else {
							sgemmBlockedLoops(g, false, true, m, n, k, 1, a, k, bm, k, 0, c, n)
						}
					}
					run()
					b.ResetTimer()
					for range b.N {
						run()
					}
					b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
