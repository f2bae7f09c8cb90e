package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/simd"
)

// gemmCase is one product to check: shapes, layouts, strides and scalars.
type gemmCase struct {
	transA, transB   bool
	m, n, k          int
	padA, padB, padC int // extra columns beyond the stored row width
	alpha, beta      float32
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,pad=%d/%d/%d,alpha=%g,beta=%g",
		g.transA, g.transB, g.m, g.n, g.k, g.padA, g.padB, g.padC, g.alpha, g.beta)
}

// operands builds random A, B, C for the case with their leading dimensions.
// C's padding holds a sentinel so that writes outside the matrix are caught;
// when beta = 0, C's contents are NaN, which must be ignored.
func (g gemmCase) operands(rng *rand.Rand) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ar, ac := g.m, g.k
	if g.transA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = g.n, g.k
	}
	lda, ldb, ldc = max(1, ac+g.padA), max(1, bc+g.padB), max(1, g.n+g.padC)
	a = randSlice(rng, ar*lda)
	b = randSlice(rng, br*ldb)
	c = make([]float32, g.m*ldc)
	for i := range c {
		switch {
		case i%ldc >= g.n:
			c[i] = sentinel
		case g.beta == 0:
			c[i] = float32(math.NaN())
		default:
			c[i] = rng.Float32()*2 - 1
		}
	}
	return
}

const sentinel = -12345.5

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// check computes the product with gemm and compares it with a float64
// reference, allowing an error relative to k·|alpha|·Σ|a||b|·eps32.
func (g gemmCase) check(t testing.TB, rng *rand.Rand, gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
	t.Helper()
	a, lda, b, ldb, c, ldc := g.operands(rng)
	c0 := append([]float32(nil), c...)
	gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, c, ldc)
	compareRef(t, g, a, lda, b, ldb, c0, c, ldc)
}

// compareRef checks c (after the product) against the float64 reference
// computed from the inputs and c0 (C before the product).
func compareRef(t testing.TB, g gemmCase, a []float32, lda int, b []float32, ldb int, c0, c []float32, ldc int) {
	t.Helper()
	const eps = 1.0 / (1 << 23) // float32 machine epsilon
	opA := func(i, p int) float64 {
		if g.transA {
			return float64(a[p*lda+i])
		}
		return float64(a[i*lda+p])
	}
	opB := func(p, j int) float64 {
		if g.transB {
			return float64(b[j*ldb+p])
		}
		return float64(b[p*ldb+j])
	}
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < ldc; j++ {
			got := c[i*ldc+j]
			if j >= g.n {
				if got != sentinel {
					t.Fatalf("%v: C[%d][%d] outside the matrix was overwritten: %g", g, i, j, got)
				}
				continue
			}
			var sum, abs float64
			for p := 0; p < g.k; p++ {
				sum += opA(i, p) * opB(p, j)
				abs += math.Abs(opA(i, p) * opB(p, j))
			}
			want := float64(g.alpha) * sum
			scale := math.Abs(float64(g.alpha)) * abs
			if g.beta != 0 {
				want += float64(g.beta) * float64(c0[i*ldc+j])
				scale += math.Abs(float64(g.beta) * float64(c0[i*ldc+j]))
			}
			tol := 4*float64(g.k+2)*eps*scale + 1e-30
			if d := math.Abs(float64(got) - want); !(d <= tol) {
				if bad++; bad <= 5 {
					t.Errorf("%v: C[%d][%d] = %g, want %g (|diff| %g > tol %g)", g, i, j, got, want, d, tol)
				}
			}
		}
	}
	if bad > 5 {
		t.Fatalf("%v: %d wrong elements", g, bad)
	}
}

// awkward are the sizes every path is tested on: zero, one, primes around
// the tile sizes and powers of two plus one.
var awkward = []int{0, 1, 3, 7, 17, 31, 33, 65, 129}

// paths are the implementations under test; the tests run each of them at
// every level this machine supports (eachLevel).
var paths = []struct {
	name string
	gemm func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}{
	{"Sgemm", Sgemm},
	{"small", guard(sgemmSmall)},
	{"blocked", guard(sgemmBlocked)},
}

