package kernels

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/turinglab/turinglab/internal/simd"
)

// Which cache blocks the GEMM uses on this machine.
//
// Two of the three cache blocks of gemm_blocks.go, mc (rows of A per packed
// block) and nc (columns of B per packed block), are measured per machine
// rather than read from the cache sizes the CPU reports: a virtual machine
// reports what its host chose to say, and how well a block size works
// depends on the caches' bandwidth and on the memory behind them as much as
// on their size. On the AMD EPYC (Zen 5) VM these kernels were tuned on,
// an nc of 4096 (the built-in value until then) made the 1024×768×3072
// product of BERT-base's feed-forward layer ~9 % slower than an nc of 512,
// which keeps the packed block of B in L2.
//
// kc, the depth of a block, is not calibrated: it decides where the sum over
// k is cut into partial sums that are added to C, so another kc would change
// results in their last bits. mc and nc only decide which tiles of C are
// computed when, never how an element is summed, so every choice gives the
// same bits (TestBlocksBitIdentical) and the choice can be left to a
// measurement without making results depend on the machine's load. Only
// BlocksEnvVar can set another kc, for measuring what it would change (a CPU
// whose L1 is smaller than the 32 KiB micro-panel of B at kc 256, say).
//
// The choice is made once per level and process, at the first product of
// that level (the portable Go level keeps its built-in blocks):
//
//  1. BlocksEnvVar, when set: "default" for the built-in blocks, or "mc,nc"
//     (for instance "192,512") or "mc,nc,kc" to force them;
//  2. else the cache file (gemm_blocks_cache.go), when it has an entry for
//     this CPU model and level;
//  3. else a short calibration (gemm_calibrate.go, about half a second at
//     the AVX-512 level), whose result is written to the cache file.
//
// A cache file that cannot be read or parsed is ignored and rewritten, and
// the choice's Note says so; nothing here fails a product.

// BlocksEnvVar is the environment variable that skips the calibration:
// "default" for the built-in blocks, "mc,nc" to force two values (mc a
// multiple of the tile's rows, nc of its columns), or "mc,nc,kc" to force
// the depth of a block as well. A forced kc changes results in their last
// bits; it is for benchmarks, not for training runs that must reproduce.
const BlocksEnvVar = "TURINGLAB_GEMM_BLOCKS"

// BlocksSource says where the cache blocks in use come from.
type BlocksSource int

// The sources of a BlocksChoice.
const (
	// BlocksBuiltIn are gemm_blocks.go's values: at the Go level, or when
	// BlocksEnvVar is "default" or cannot be read.
	BlocksBuiltIn BlocksSource = iota
	// BlocksForced are BlocksEnvVar's values.
	BlocksForced
	// BlocksCached were read from the cache file.
	BlocksCached
	// BlocksMeasured were measured by this process.
	BlocksMeasured
)

// String names the source as BlocksChoice.String prints it.
func (s BlocksSource) String() string {
	switch s {
	case BlocksBuiltIn:
		return "built in"
	case BlocksForced:
		return BlocksEnvVar
	case BlocksCached:
		return "cached"
	case BlocksMeasured:
		return "measured"
	}
	return fmt.Sprintf("kernels.BlocksSource(%d)", int(s))
}

// BlocksChoice is the cache blocks one level's GEMM uses and how they were
// chosen.
type BlocksChoice struct {
	// Level is the instruction-set level the blocks are for.
	Level simd.Level
	// MC and NC are the rows of A and the columns of B per packed block; KC
	// is the depth of a block, fixed per level unless BlocksEnvVar forces it.
	MC, NC, KC int
	// Source says where MC and NC (and a forced KC) come from.
	Source BlocksSource
	// Path is the cache file read or written, if any.
	Path string
	// Note explains what was not used as asked (a cache file that could not
	// be read or written, an unreadable BlocksEnvVar); empty otherwise.
	Note string
}

// String describes the choice in one line, as the benchmarks print it.
func (c BlocksChoice) String() string {
	s := fmt.Sprintf("%s: mc %d, nc %d, kc %d (%s", c.Level, c.MC, c.NC, c.KC, c.Source)
	if c.Path != "" {
		s += ", " + c.Path
	}
	s += ")"
	if c.Note != "" {
		s += ": " + c.Note
	}
	return s
}

// GemmBlocks returns the cache blocks of the level in use, choosing them
// first if no product has run at that level yet.
func GemmBlocks() BlocksChoice {
	tunedKernels(level)
	return tuned[level].choice
}

