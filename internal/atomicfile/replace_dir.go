package atomicfile

import (
	"os"
	"path/filepath"
)

// ReplaceDir has save write a fresh folder beside dir and then swaps it in,
// so a crash or a failed save never leaves a half-written checkpoint where
// the previous good one was. The files inside are written by save (each
// atomically, through WriteFile or Write); the swap itself takes the same
// steps as a file's: sync the new folder, rename, sync the parent. The new
// folder is 0755, like its files are 0644.
func ReplaceDir(dir string, save func(tmp string) error) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	// MkdirTemp makes the folder 0700; a checkpoint is as readable as its files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := save(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := SyncDir(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			os.RemoveAll(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	if err := SyncDir(parent); err != nil {
		return err
	}
	return os.RemoveAll(old)
}
