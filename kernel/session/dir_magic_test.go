package session

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCdAndPwd(t *testing.T) {
	start, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(start)
	forgetDirHistory(t) // as in a fresh kernel process
	sub := filepath.Join(start, "my dir")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%pwd", value: pyRepr(start)},
		{code: "%cd 'my dir'", out: sub + "\n"},
		{code: "%pwd", value: pyRepr(sub)},
		// ! commands and compiled code run in the new directory.
		{code: "!pwd", out: sub + "\n"},
		{code: "import \"os\"\nwd, _ := os.Getwd()\nwd", value: sub},
		{code: "%cd -", out: start + "\n"},
		{code: "%cd -", out: sub + "\n"},
		{code: "%cd", out: home + "\n"},
		{code: "%cd -q ~", out: ""},
		{code: "%pwd", value: pyRepr(home)},
		{code: "%cd /no/such/dir", errName: "FileNotFoundError", errHas: []string{"[Errno 2] No such file or directory: '/no/such/dir'"}},
		// A line magic may be followed by code.
		{code: "%cd -q " + start + "\n!pwd", out: start + "\n"},
	})
	if got, _ := os.Getwd(); got != start {
		t.Fatalf("the process is in %s, want %s", got, start)
	}
}

// forgetDirHistory empties the process's %cd history for the test, as a
// fresh kernel process starts, and again when the test ends: the history
// belongs to the process, and earlier tests (or runs, under -count) have
// visited directories that are gone.
func forgetDirHistory(t *testing.T) {
	t.Helper()
	reset := func() {
		dirHistory.mu.Lock()
		dirHistory.dirs = nil
		dirHistory.mu.Unlock()
	}
	reset()
	t.Cleanup(reset)
}
