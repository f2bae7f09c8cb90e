package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShellLines(t *testing.T) {
	t.Chdir(t.TempDir())
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "!echo hello", out: "hello\n"},
		// The shell expands variables; stderr goes to the session's stderr.
		{code: "!echo home=$HOME", out: "home=" + os.Getenv("HOME") + "\n"},
		// Several ! lines and Go lines run in order, in loops too.
		{code: "!echo one\nn := 2\nfor i := 0; i < n; i++ {\n\t!echo loop\n}\n!echo two\nn + 1", value: "3", out: "one\nloop\nloop\ntwo\n"},
		{code: "func greet() {\n\t!echo from a function\n}\ngreet()", out: "from a function\n"},
		// A ! that continues an expression, or sits in a string, is Go.
		{code: "import \"strings\"\nok := true &&\n\t!false\nmsg := `\n!not a command\n`\nok && strings.Contains(msg, \"!not\")", value: "true"},
	})

	r := s.Execute(context.Background(), "!echo before\n!false\n!echo after")
	o := out.take()
	if r.Error == nil || r.Error.Name != "CalledProcessError" {
		t.Fatalf("!false: want CalledProcessError, got %+v", r.Error)
	}
	if want := "Command 'false' returned non-zero exit status 1."; r.Error.Value != want {
		t.Fatalf("!false: error %q, want %q", r.Error.Value, want)
	}
	if tb := strings.Join(r.Error.Traceback, "\n"); !strings.Contains(tb, "line 2 of this cell") || !strings.Contains(tb, "!false") {
		t.Fatalf("!false: traceback does not name the line:\n%s", tb)
	}
	if o != "before\n" {
		t.Fatalf("!false: stdout %q, want only the line before it", o)
	}
	r = s.Execute(context.Background(), "!echo oops >&2; exit 3")
	if e := errw.take(); e != "oops\n" || r.Error == nil || !strings.Contains(r.Error.Value, "exit status 3") {
		t.Fatalf("exit 3: stderr %q, error %+v", e, r.Error)
	}
}

func TestShellCellMagics(t *testing.T) {
	t.Chdir(t.TempDir())
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%%sh\nx=4\necho sh $((x * 2))", out: "sh 8\n"},
		{code: "%%bash\nfor i in 1 2; do echo bash $i; done", out: "bash 1\nbash 2\n"},
		{code: "%%sh\nfalse", errName: "CalledProcessError", errHas: []string{"Command 'false' returned non-zero exit status 1."}},
	})
}

// TestShellInterrupt stops `!sleep` and a %%sh script: the cell ends at once
// with KeyboardInterrupt and the command's process group is gone.
func TestShellInterrupt(t *testing.T) {
	s, out, errw := newTestSession(t)
	for _, c := range []struct{ code, marker string }{
		{"!sleep 97.25", "97.25"},
		{"%%sh\nsleep 96.5 & sleep 96.5\necho never", "96.5"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		r := s.Execute(ctx, c.code)
		if d := time.Since(start); d > 30*time.Second {
			t.Fatalf("%q: the interrupt took %v (the command sleeps 97 s)", c.code, d)
		}
		if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
			t.Fatalf("%q: want KeyboardInterrupt, got %+v", c.code, r.Error)
		}
		if pids := processesLeft(t, c.marker); len(pids) > 0 {
			t.Fatalf("%q: processes left after the interrupt: %v", c.code, pids)
		}
		if o := out.take(); strings.Contains(o, "never") {
			t.Fatalf("%q: the script went on after the interrupt: %q", c.code, o)
		}
	}
	runSteps(t, s, out, errw, []step{{code: "!echo still here", out: "still here\n"}})
}

// processesLeft lists the processes whose command line holds marker once
// they have had time to die: SIGKILL to a process group is delivered
// asynchronously, so a grandchild (the `sleep &` of a %%sh script) can still
// be listed for a moment after the kill returns. It polls for up to five
// seconds (a bound on a condition, not a timing assertion).
func processesLeft(t *testing.T, marker string) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pids := processesWith(t, marker)
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processesWith lists the processes whose command line holds marker.
func processesWith(t *testing.T, marker string) []string {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue // the process ended meanwhile
		}
		if strings.Contains(strings.ReplaceAll(string(b), "\x00", " "), marker) {
			pids = append(pids, filepath.Base(filepath.Dir(d))+": "+string(b))
		}
	}
	return pids
}

func TestShellLinesAreComplete(t *testing.T) {
	s, _, _ := newTestSession(t)
	for code, want := range map[string]string{
		"!echo (":                       "complete",
		"!echo \"it's\"":                "complete",
		"for i := 0; i < 2; i++ {\n!ls": "incomplete",
		"x := a &&\n!b":                 "complete",
	} {
		if got, _ := s.IsComplete(code); got != want {
			t.Errorf("IsComplete(%q) = %q, want %q", code, got, want)
		}
	}
}
