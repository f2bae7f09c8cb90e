package session

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/turinglab/turinglab/display"
)

// syncBuffer is a bytes.Buffer safe for the goroutines a cell starts.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// take returns and clears the buffer's text.
func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	b.b.Reset()
	return s
}

// newTestSession returns a session writing to buffers.
func newTestSession(t *testing.T) (*Session, *syncBuffer, *syncBuffer) {
	t.Helper()
	out, errw := &syncBuffer{}, &syncBuffer{}
	s, err := New(Options{Stdout: out, Stderr: errw})
	if err != nil {
		t.Fatal(err)
	}
	return s, out, errw
}

// step is one cell and what it must produce.
type step struct {
	code    string
	value   string // text/plain of the result; "" = no value
	out     string // substring expected in stdout ("" = not checked)
	errName string // expected Error.Name; "" = must succeed
	errHas  []string
}

func runSteps(t *testing.T, s *Session, out, errw *syncBuffer, steps []step) {
	t.Helper()
	for i, st := range steps {
		r := s.Execute(context.Background(), st.code)
		o := out.take()
		e := errw.take()
		if st.errName == "" && r.Error != nil {
			t.Fatalf("step %d %q: unexpected error %s: %s\n%s\nstderr: %s", i, st.code, r.Error.Name, r.Error.Value, strings.Join(r.Error.Traceback, "\n"), e)
		}
		if st.errName != "" {
			if r.Error == nil {
				t.Fatalf("step %d %q: want error %s, got none", i, st.code, st.errName)
			}
			if r.Error.Name != st.errName {
				t.Fatalf("step %d %q: error name %q, want %q (%s)", i, st.code, r.Error.Name, st.errName, r.Error.Value)
			}
			all := r.Error.Value + "\n" + strings.Join(r.Error.Traceback, "\n")
			for _, h := range st.errHas {
				if !strings.Contains(all, h) {
					t.Fatalf("step %d %q: error lacks %q:\n%s", i, st.code, h, all)
				}
			}
		}
		got := ""
		if r.Value != nil {
			got = r.Value.Text()
		}
		if got != st.value {
			t.Fatalf("step %d %q: value %q, want %q (stderr %q)", i, st.code, got, st.value, e)
		}
		if st.out != "" && !strings.Contains(o, st.out) {
			t.Fatalf("step %d %q: stdout %q lacks %q", i, st.code, o, st.out)
		}
	}
}

func TestCellsAndState(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "1 + 2", value: "3"},
		{code: "x := 40\nx + 2", value: "42"},
		{code: "x", value: "40"},
		{code: "%auto_import off\nfmt.Println(\"hi\")", errName: "CompileError", errHas: []string{"2:1", "undefined: fmt"}}, // line 2 of the cell: the magic took line 1
		{code: "import \"fmt\"\nfmt.Println(\"hi\")", out: "hi\n"},
		{code: `fmt.Println("again")`, out: "again\n"},
		// Mixed cell: statements before declarations, declarations used above them.
		{code: "y := double(x)\nfunc double(n int) int { return 2 * n }\ntype P struct{ X, Y int }\nimport \"strings\"\nstrings.Repeat(\"ab\", 2) + fmt.Sprint(y, P{1, 2})", value: "abab80 {1 2}"},
		{code: "func caller() int { return double(1) }\ncaller()", value: "2"},
		// Redefinition: the earlier caller sees the new function.
		{code: "func double(n int) int { return 3 * n }\ncaller()", value: "3"},
		// Re-running an unchanged cell is fine.
		{code: "func caller() int { return double(1) }\ncaller()", value: "3"},
		// Redefining a type keeps variables of compiled types.
		{code: "type P struct{ X, Y, Z int }\nP{1, 2, 3}", value: "{1 2 3}"},
		{code: "x", value: "40"},
		{code: "func two() (int, string) { return 7, \"seven\" }\ntwo()", value: "(7, seven)"},
		{code: "func nothing() {}\nnothing()"},
		{code: "fmt.Printf(\"%d\\n\", 5)", out: "5\n"},
		{code: "var v = 10\nfunc getV() int { return v }\ngetV()", value: "10"},
		{code: "var v = 11", value: ""},
		{code: "getV()", value: "11"},
		{code: "v := 12", value: ""},
		{code: "getV()", value: "12"},
	})
}

// TestTourNotebook runs the code cells of notebooks/00_tour.ipynb through a
// session (no Jupyter): every cell must succeed. The Jupyter run of the same
// notebook is in tests/run_notebooks.py.
func TestTourNotebook(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "notebooks", "00_tour.ipynb"))
	if err != nil {
		t.Skip("no tour notebook:", err)
	}
	var nb struct {
		Cells []struct {
			CellType string   `json:"cell_type"`
			Source   []string `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatal(err)
	}
	s, out, errw := newTestSession(t)
	prev := display.SetSink(&display.TerminalSink{Out: io.Discard})
	defer display.SetSink(prev)
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		code := strings.Join(c.Source, "")
		r := s.Execute(context.Background(), code)
		if r.Error != nil {
			t.Fatalf("cell %d:\n%s\nfailed: %s: %s\n%s\nstderr: %s", i, code, r.Error.Name, r.Error.Value, strings.Join(r.Error.Traceback, "\n"), errw.take())
		}
		out.take()
	}
}