// guard wraps an internal path with the cases Sgemm handles before it
// (empty C, k = 0, alpha = 0), which the paths themselves do not expect.
func guard(f func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	return func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		checkGemm("test", transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
		if m == 0 || n == 0 || k == 0 || alpha == 0 {
			sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			return
		}
		f(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

func TestSgemmAwkwardSizes(t *testing.T) {
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				rng := rand.New(rand.NewSource(1))
				for _, tA := range []bool{false, true} {
					for _, tB := range []bool{false, true} {
						for _, m := range awkward {
							for _, n := range awkward {
								for _, k := range awkward {
									g := gemmCase{transA: tA, transB: tB, m: m, n: n, k: k,
										padA: rng.Intn(3), padB: rng.Intn(3), padC: rng.Intn(3),
										alpha: 1, beta: 0}
									g.check(t, rng, path.gemm)
								}
							}
						}
					}
				}
			})
		})
	}
}

func TestSgemmAlphaBeta(t *testing.T) {
	scalars := [][2]float32{{1, 0}, {1, 1}, {-0.5, 0}, {2, -1.5}, {0, 0}, {0, 3}, {0.25, 1}}
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				rng := rand.New(rand.NewSource(2))
				for _, s := range scalars {
					for _, tA := range []bool{false, true} {
						for _, tB := range []bool{false, true} {
							for _, k := range []int{0, 5, 40} {
								g := gemmCase{transA: tA, transB: tB, m: 13, n: 35, k: k,
									padA: 2, padB: 1, padC: 3, alpha: s[0], beta: s[1]}
								g.check(t, rng, path.gemm)
							}
						}
					}
				}
			})
		})
	}
}

// TestSgemmBlockBoundaries crosses every cache-block boundary (kc, mc, nc)
// so that the k-slices accumulate and the blocks' edges meet correctly.
func TestSgemmBlockBoundaries(t *testing.T) {
	for _, path := range paths {
		if path.name == "small" {
			continue // the direct loops have no blocks
		}
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				g := gemmFor()
				mr, nr, kc, mc, nc := g.mr, g.nr, g.kc, g.mc, g.nc
				shapes := [][3]int{ // m, n, k
					{mc + 1, 2*nr + 3, kc + 1},
					{2*mc + 5, 19, 2*kc + 3},
					{7, nc + 17, 3},
					{mr + 1, nc + nr + 1, kc + 9},
					{96, 64, 512},
					{mc, 3*nr + 1, kc + 1}, // the most rows for which a row-major B is read in place
				}
				rng := rand.New(rand.NewSource(3))
				for _, s := range shapes {
					for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
						g := gemmCase{transA: tr[0], transB: tr[1], m: s[0], n: s[1], k: s[2],
							padA: 1, padB: 2, padC: 1, alpha: 0.5, beta: 2}
						g.check(t, rng, path.gemm)
					}
				}
			})
		})
	}
}

func TestSgemmRandomShapes(t *testing.T) {
	for _, path := range paths {
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				rng := rand.New(rand.NewSource(4))
				for range 60 {
					g := gemmCase{transA: rng.Intn(2) == 0, transB: rng.Intn(2) == 0,
						m: rng.Intn(90), n: rng.Intn(90), k: rng.Intn(300),
						padA: rng.Intn(9), padB: rng.Intn(9), padC: rng.Intn(9),
						alpha: rng.Float32()*4 - 2, beta: float32(rng.Intn(3)) - 1}
					g.check(t, rng, path.gemm)
				}
			})
		})
	}
}

