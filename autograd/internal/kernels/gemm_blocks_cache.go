package kernels

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/turinglab/turinglab/internal/atomicfile"
	"github.com/turinglab/turinglab/internal/simd"
)

// The cache of calibrated blocks: one JSON file in the user's cache folder
// ($XDG_CACHE_HOME or ~/.cache on Linux), one entry per CPU model and level:
//
//	{"format": 1, "entries": [
//	  {"cpu": "AMD EPYC", "level": "avx512", "mc": 192, "nc": 512}]}
//
// Delete the file (or one entry) to measure again, for instance after the
// virtual machine moved to another host with the same model name.

// blocksCacheFormat is the file's format number; a file of another format
// is ignored and rewritten.
const blocksCacheFormat = 1

// blocksCache is the cache file's content.
type blocksCache struct {
	Format  int           `json:"format"`
	Entries []blocksEntry `json:"entries"`
}

// blocksEntry is the blocks measured for one CPU model at one level.
type blocksEntry struct {
	CPU   string `json:"cpu"`
	Level string `json:"level"`
	MC    int    `json:"mc"`
	NC    int    `json:"nc"`
}

// blocksCachePath names the cache file under os.UserCacheDir.
func blocksCachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "turinglab", "gemm-blocks.json"), nil
}

// readBlocksCache reads the cache file at path: an empty cache when there is
// no file, an error naming the file when it cannot be read or is not a cache
// of this format.
func readBlocksCache(path string) (blocksCache, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return blocksCache{Format: blocksCacheFormat}, nil
	}
	if err != nil {
		return blocksCache{}, err
	}
	var c blocksCache
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return blocksCache{}, fmt.Errorf("%s: not a blocks cache: %v", path, err)
	}
	if c.Format != blocksCacheFormat {
		return blocksCache{}, fmt.Errorf("%s: format %d, want %d", path, c.Format, blocksCacheFormat)
	}
	return c, nil
}

// lookupBlocks returns the entry of the cache file at path for this CPU
// model and level, nil when there is none. A file that cannot be read or
// parsed, or an entry whose values base cannot use, gives a note saying
// that it is ignored, and no entry.
func lookupBlocks(path, cpu string, l simd.Level, base *gemmKernels) (*blocksEntry, string) {
	c, err := readBlocksCache(path)
	if err != nil {
		return nil, fmt.Sprintf("ignored the cache (%v)", err)
	}
	for i, e := range c.Entries {
		if e.CPU != cpu || e.Level != l.String() {
			continue
		}
		if err := checkBlocks(e.MC, e.NC, base.kc, base); err != nil {
			return nil, fmt.Sprintf("ignored entry %d of %s (%v)", i, path, err)
		}
		return &c.Entries[i], ""
	}
	return nil, ""
}

// saveBlocksMu keeps two levels calibrated at once in one process from
// losing one of their entries.
var saveBlocksMu sync.Mutex

// saveBlocks records mc and nc for this CPU model and level in the cache
// file at path, keeping the other entries of a readable file, replacing an
// unreadable one, and writing atomically (a process reading it meanwhile
// sees the old file or the new one).
func saveBlocks(path, cpu string, l simd.Level, mc, nc int) error {
	saveBlocksMu.Lock()
	defer saveBlocksMu.Unlock()
	c, err := readBlocksCache(path)
	if err != nil {
		c = blocksCache{Format: blocksCacheFormat}
	}
	e := blocksEntry{CPU: cpu, Level: l.String(), MC: mc, NC: nc}
	kept := c.Entries[:0]
	for _, old := range c.Entries {
		if old.CPU != cpu || old.Level != e.Level {
			kept = append(kept, old)
		}
	}
	c.Entries = append(kept, e)
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(data, '\n'))
}

// cpuModel names this CPU for the cache: the first "model name" of
// /proc/cpuinfo on Linux, else the architecture.
var cpuModel = sync.OnceValue(func() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			if v := strings.TrimSpace(val); v != "" {
				return v
			}
		}
	}
	return runtime.GOARCH
})