// tuned holds, per level, the implementation with the chosen blocks.
var tuned [simd.AVX512 + 1]struct {
	once   sync.Once
	g      *gemmKernels
	choice BlocksChoice
}

// tunedKernels returns level l's implementation with the cache blocks
// chosen for this machine, choosing them on the first call.
func tunedKernels(l simd.Level) *gemmKernels {
	t := &tuned[l]
	t.once.Do(func() {
		t.choice = chooseBlocks(l, os.Getenv(BlocksEnvVar), blocksCachePath)
		g := *gemmForLevel(l)
		g.mc, g.nc, g.kc = t.choice.MC, t.choice.NC, t.choice.KC
		t.g = &g
	})
	return t.g
}

// chooseBlocks applies the steps of the comment above for level l: env is
// BlocksEnvVar's value, cachePath the function that names the cache file.
func chooseBlocks(l simd.Level, env string, cachePath func() (string, error)) BlocksChoice {
	base := gemmForLevel(l)
	c := BlocksChoice{Level: l, MC: base.mc, NC: base.nc, KC: base.kc, Source: BlocksBuiltIn}
	if l < simd.AVX2 {
		return c
	}
	switch env = strings.TrimSpace(env); {
	case strings.EqualFold(env, "default"):
		return c
	case env != "":
		mc, nc, kc, err := parseBlocks(env, base)
		if err != nil {
			c.Note = err.Error() + "; using the built-in blocks"
			return c
		}
		c.MC, c.NC, c.KC, c.Source = mc, nc, kc, BlocksForced
		return c
	}
	path, err := cachePath()
	if err != nil {
		c.Note = fmt.Sprintf("no cache folder (%v): measured, not saved", err)
	} else {
		c.Path = path
		entry, note := lookupBlocks(path, cpuModel(), l, base)
		if note == "" && entry != nil {
			c.MC, c.NC, c.Source = entry.MC, entry.NC, BlocksCached
			return c
		}
		c.Note = note
	}
	c.MC, c.NC = calibrateBlocks(base)
	c.Source = BlocksMeasured
	if c.Path != "" {
		if err := saveBlocks(c.Path, cpuModel(), l, c.MC, c.NC); err != nil {
			c.Note = joinNotes(c.Note, fmt.Sprintf("not saved: %v", err))
		}
	}
	return c
}

// parseBlocks reads BlocksEnvVar's "mc,nc" or "mc,nc,kc" for the
// implementation base; kc is base's when not given.
func parseBlocks(s string, base *gemmKernels) (mc, nc, kc int, err error) {
	f := strings.Split(s, ",")
	v := make([]int, len(f))
	for i := range f {
		if err == nil {
			v[i], err = strconv.Atoi(strings.TrimSpace(f[i]))
		}
	}
	if (len(f) != 2 && len(f) != 3) || err != nil {
		return 0, 0, 0, fmt.Errorf("%s=%q: want \"default\", \"mc,nc\" or \"mc,nc,kc\" (integers)", BlocksEnvVar, s)
	}
	mc, nc, kc = v[0], v[1], base.kc
	if len(f) == 3 {
		kc = v[2]
	}
	if err := checkBlocks(mc, nc, kc, base); err != nil {
		return 0, 0, 0, fmt.Errorf("%s=%q: %v", BlocksEnvVar, s, err)
	}
	return mc, nc, kc, nil
}

// checkBlocks says why mc, nc and kc cannot be the blocks of base, or nil:
// mc and nc must be positive multiples of the register tile's side (mr for
// mc, nr for nc), and at most 2^16 so that a packed block stays a few MiB;
// kc from 8 to 4096, so that a micro-panel stays within L2.
func checkBlocks(mc, nc, kc int, base *gemmKernels) error {
	const most = 1 << 16
	if kc < 8 || kc > 4096 {
		return fmt.Errorf("kc = %d, want 8 to 4096", kc)
	}
	if mc <= 0 || mc%base.mr != 0 || mc > most {
		return fmt.Errorf("mc = %d, want a multiple of %d from %d to %d", mc, base.mr, base.mr, most)
	}
	if nc <= 0 || nc%base.nr != 0 || nc > most {
		return fmt.Errorf("nc = %d, want a multiple of %d from %d to %d", nc, base.nr, base.nr, most)
	}
	return nil
}

// joinNotes joins two notes with "; ", skipping empty ones.
func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}