func TestSgemmBatched(t *testing.T) {
	for _, path := range paths {
		if path.name != "Sgemm" && path.name != "blocked-asm" {
			continue
		}
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				rng := rand.New(rand.NewSource(5))
				for _, bc := range []struct {
					broadcastA, broadcastB bool
					m, n, k                int
				}{
					{false, false, 9, 33, 17},
					{true, false, 40, 24, 64},
					{false, true, 70, 20, 31},
					{false, false, 1, 1, 1},
				} {
					for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
						const batch = 4
						g := gemmCase{transA: tr[0], transB: tr[1], m: bc.m, n: bc.n, k: bc.k,
							padA: 1, padB: 3, padC: 2, alpha: 1.5, beta: 0.5}
						// One case per batch entry, with its own random operands,
						// laid out one after the other with a gap of 5.
						var as, bs, cs, c0s [batch][]float32
						var lda, ldb, ldc int
						for i := range batch {
							as[i], lda, bs[i], ldb, cs[i], ldc = g.operands(rng)
						}
						if bc.broadcastA {
							for i := range batch {
								as[i] = as[0]
							}
						}
						if bc.broadcastB {
							for i := range batch {
								bs[i] = bs[0]
							}
						}
						flat := func(parts [batch][]float32, broadcast bool) ([]float32, int) {
							if broadcast {
								return parts[0], 0
							}
							stride := len(parts[0]) + 5
							out := make([]float32, stride*batch)
							for i, p := range parts {
								copy(out[i*stride:], p)
							}
							return out, stride
						}
						fa, sa := flat(as, bc.broadcastA)
						fb, sb := flat(bs, bc.broadcastB)
						fc, sc := flat(cs, false)
						for i := range batch {
							c0s[i] = append([]float32(nil), cs[i]...)
						}
						SgemmBatched(g.transA, g.transB, g.m, g.n, g.k, g.alpha, fa, lda, sa, fb, ldb, sb, g.beta, fc, ldc, sc, batch)
						for i := range batch {
							compareRef(t, g, as[i], lda, bs[i], ldb, c0s[i], fc[i*sc:i*sc+len(cs[i])], ldc)
							for j := i*sc + len(cs[i]); j < (i+1)*sc; j++ {
								if fc[j] != 0 {
									t.Fatalf("%v: batch gap at %d overwritten", g, j)
								}
							}
						}
					}
				}
			})
		})
	}
}

// TestSgemmBadInput checks that malformed calls panic with a message naming
// the problem rather than failing deep inside a loop.
func TestSgemmBadInput(t *testing.T) {
	buf := make([]float32, 100)
	cases := []struct {
		name string
		call func()
		want string
	}{
		{"negative m", func() { Sgemm(false, false, -1, 2, 2, 1, buf, 2, buf, 2, 0, buf, 2) }, "negative dimension"},
		{"lda too small", func() { Sgemm(false, false, 2, 2, 3, 1, buf, 2, buf, 2, 0, buf, 2) }, "lda = 2"},
		{"lda transposed", func() { Sgemm(true, false, 5, 2, 3, 1, buf, 3, buf, 2, 0, buf, 2) }, "lda = 3"},
		{"short B", func() { Sgemm(false, true, 2, 20, 10, 1, buf, 10, buf[:50], 10, 0, buf, 20) }, "B is 20×10"},
		{"short C", func() { Sgemm(false, false, 10, 11, 1, 1, buf, 1, buf, 11, 0, buf, 11) }, "C is 10×11"},
		{"batched strideC 0", func() { SgemmBatched(false, false, 1, 1, 1, 1, buf, 1, 1, buf, 1, 1, 0, buf, 1, 0, 2) }, "strideC = 0"},
		{"batched short A", func() { SgemmBatched(false, false, 2, 2, 2, 1, buf, 2, 40, buf, 2, 0, 0, buf, 2, 4, 4) }, "A is 2×2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %q, want one containing %q", r, tc.want)
				}
			}()
			tc.call()
		})
	}
}

