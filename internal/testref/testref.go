// Package testref finds the reference data that the parity tests compare
// against, the same way in every package: the folder named by an environment
// variable (TURINGLAB_BERT_REF, TURINGLAB_GPT2_REF) when it is set, the
// repository's own copy under testdata/ otherwise.
//
// A missing folder fails the test with a message naming the folder and the
// variable. Skipping instead takes an explicit switch, TURINGLAB_SKIP_REF=1,
// so that a parity test never passes by not running.
package testref

import (
	"os"
	"path/filepath"
	"testing"
)

// SkipVar is the environment variable that, set to 1, makes a missing
// reference folder skip the test instead of failing it.
const SkipVar = "TURINGLAB_SKIP_REF"

// BertRefDir returns the bert-ref-small reference folder: $TURINGLAB_BERT_REF,
// or testdata/bert-ref-small in the repository.
func BertRefDir(t testing.TB) string {
	t.Helper()
	return refDir(t, "TURINGLAB_BERT_REF", "bert-ref-small")
}

// GPT2RefDir returns the gpt2-ref-small reference folder: $TURINGLAB_GPT2_REF,
// or testdata/gpt2-ref-small in the repository.
func GPT2RefDir(t testing.TB) string {
	t.Helper()
	return refDir(t, "TURINGLAB_GPT2_REF", "gpt2-ref-small")
}

// refDir resolves one reference folder and checks that it holds a config.json.
func refDir(t testing.TB, envVar, name string) string {
	t.Helper()
	dir := os.Getenv(envVar)
	source := "$" + envVar
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "testdata", name)
		source = "the repository's copy (set $" + envVar + " to use another)"
	}
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err != nil {
		if os.Getenv(SkipVar) == "1" {
			t.Skipf("reference folder %s from %s is not usable (%v); skipped because %s=1", dir, source, err, SkipVar)
		}
		t.Fatalf("reference folder %s from %s is not usable: %v (set %s=1 to skip parity tests instead)", dir, source, err, SkipVar)
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
