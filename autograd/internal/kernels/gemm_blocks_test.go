package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/turinglab/turinglab/internal/simd"
)

// asmLevels returns the levels of this machine whose blocks are calibrated.
func asmLevels() []simd.Level {
	var ls []simd.Level
	for _, l := range simd.Supported() {
		if l >= simd.AVX2 {
			ls = append(ls, l)
		}
	}
	return ls
}

// TestBlocksBitIdentical checks the premise of calibrating mc and nc: every
// candidate gives the built-in blocks' results bit for bit, on products
// larger than the largest candidate blocks in both directions, with edges,
// in the four layouts, with beta 0 and 1, and deeper than kc.
func TestBlocksBitIdentical(t *testing.T) {
	levels := asmLevels()
	if len(levels) == 0 {
		t.Skip("no assembly level on this machine: the Go level keeps its built-in blocks")
	}
	rng := rand.New(rand.NewSource(7))
	for _, l := range levels {
		base := gemmForLevel(l)
		for _, tc := range []gemmCase{
			{false, true, 2*base.mc + 13, 1100, 300, 0, 0, 3, 1, 0},
			{false, false, 2*base.mc + 13, 1100, 300, 1, 2, 0, 1, 1},
			{true, false, 2*base.mc + 5, 1030, 270, 0, 0, 0, 1, 0},
			{true, true, 2*base.mc + 5, 1030, 270, 0, 1, 0, 1, 1},
		} {
			a, lda, b, ldb, c0, ldc := tc.operands(rng)
			want := append([]float32(nil), c0...)
			sgemmBlockedWith(base, tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
			for _, cand := range calibrationCandidates(base) {
				g := *base
				g.mc, g.nc = cand[0], cand[1]
				got := append([]float32(nil), c0...)
				sgemmBlockedWith(&g, tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v, %v, mc %d nc %d: C[%d] = %v, built-in blocks give %v", l, tc, g.mc, g.nc, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestForcedKC checks products with a kc forced through BlocksEnvVar, smaller
// than the built-in one and not a multiple of anything, against the float64
// reference: more k-slices accumulate into C, each tile's edges included.
func TestForcedKC(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for _, l := range asmLevels() {
		base := gemmForLevel(l)
		c := chooseBlocks(l, fmt.Sprintf("%d,%d,37", base.mc, 2*base.nr), func() (string, error) { return "", nil })
		g := *base
		g.mc, g.nc, g.kc = c.MC, c.NC, c.KC
		if g.kc != 37 {
			t.Fatalf("%v: %v, want kc 37", l, c)
		}
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			tc := gemmCase{transA: tr[0], transB: tr[1], m: base.mc + base.mr + 3, n: 5*base.nr + 7, k: 3*37 + 11,
				padA: 1, padB: 2, padC: 3, alpha: 0.5, beta: 2}
			tc.check(t, rng, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cc []float32, ldc int) {
				sgemmBlockedWith(&g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
			})
		}
	}
}

// TestCalibrationCandidates checks that every candidate is usable and that
// the built-in blocks come first (pickBlocks falls back to them).
func TestCalibrationCandidates(t *testing.T) {
	for _, l := range simd.Supported() {
		base := gemmForLevel(l)
		cands := calibrationCandidates(base)
		if cands[0] != [2]int{base.mc, base.nc} {
			t.Errorf("%v: first candidate %v, want the built-in %d,%d", l, cands[0], base.mc, base.nc)
		}
		if len(cands) < 4 {
			t.Errorf("%v: only %d candidates", l, len(cands))
		}
		for _, c := range cands {
			if err := checkBlocks(c[0], c[1], base.kc, base); err != nil {
				t.Errorf("%v: candidate %v: %v", l, c, err)
			}
		}
	}
}

// TestPickBlocksMargin checks that noise does not move the blocks: a
// candidate replaces the built-in ones only when clearly faster.
func TestPickBlocksMargin(t *testing.T) {
	cands := [][2]int{{192, 4096}, {96, 512}, {192, 512}}
	ms := time.Millisecond
	if mc, nc := pickBlocks(cands, []time.Duration{100 * ms, 99 * ms, 101 * ms}); mc != 192 || nc != 4096 {
		t.Errorf("1 %% faster: picked %d,%d, want the built-in 192,4096", mc, nc)
	}
	if mc, nc := pickBlocks(cands, []time.Duration{100 * ms, 95 * ms, 90 * ms}); mc != 192 || nc != 512 {
		t.Errorf("10 %% faster: picked %d,%d, want 192,512", mc, nc)
	}
}

// TestBlocksEnvVar checks BlocksEnvVar's values at the AVX2 level: default,
// forced, and unreadable ones, which fall back to the built-in blocks with
// a note.
func TestBlocksEnvVar(t *testing.T) {
	noCache := func() (string, error) { t.Fatal("the cache was consulted"); return "", nil }
	base := gemmForLevel(simd.AVX2)
	if c := chooseBlocks(simd.AVX2, "default", noCache); c.Source != BlocksBuiltIn || c.MC != base.mc || c.NC != base.nc || c.Note != "" {
		t.Errorf("default: %v", c)
	}
	if c := chooseBlocks(simd.AVX2, " 84, 512 ", noCache); c.Source != BlocksForced || c.MC != 84 || c.NC != 512 {
		t.Errorf("84,512: %v", c)
	}
	if c := chooseBlocks(simd.AVX2, "84,512,96", noCache); c.Source != BlocksForced || c.MC != 84 || c.NC != 512 || c.KC != 96 {
		t.Errorf("84,512,96: %v", c)
	}
	if c := chooseBlocks(simd.AVX2, "84,512", noCache); c.KC != base.kc {
		t.Errorf("84,512: kc %d, want the built-in %d", c.KC, base.kc)
	}
	for _, bad := range []string{"7,512", "84,500", "84", "big,512", "0,512", "84,512,4", "84,512,5000", "84,512,x", "84,512,96,1"} {
		c := chooseBlocks(simd.AVX2, bad, noCache)
		if c.Source != BlocksBuiltIn || c.MC != base.mc || !strings.Contains(c.Note, BlocksEnvVar) {
			t.Errorf("%q: %v, want the built-in blocks with a note naming %s", bad, c, BlocksEnvVar)
		}
	}
	if c := chooseBlocks(simd.Go, "84,512", noCache); c.Source != BlocksBuiltIn || c.MC != gemmGo.mc {
		t.Errorf("go level: %v, want its built-in blocks", c)
	}
}

// TestBlocksCacheRoundTrip checks that saved blocks are found again, per
// CPU model and level, and that saving one entry keeps the others.
func TestBlocksCacheRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "gemm-blocks.json")
	base := gemmForLevel(simd.AVX2)
	if e, note := lookupBlocks(path, "cpu A", simd.AVX2, base); e != nil || note != "" {
		t.Fatalf("no file: entry %v, note %q; want neither", e, note)
	}
	for _, s := range []struct {
		cpu    string
		l      simd.Level
		mc, nc int
	}{{"cpu A", simd.AVX2, 84, 512}, {"cpu B", simd.AVX2, 336, 1024}, {"cpu A", simd.AVX512, 96, 512}, {"cpu A", simd.AVX2, 168, 1024}} {
		if err := saveBlocks(path, s.cpu, s.l, s.mc, s.nc); err != nil {
			t.Fatal(err)
		}
	}
	c, err := readBlocksCache(path)
	if err != nil || len(c.Entries) != 3 {
		t.Fatalf("cache %+v, err %v: want 3 entries", c, err)
	}
	if e, note := lookupBlocks(path, "cpu A", simd.AVX2, base); e == nil || e.MC != 168 || e.NC != 1024 || note != "" {
		t.Errorf("cpu A avx2: %+v, note %q; want the later entry 168,1024", e, note)
	}
	if e, _ := lookupBlocks(path, "cpu C", simd.AVX2, base); e != nil {
		t.Errorf("cpu C: %+v, want no entry", e)
	}
}

// TestBlocksCacheCorrupt checks that a corrupt cache file or entry is
// ignored with a note naming the file, and that the file is then replaced
// by a good one.
func TestBlocksCacheCorrupt(t *testing.T) {
	dir := t.TempDir()
	base := gemmForLevel(simd.AVX2)
	for name, content := range map[string]string{
		"truncated":  `{"format": 1, "entries": [{"cpu": "x"`,
		"not json":   "mc=192\n",
		"format":     `{"format": 7, "entries": []}`,
		"bad entry":  `{"format": 1, "entries": [{"cpu": "cpu A", "level": "avx2", "mc": 7, "nc": 512}]}`,
		"wrong type": `{"format": 1, "entries": [{"cpu": "cpu A", "level": "avx2", "mc": "84", "nc": 512}]}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		e, note := lookupBlocks(path, "cpu A", simd.AVX2, base)
		if e != nil || !strings.Contains(note, "ignored") || !strings.Contains(note, path) {
			t.Errorf("%s: entry %+v, note %q; want none and a note naming %s", name, e, note, path)
		}
		if err := saveBlocks(path, "cpu A", simd.AVX2, 84, 512); err != nil {
			t.Fatal(err)
		}
		if e, note := lookupBlocks(path, "cpu A", simd.AVX2, base); e == nil || e.MC != 84 || note != "" {
			t.Errorf("%s, after saving: %+v, note %q", name, e, note)
		}
	}
}

// TestChooseBlocksCorruptCache runs the whole choice against a corrupt
// cache file: it calibrates, says in the note that the file was ignored,
// and leaves a readable file with the measured blocks.
func TestChooseBlocksCorruptCache(t *testing.T) {
	levels := asmLevels()
	if len(levels) == 0 || testing.Short() {
		t.Skip("calibrates once (about half a second)")
	}
	l := levels[len(levels)-1]
	path := filepath.Join(t.TempDir(), "gemm-blocks.json")
	if err := os.WriteFile(path, []byte("\x00\x01garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := chooseBlocks(l, "", func() (string, error) { return path, nil })
	if c.Source != BlocksMeasured || !strings.Contains(c.Note, "ignored the cache") || c.Path != path {
		t.Fatalf("%v: want measured blocks and a note that %s was ignored", c, path)
	}
	if e, note := lookupBlocks(path, cpuModel(), l, gemmForLevel(l)); e == nil || e.MC != c.MC || e.NC != c.NC || note != "" {
		t.Errorf("cache after calibrating: %+v, note %q; want mc %d nc %d", e, note, c.MC, c.NC)
	}
	again := chooseBlocks(l, "", func() (string, error) { return path, nil })
	if again.Source != BlocksCached || again.MC != c.MC || again.NC != c.NC || again.Note != "" {
		t.Errorf("second choice: %v, want the cached %d,%d", again, c.MC, c.NC)
	}
}