// FuzzSgemm checks Sgemm at a fuzzed level (lvl modulo the levels this
// machine supports: go, avx2, avx512) against the float64 reference on
// fuzzed shapes. The seeds cover the row and column tails of both tiles in
// every layout, with beta = 0 and beta ≠ 0.
func FuzzSgemm(f *testing.F) {
	const goLvl, avx2, avx512 = uint8(simd.Go), uint8(simd.AVX2), uint8(simd.AVX512)
	f.Add(uint8(7), uint8(17), uint8(33), false, true, uint8(1), int64(1), goLvl, float32(1), float32(0))
	f.Add(uint8(65), uint8(3), uint8(129), true, false, uint8(0), int64(2), avx2, float32(-2), float32(0.5))
	// Row tails cut into two narrow tiles (32 = 4·6 + 4 + 4, 7 = 4 + 3).
	f.Add(uint8(32), uint8(40), uint8(64), false, false, uint8(7), int64(3), avx2, float32(1), float32(-0.5))
	f.Add(uint8(7), uint8(16), uint8(9), true, true, uint8(31), int64(4), avx2, float32(0.5), float32(2))
	// The 12×32 and 8×32 tiles: 20 = 12 + 8, 16 = 8 + 8, 13 = 8 + 5, 9 a
	// padded full tile; 33 and 63 columns leave a 1- and a 31-column tail.
	for i, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		f.Add(uint8(20), uint8(33), uint8(40), tr[0], tr[1], uint8(i*6), int64(10+i), avx512, float32(1), float32(0))
		f.Add(uint8(16), uint8(63), uint8(7), tr[0], tr[1], uint8(i*7+1), int64(20+i), avx512, float32(-1.5), float32(0.75))
		f.Add(uint8(13), uint8(32), uint8(129), tr[0], tr[1], uint8(i*11+2), int64(30+i), avx512, float32(0.5), float32(-2))
		f.Add(uint8(9), uint8(96), uint8(1), tr[0], tr[1], uint8(i*13+3), int64(40+i), avx512, float32(2), float32(1))
		// Edge tiles under opmasks: column tails of 15, 16 and 17 (one mask
		// half empty, full or just begun) with row tails of 7 (narrow) and
		// 11 (full tile), beta 0, 1 and another; and a block of more rows
		// than mc (B packed, not read in place) with a 30-column tail.
		f.Add(uint8(7), uint8(47), uint8(20), tr[0], tr[1], uint8(i*5+4), int64(50+i), avx512, float32(1), float32(0))
		f.Add(uint8(11), uint8(48), uint8(33), tr[0], tr[1], uint8(i*9+5), int64(60+i), avx512, float32(1), float32(1))
		f.Add(uint8(23), uint8(17), uint8(5), tr[0], tr[1], uint8(i*3+6), int64(70+i), avx512, float32(-0.25), float32(-1.5))
		f.Add(uint8(200), uint8(62), uint8(3), tr[0], tr[1], uint8(i*17+7), int64(80+i), avx512, float32(1), float32(1))
	}
	// Dot products for a few rows against a transposed B (gemm_dot.go): 2
	// rows (padded to a tile), 5 (the last row tile shifted), 8 with 13
	// columns (the last column tile shifted), 20 at a depth of 500 (more
	// than 8 rows pay only for deeper products), depths not a multiple of
	// 16.
	f.Add(uint8(2), uint8(100), uint8(9), false, true, uint8(31), int64(90), avx512, float32(1), float32(0))
	f.Add(uint8(5), uint8(6), uint8(125), false, true, uint8(62), int64(91), avx512, float32(-0.5), float32(1))
	f.Add(uint8(8), uint8(13), uint8(100), false, true, uint8(93), int64(92), avx512, float32(2), float32(-0.75))
	f.Add(uint8(20), uint8(40), uint8(250), false, true, uint8(124), int64(93), avx512, float32(1), float32(0.5))
	f.Fuzz(func(t *testing.T, m, n, k uint8, transA, transB bool, pad uint8, seed int64, lvl uint8, alpha, beta float32) {
		if math.IsNaN(float64(alpha)) || math.IsInf(float64(alpha), 0) || math.Abs(float64(alpha)) > 1e3 ||
			math.IsNaN(float64(beta)) || math.IsInf(float64(beta), 0) || math.Abs(float64(beta)) > 1e3 {
			t.Skip("alpha/beta outside the range the tolerance is written for")
		}
		levels := simd.Supported()
		defer setLevel(levels[int(lvl)%len(levels)])()
		g := gemmCase{transA: transA, transB: transB, m: int(m), n: int(n), k: int(k) * 2,
			padA: int(pad % 5), padB: int(pad / 5 % 5), padC: int(pad / 25 % 5), alpha: alpha, beta: beta}
		g.check(t, rand.New(rand.NewSource(seed)), Sgemm)
	})
}

