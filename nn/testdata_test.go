package nn

import (
	"os"
	"path/filepath"
	"testing"
)

// refDir returns the bert-ref-small reference folder: $TURINGLAB_BERT_REF, or
// ../shared/testdata/bert-ref-small relative to the repository root (the folder
// holding go.mod). The test is skipped if the folder is absent.
func refDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("TURINGLAB_BERT_REF"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
	ref := filepath.Join(dir, "..", "shared", "testdata", "bert-ref-small")
	if _, err := os.Stat(ref); err != nil {
		t.Skipf("reference data not found: %v", err)
	}
	return ref
}
