package session

import (
	"context"
	"strings"
	"testing"
)

// rebuildCells define a throwaway function twice: the second definition
// rebuilds the interpreter, which is what the tests below need.
var rebuildCells = []step{
	{code: "func _rebuild() int { return 1 }"},
	{code: "func _rebuild() int { return 2 }"},
}

// A func that passes a method value of a compiled type (tok.Tokenize of a
// *tokenizer.BertTokenizer, a global of an earlier cell) compiles after a rebuild as it
// did before: carried variables of compiled types keep the type that the
// first interpreter gave them.
func TestRebuildKeepsMethodValuesOfCompiledTypes(t *testing.T) {
	s, out, errw := newTestSession(t)
	steps := []step{
		{code: `import "github.com/turinglab/turinglab/bert"
import "github.com/turinglab/turinglab/data"
import "strings"
import "io"
vocab, _ := tokenizer.NewVocab([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world"})
tok, err := tokenizer.NewBertTokenizer(vocab, true)
var r io.Reader = strings.NewReader("hello world\n\nworld")
err`},
		{code: "func readDocs(text string) ([][][]string, error) { return data.ReadDocuments(strings.NewReader(text), tok.Tokenize) }\nd, _ := readDocs(\"hello world\\n\\nworld\")\nlen(d)", value: "2"},
		{code: "func readAll() ([][][]string, error) { return data.ReadDocuments(r, tok.Tokenize) }"},
	}
	steps = append(steps, rebuildCells...)
	steps = append(steps,
		step{code: "d2, _ := readDocs(\"hello\")\nlen(d2[0][0])", value: "1"},
		step{code: "d3, _ := readAll()\nlen(d3)", value: "2"},
	)
	runSteps(t, s, out, errw, steps)
	if e := errw.take(); e != "" {
		t.Fatalf("notes on stderr: %q", e)
	}
}

// A global carried across a rebuild stays the same variable: closures stored
// in globals (compiled by the old interpreter) and later cells see one
// variable, and values that must not be copied (a strings.Builder) are not.
func TestRebuildKeepsVariablesNotCopies(t *testing.T) {
	s, out, errw := newTestSession(t)
	steps := []step{
		{code: "import \"strings\"\ncounter := 0\nincr := func() int { counter++; return counter }\nvar sb strings.Builder\nsb.WriteString(\"ab\")\nincr()", value: "1"},
		{code: "type P struct{ X int }\nscale := func(p P, k int) P { return P{p.X * k} }\ntype Op func(int) int\nvar dbl Op = func(n int) int { return 2 * n }\nfunc (o Op) Twice(n int) int { return o(o(n)) }"},
	}
	steps = append(steps, rebuildCells...)
	steps = append(steps,
		step{code: "incr()", value: "2"},
		step{code: "counter", value: "2"},
		step{code: "counter = 10\nincr()", value: "11"},
		step{code: "sb.WriteString(\"cd\")\nsb.String()", value: "abcd"},
		step{code: "scale(P{2}, 3).X + dbl.Twice(1)", value: "10"},
	)
	runSteps(t, s, out, errw, steps)
	if e := errw.take(); e != "" {
		t.Fatalf("notes on stderr: %q", e)
	}
}

// A func that truly stops compiling because something it uses was redefined
// stays callable as it was, with a note that names it, its cell and the cause;
// defining it again replaces the kept version.
func TestRebuildKeepsOldVersionCallable(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "func half(n int) int { return n / 2 }"},
		{code: "func quarter(n int) int { return half(half(n)) }\nquarter(8)", value: "2"},
	})
	r := s.Execute(context.Background(), "func half(s string) string { return s[:len(s)/2] }\nhalf(\"abcd\")")
	if r.Error != nil || r.Value == nil || r.Value.Text() != "ab" {
		t.Fatalf("redefining half: %+v", r)
	}
	note := errw.take()
	for _, want := range []string{"func quarter", "cell #2", "no longer compiles", "cannot use type int as type string", "stays callable"} {
		if !strings.Contains(note, want) {
			t.Fatalf("note %q lacks %q", note, want)
		}
	}
	runSteps(t, s, out, errw, []step{
		{code: "quarter(8)", value: "2"},
		// Another rebuild keeps it, and says nothing new.
		{code: "func _other() int { return 1 }"},
		{code: "func _other() int { return 2 }\nquarter(12)", value: "3"},
		// Defining it again (unchanged) shows the real error; fixed, it works.
		{code: "func quarter(n int) int { return half(half(n)) }", errName: "CompileError", errHas: []string{"cannot use"}},
		{code: "func quarter(s string) string { return half(half(s)) }\nquarter(\"abcdefgh\")", value: "ab"},
	})
	if e := errw.take(); e != "" {
		t.Fatalf("notes on stderr: %q", e)
	}
}