// TestSgemmThreads checks the split over goroutines on products large
// enough to be split, by columns (wide C) and by rows (narrow C), against
// the float64 reference, with GOMAXPROCS 3 (pieces of uneven size).
func TestSgemmThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	eachLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(12))
		for _, s := range [][3]int{{200, 301, 300}, {700, 20, 1300}} {
			if s[0]*s[1]*s[2] < 2*gemmGrain {
				t.Fatalf("shape %v is too small to be split", s)
			}
			for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				g := gemmCase{transA: tr[0], transB: tr[1], m: s[0], n: s[1], k: s[2],
					padA: 1, padB: 2, padC: 3, alpha: 1.5, beta: -0.5}
				g.check(t, rng, Sgemm)
			}
		}
	})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("SetThreads(-1) did not panic")
			}
		}()
		SetThreads(-1)
	}()
}

// TestRowTiles checks the partition of a block's rows into full and narrow
// tiles (rowTileHeight) of both tile pairs: every tile has one of the two
// heights, the tiles cover the block, their number fits the packed A buffer
// (⌈mb/mr⌉ panels), lastRowTile agrees, and the bottom rows are cut as the
// doc comment says.
func TestRowTiles(t *testing.T) {
	for _, c := range []struct {
		g    *gemmKernels
		want map[int][]int // block rows → tile heights
	}{
		{gemmAVX2, map[int][]int{
			1: {4}, 4: {4}, 5: {6}, 6: {6}, 7: {4, 4}, 8: {4, 4}, 9: {6, 4}, 11: {6, 6},
			32: {6, 6, 6, 6, 4, 4}, 33: {6, 6, 6, 6, 6, 4},
		}},
		{gemmAVX512, map[int][]int{
			1: {8}, 8: {8}, 9: {12}, 12: {12}, 13: {8, 8}, 16: {8, 8}, 17: {12, 8}, 20: {12, 8},
			21: {12, 12}, 32: {12, 12, 8}, 128: {12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 8},
		}},
	} {
		g := c.g
		for mb := 1; mb <= 2*g.mc; mb++ {
			var heights []int
			ir, tiles := 0, 0
			for ir < mb {
				h := g.rowTileHeight(mb - ir)
				if h != g.mr && h != g.mrNarrow {
					t.Fatalf("%d×%d: mb=%d: tile height %d", g.mr, g.nr, mb, h)
				}
				if lir, lt, lh := g.lastRowTile(mb); ir+h >= mb && (lir != ir || lt != tiles || lh != h) {
					t.Fatalf("%d×%d: mb=%d: lastRowTile = (%d, %d, %d), want (%d, %d, %d)", g.mr, g.nr, mb, lir, lt, lh, ir, tiles, h)
				}
				heights = append(heights, h)
				ir += h
				tiles++
			}
			if tiles > (mb+g.mr-1)/g.mr {
				t.Fatalf("%d×%d: mb=%d: %d tiles, more than the %d panels of the A buffer", g.mr, g.nr, mb, tiles, (mb+g.mr-1)/g.mr)
			}
			if w, ok := c.want[mb]; ok && fmt.Sprint(w) != fmt.Sprint(heights) {
				t.Errorf("%d×%d: mb=%d: tile heights %v, want %v", g.mr, g.nr, mb, heights, w)
			}
		}
	}
}

// TestSgemmRowTails runs the blocked paths on every row count whose bottom
// rows take a different cut (m mod mr = 0…mr-1, below and above one tile,
// and across the mc block boundary, where the second block has its own
// tail), in the four layouts, with beta = 0 and beta ≠ 0, with full and
// partial column tiles, at every level.
func TestSgemmRowTails(t *testing.T) {
	for _, path := range paths {
		if path.name == "small" {
			continue
		}
		t.Run(path.name, func(t *testing.T) {
			eachLevel(t, func(t *testing.T) {
				g := gemmFor()
				var ms []int
				for m := 1; m <= 2*g.mr+g.mrNarrow; m++ {
					ms = append(ms, m)
				}
				ms = append(ms, 32, 33, 34, 35)
				for d := 1; d <= g.mr+2; d++ {
					ms = append(ms, g.mc+d)
				}
				rng := rand.New(rand.NewSource(13))
				for _, m := range ms {
					for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
						for _, beta := range []float32{0, 1, -0.75} {
							c := gemmCase{transA: tr[0], transB: tr[1], m: m, n: 2*g.nr + 5, k: 19,
								padA: rng.Intn(3), padB: rng.Intn(3), padC: rng.Intn(3), alpha: 1.25, beta: beta}
							c.check(t, rng, path.gemm)
						}
					}
				}
			})
		})
	}
}

