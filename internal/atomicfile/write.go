package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission every written file gets: readable by all, writable
// by its owner.
const Mode os.FileMode = 0o644

// WriteFile replaces the file at path with data, atomically (see the package
// doc for the steps). Errors name path.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write replaces the file at path with what write writes, atomically: write
// streams into a temporary file beside path, which is renamed over path only
// if write and every following step succeed. If anything fails, the old file
// is untouched, the temporary file is removed, and the error names path.
// Use it for content too large to build in memory first (weights files).
func Write(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: cannot write in directory %s: %w", path, dir, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			tmp.Close() // a second Close after a failed step only returns an error
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(Mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	renamed = true
	if err := SyncDir(dir); err != nil {
		return fmt.Errorf("writing %s: the file is in place but %w", path, err)
	}
	return nil
}
