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
	"encoding/binary"
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

// ReadFile reads the file called name in the reference folder dir, failing
// the test (or the fuzz target's setup) when it cannot.
func ReadFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// SplitSafetensors splits the bytes of a safetensors file into its JSON
// header and its data section, so a fuzz target can mutate the header over
// the original data.
func SplitSafetensors(t testing.TB, buf []byte) (header, payload []byte) {
	t.Helper()
	if len(buf) < 8 {
		t.Fatalf("a safetensors file of %d bytes has no header length", len(buf))
	}
	n := binary.LittleEndian.Uint64(buf[:8])
	if n > uint64(len(buf)-8) {
		t.Fatalf("a safetensors header of %d bytes in a file of %d", n, len(buf))
	}
	return buf[8 : 8+n], buf[8+n:]
}

// JoinSafetensors is the inverse of SplitSafetensors.
func JoinSafetensors(header, payload []byte) []byte {
	out := make([]byte, 8, 8+len(header)+len(payload))
	binary.LittleEndian.PutUint64(out, uint64(len(header)))
	return append(append(out, header...), payload...)
}

// WriteFiles writes each file of files (name to content) into dir, failing
// the test when it cannot: a checkpoint folder a test or fuzz target makes.
func WriteFiles(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