// TestSgemmColumnTails runs the blocked paths on every column count of one
// and two tiles (n = 1…2·nr+1), so that each width of partial panel at the
// right edge is computed (at AVX-512, by the edge kernels under opmasks; at
// the other levels packed and merged), in the four layouts, with beta 0, 1
// and another, on row counts whose last tile is partial too, and on more
// rows than one block (m > mc), where a row-major B is packed instead of
// read in place.
func TestSgemmColumnTails(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		rng := rand.New(rand.NewSource(14))
		for _, m := range []int{g.mr + g.mrNarrow + 1, g.mrNarrow - 1, g.mc + g.mr - 1} {
			for n := 1; n <= 2*g.nr+1; n++ {
				if m > g.mc && n%5 != 0 && n%g.nr != g.nr-1 {
					continue // a sample of the widths on the larger product
				}
				for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
					for _, beta := range []float32{0, 1, 1.5} {
						c := gemmCase{transA: tr[0], transB: tr[1], m: m, n: n, k: 21,
							padA: rng.Intn(3), padB: rng.Intn(3), padC: rng.Intn(3), alpha: -0.5, beta: beta}
						c.check(t, rng, guard(sgemmBlocked))
					}
				}
			}
		}
	})
}

// TestSgemmEdgeTilesBitIdentical checks that an element of C gets the same
// bits whether its tile is full or partial: the product of the first m rows
// of op(A) and the first n columns of op(B) must equal, bit for bit, the top
// left m×n of the product on whole tiles (the next multiples of the tile
// that cover it), for every row tail of both tile heights and every column
// tail, in the four layouts, at every level. The sums along k run in the
// same order in both; only how a partial tile reaches C differs (edge
// kernels under opmasks at AVX-512, a scratch tile and a merge elsewhere,
// which round beta·C apart from the sum, so the other levels are held to
// it only for beta = 0 and 1, the ones autograd uses). (One row of a
// row-major A takes the direct path of gemm_row.go, hence m ≥ 2.)
func TestSgemmEdgeTilesBitIdentical(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		betas := []float32{0, 1}
		if g.fullEdge != nil {
			betas = append(betas, -0.75)
		}
		const k = 37
		rng := rand.New(rand.NewSource(15))
		for _, m := range []int{2, g.mrNarrow - 1, g.mrNarrow + 1, g.mr - 1, g.mr + g.mrNarrow - 1, 2*g.mr + 1} {
			for n := 1; n < 2*g.nr; n++ {
				if n%g.nr == 0 {
					continue
				}
				// The whole tiles covering m×n: rows cut by rowTileHeight
				// into full tiles only, columns a multiple of nr.
				M, N := roundUp(m, g.mr), roundUp(n, g.nr)
				for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
					for _, beta := range betas {
						// op(A) is M×k, op(B) k×N, C M×N, each as stored with
						// its own stride; the small product reads their top
						// left corners through the same strides.
						lda, ar := k, M
						if tr[0] {
							lda, ar = M, k
						}
						ldb, br := N, k
						if tr[1] {
							ldb, br = k, N
						}
						a, b := randSlice(rng, ar*lda), randSlice(rng, br*ldb)
						whole := randSlice(rng, M*N)
						part := append([]float32(nil), whole...)
						alpha := float32(1.25)
						// The blocked loops' tiles, whatever path sgemmBlocked
						// would take for so few rows (gemm_row.go, gemm_dot.go).
						sgemmBlockedLoops(g, tr[0], tr[1], M, N, k, alpha, a, lda, b, ldb, beta, whole, N)
						sgemmBlockedLoops(g, tr[0], tr[1], m, n, k, alpha, a, lda, b, ldb, beta, part, N)
						for i := 0; i < m; i++ {
							for j := 0; j < n; j++ {
								if w, p := whole[i*N+j], part[i*N+j]; math.Float32bits(w) != math.Float32bits(p) {
									t.Fatalf("tA=%v tB=%v m=%d n=%d beta=%g: C[%d][%d] = %g in a partial tile, %g in a whole one",
										tr[0], tr[1], m, n, beta, i, j, p, w)
								}
							}
						}
					}
				}
			}
		}
	})
}

