package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// SyncDir fsyncs the folder dir, so that the renames, creations and removals
// of entries in it survive a crash (fsyncing a file makes its bytes durable,
// not its name). Use it after renaming something into dir yourself, as the
// trainer does when it swaps checkpoint folders. File systems that cannot
// sync a folder (they answer EINVAL) are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("cannot sync folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("cannot sync folder %s: %w", dir, err)
	}
	return nil
}
