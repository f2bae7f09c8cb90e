package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReplaceDir checks the folder swap: the folder is 0755 like
// its files (not MkdirTemp's 0700), and a failed save keeps the previous
// checkpoint and leaves no temporary folder.
func TestReplaceDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ckpt")
	write := func(content string) func(string) error {
		return func(d string) error {
			return os.WriteFile(filepath.Join(d, "model.txt"), []byte(content), 0o644)
		}
	}
	if err := ReplaceDir(dir, write("first")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("checkpoint folder: %v %v, want mode 0755", st.Mode(), err)
	}
	boom := errors.New("disk full")
	if err := ReplaceDir(dir, func(d string) error {
		write("half")(d)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failed save returned %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "model.txt")); err != nil || string(got) != "first" {
		t.Fatalf("previous checkpoint now %q (%v)", got, err)
	}
	if err := ReplaceDir(dir, write("second")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "model.txt")); string(got) != "second" {
		t.Fatalf("checkpoint now %q, want second", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Fatalf("folders left beside the checkpoint: %v", entries)
	}
}