// TestSgemmTransposedABitIdentical checks that a transposed A gives the bits
// of the same matrix stored untransposed: the assembly levels read both in
// place (a transposed A's 12 or 6 elements per step of k are contiguous), the
// Go level packs both into the same panels, and a bottom tile short of its
// kernel's height is shifted up or packed alike. The shapes cross kc and mc
// and end in row tails of every kind.
func TestSgemmTransposedABitIdentical(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		rng := rand.New(rand.NewSource(16))
		for _, s := range [][3]int{ // m, n, k
			{g.mc + g.mr + 3, 2*g.nr + 5, g.kc + 9},
			{g.mrNarrow - 1, g.nr, 40},
			{g.mr + 1, 3*g.nr - 1, 2*g.kc + 1},
			{2 * g.mr, g.nr + 7, 1},
		} {
			m, n, k := s[0], s[1], s[2]
			at := randSlice(rng, k*(m+3)) // op(A) = Atᵀ, stored k×m with lda m+3
			a := make([]float32, m*(k+1)) // the same op(A), stored m×k with lda k+1
			for i := 0; i < m; i++ {
				for p := 0; p < k; p++ {
					a[i*(k+1)+p] = at[p*(m+3)+i]
				}
			}
			for _, transB := range []bool{false, true} {
				ldb := n
				if transB {
					ldb = k
				}
				b := randSlice(rng, k*n+n*k)
				c0 := randSlice(rng, m*n)
				want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
				// The blocked loops, which read both layouts of A; a few rows
				// of a plain A against a transposed B may take dot products
				// (gemm_dot.go), which sum in another order.
				sgemmBlockedLoops(g, false, transB, m, n, k, 0.5, a, k+1, b, ldb, 1, want, n)
				sgemmBlockedLoops(g, true, transB, m, n, k, 0.5, at, m+3, b, ldb, 1, got, n)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("m=%d n=%d k=%d transB=%v: C[%d] = %g from a transposed A, %g from the same A untransposed", m, n, k, transB, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestSgemmStalePackBuffers checks that no product depends on what its
// packing buffers held before, that is, that packing writes every element
// of a panel the kernels use: at AVX-512 a partial panel of B is not padded
// (the edge kernels read only its columns); elsewhere the padding is zero,
// but lands only in columns and rows of the scratch tile that are never
// merged into C. The pools get buffers full of NaN before each product with
// row and column tails, in the four layouts. (The blocked path runs on this
// goroutine, so it takes the buffers just put in the pools.)
func TestSgemmStalePackBuffers(t *testing.T) {
	eachLevel(t, func(t *testing.T) {
		g := gemmFor()
		rng := rand.New(rand.NewSource(16))
		for _, s := range [][3]int{{g.mr + 3, g.nr + 5, 40}, {2*g.mrNarrow + 1, 3*g.nr - 1, g.kc + 44}, {g.mc + 5, g.nr + 1, 17}} {
			for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				for which := range packPools {
					stale := make([]float32, 1<<19)
					for i := range stale {
						stale[i] = float32(math.NaN())
					}
					packPools[which].Put(&stale)
				}
				c := gemmCase{transA: tr[0], transB: tr[1], m: s[0], n: s[1], k: s[2],
					padA: 1, padB: 2, padC: 1, alpha: 1, beta: 1}
				c.check(t, rng, guard(sgemmBlocked))
			}
		}
	})
}
