package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir, to check that no temporary file is left.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// mode returns the permission bits of the file at path.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestWriteFileCreatesWithMode0644(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	if err := WriteFile(path, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{}\n" {
		t.Errorf("content %q", got)
	}
	if m := mode(t, path); m != Mode {
		t.Errorf("new file has mode %v, want %v", m, Mode)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only config.json", names)
	}
}

func TestWriteReplacesAndSetsMode0644(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "weights.bin")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Write(path, func(w io.Writer) error {
		for i := 0; i < 3; i++ {
			if _, err := io.WriteString(w, "new"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "newnewnew" {
		t.Errorf("content %q", got)
	}
	if m := mode(t, path); m != Mode {
		t.Errorf("replaced file has mode %v, want %v", m, Mode)
	}
}

// checkUntouched asserts the old file still holds old and nothing else is in dir.
func checkUntouched(t *testing.T, dir, path, old string) {
	t.Helper()
	if got, err := os.ReadFile(path); err != nil || string(got) != old {
		t.Errorf("old file now %q (%v), want %q", got, err, old)
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != filepath.Base(path) {
		t.Errorf("folder holds %v, want only %s (no temporary file)", names, filepath.Base(path))
	}
}

func TestFailedWriterLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vocab.txt")
	os.WriteFile(path, []byte("old"), 0o644)
	boom := errors.New("encoder failed")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half of the new")
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want one wrapping %v and naming %s", err, boom, path)
	}
	checkUntouched(t, dir, path, "old")
}

func TestFailedRenameLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	// A non-empty folder at path: everything works up to the rename.
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("data")); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want a rename failure naming %s", err, path)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only the folder in the way", names)
	}
}

func TestMissingFolderIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "config.json")
	if err := WriteFile(path, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want one naming %s", err, path)
	}
}

func TestReadOnlyFolderLeavesOldFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders; the failed-writer and failed-rename tests cover cleanup")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "plot.png")
	os.WriteFile(path, []byte("old"), 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if err := WriteFile(path, bytes.Repeat([]byte("x"), 10)); err == nil {
		t.Fatal("writing into a read-only folder succeeded")
	}
	checkUntouched(t, dir, path, "old")
}

func TestSyncDir(t *testing.T) {
	if err := SyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := SyncDir(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Fatal("syncing a missing folder succeeded")
	}
}
