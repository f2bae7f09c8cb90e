// Package testref finds the shared reference data that the parity tests
// compare against, the same way in every package: the folder named by the
// environment variable TURINGLAB_BERT_REF, or ../shared/testdata/bert-ref-small
// beside the repository root (shared/ is a sibling of the clone, in CI too).
package testref

import (
	"os"
	"path/filepath"
	"testing"
)

// BertRefDir returns the bert-ref-small reference folder. The test is skipped,
// saying why, when the folder is not there.
func BertRefDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TURINGLAB_BERT_REF")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared", "testdata", "bert-ref-small")
	}
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err != nil {
		t.Skipf("reference folder not available: %v", err)
	}
	return dir
}

// RepoRoot returns the repository root: the nearest directory holding go.mod
// above the working directory (a test's working directory is its package's).
func RepoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}
