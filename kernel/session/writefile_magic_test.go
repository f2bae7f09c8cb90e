package session

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWritefile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%%writefile notes.txt\nfirst\n!not a command\n%not a magic", out: "Writing notes.txt\n"},
		{code: "%%writefile -a notes.txt\nsecond", out: "Appending to notes.txt\n"},
		{code: "!cat notes.txt", out: "first\n!not a command\n%not a magic\nsecond\n"},
		{code: "%%writefile notes.txt\nreplaced\n", out: "Overwriting notes.txt\n"},
		{code: "%%writefile -a new.txt\nfresh", out: "Writing new.txt\n"},
		{code: "%%writefile\nbody", errName: "UsageError", errHas: []string{"filename"}},
		{code: "%%writefile no/such/dir/f.txt\nbody", errName: "FileNotFoundError"},
	})
	for name, want := range map[string]string{"notes.txt": "replaced\n", "new.txt": "fresh\n"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Fatalf("%s: %q (%v), want %q", name, got, err, want)
		}
	}
	// Nothing but the two files: the atomic writes left no temporary files.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("the folder holds %d entries, want 2: %v", len(entries), entries)
	}
}
