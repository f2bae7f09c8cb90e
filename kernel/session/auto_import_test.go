package session

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// autoStep is one cell of an auto-import test and what it must produce.
type autoStep struct {
	code    string
	value   string   // text/plain of the result; "" = no value
	out     string   // substring expected in stdout ("" = not checked)
	note    string   // the cell's exact "auto-imported: ..." line on Stderr; "" = none
	errName string   // expected Error.Name; "" = must succeed
	errHas  []string // substrings of the error's value and traceback
}

// runAutoSteps runs cells in one session and checks each one's value, output,
// error and auto-import note.
func runAutoSteps(t *testing.T, s *Session, out, errw *syncBuffer, steps []autoStep) {
	t.Helper()
	for i, st := range steps {
		r := s.Execute(context.Background(), st.code)
		o, e := out.take(), errw.take()
		if got := noteLine(e); got != st.note {
			t.Fatalf("step %d %q: auto-import note %q, want %q (stderr %q)", i, st.code, got, st.note, e)
		}
		if st.errName == "" {
			if r.Error != nil {
				t.Fatalf("step %d %q: unexpected error %s: %s\n%s", i, st.code, r.Error.Name, r.Error.Value, strings.Join(r.Error.Traceback, "\n"))
			}
		} else {
			if r.Error == nil || r.Error.Name != st.errName {
				t.Fatalf("step %d %q: error %+v, want %s", i, st.code, r.Error, st.errName)
			}
			all := r.Error.Value + "\n" + strings.Join(r.Error.Traceback, "\n")
			for _, h := range st.errHas {
				if !strings.Contains(all, h) {
					t.Fatalf("step %d %q: error lacks %q:\n%s", i, st.code, h, all)
				}
			}
			continue
		}
		got := ""
		if r.Value != nil {
			got = r.Value.Text()
		}
		if got != st.value {
			t.Fatalf("step %d %q: value %q, want %q (stderr %q)", i, st.code, got, st.value, e)
		}
		if !strings.Contains(o, st.out) {
			t.Fatalf("step %d %q: stdout %q lacks %q", i, st.code, o, st.out)
		}
	}
}

// noteLine returns the auto-import line of a cell's Stderr, or "".
func noteLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, autoImportNote) {
			return l
		}
	}
	return ""
}

// importedPaths lists the import paths the session keeps (its registry).
func importedPaths(s *Session) []string {
	var ps []string
	for _, imp := range s.reg.imports {
		ps = append(ps, imp.path)
	}
	return ps
}

func TestAutoImportStandardLibrary(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		{code: `fmt.Println("hi")`, out: "hi\n", note: "auto-imported: fmt"},
		// Several packages in one cell, noted once in the order of first use.
		{code: `strings.ToUpper("a") + strconv.Itoa(1) + strings.Repeat("b", 2)`, value: "A1bb", note: "auto-imported: strings, strconv"},
		// An added import stays, like one the user wrote: no second note.
		{code: `fmt.Sprint(strings.Count("aaa", "a"))`, value: "3"},
		// In a declaration too (the type and the body), and across a rebuild.
		{code: "func join(xs []string) string { var b bytes.Buffer; b.WriteString(strings.Join(xs, \"-\")); return b.String() }\njoin([]string{\"x\", \"y\"})", value: "x-y", note: "auto-imported: bytes"},
		{code: "func join(xs []string) string { return strings.Join(xs, \"+\") }\njoin([]string{\"x\", \"y\"})", value: "x+y"},
		// math/rand/v2 is package rand: imported under that name.
		// (math/rand fits too; goimports prefers math/rand/v2.)
		{code: "rand.Float64() < 1", value: "true", note: "auto-imported: math/rand/v2"},
	})
	want := []string{"fmt", "strings", "strconv", "bytes", "math/rand/v2"}
	if got := importedPaths(s); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("kept imports %q, want %q", got, want)
	}
}

func TestAutoImportProjectAndGonum(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		{code: "autograd.Scalar(2.5).Item()", value: "2.5", note: "auto-imported: github.com/turinglab/turinglab/autograd"},
		{code: "floats.Sum([]float64{1, 2, 3}) + stat.Mean([]float64{1, 3}, nil)", value: "8",
			note: "auto-imported: gonum.org/v1/gonum/floats, gonum.org/v1/gonum/stat"},
		{code: "p := plot.New()\np.Title.Text = \"t\"\nvar xys plotter.XYs\nlen(xys)", value: "0",
			note: "auto-imported: gonum.org/v1/plot, gonum.org/v1/plot/plotter"},
		// draw: the standard library's image/draw unless only gonum's
		// plot/vg/draw exports what the cell uses.
		{code: "var ts draw.TextStyle\nts.XAlign", value: "0", note: "auto-imported: gonum.org/v1/plot/vg/draw"},
	})
}

func TestAutoImportAmbiguity(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		// Two standard library packages fit and goimports has no preference.
		{code: "x := 1\nt := template.New(\"x\")", errName: "ImportError",
			errHas: []string{"2:6", "template is ambiguous", "html/template, text/template", "import one explicitly"}},
		// The failed cell changed nothing.
		{code: "x", errName: "CompileError", errHas: []string{"undefined: x"}},
		// Packages named rand exist, but none exports both; one named fmt lacks Printlnx.
		{code: "rand.Intn(2) + rand.IntN(2)", errName: "ImportError",
			errHas: []string{"none of crypto/rand, math/rand, math/rand/v2 exports all of rand.IntN, rand.Intn", "explicitly"}},
		{code: "fmt.Printlnx(1)", errName: "ImportError", errHas: []string{`cannot auto-import fmt: package "fmt" has no Printlnx`}},
		// goimports' order for rand: crypto/rand when it fits (rand.Reader), math/rand when it alone does.
		{code: "rand.Intn(1)", value: "0", note: "auto-imported: math/rand"},
		{code: "import \"text/template\"\ntemplate.New(\"t\").Name()", value: "t"},
	})
	s2, out2, errw2 := newTestSession(t)
	runAutoSteps(t, s2, out2, errw2, []autoStep{
		{code: "rand.Reader != nil", value: "true", note: "auto-imported: crypto/rand"},
	})
}

func TestAutoImportExplicitImportsWin(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		// An import of the same cell: math/rand, not goimports' crypto/rand.
		{code: "import \"math/rand\"\nrand.Int() >= 0", value: "true"},
		// A renamed import: strings means fmt here, in this cell and later ones.
		{code: "import strings \"fmt\"\nstrings.Sprint(1)", value: "1"},
		{code: "strings.Sprint(2)", value: "2"},
		{code: "import str \"bytes\"\nstr.ToUpper([]byte(\"a\"))[0]", value: "65"},
		{code: "string(str.Repeat([]byte(\"a\"), 2))", value: "aa"},
	})
}

func TestAutoImportShadowing(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		// Without the variable, data.N would be the data package (which has no N).
		{code: "data.N", errName: "ImportError", errHas: []string{`package "github.com/turinglab/turinglab/data" has no N`}},
		{code: "type D struct{ N int }\ndata := D{3}\ndata.N", value: "3"},
		// A global of an earlier cell, in a statement and in a function.
		{code: "data.N + 1", value: "4"},
		{code: "func twice() int { return data.N * 2 }\ntwice()", value: "6"},
		// Parameters and locals.
		{code: "func get(plot D) int { return plot.N }\nget(D{5})", value: "5"},
		{code: "func mk() int { mat := D{6}; return mat.N }\nmk()", value: "6"},
		{code: "for _, stat := range []D{{7}} { fmt.Println(stat.N) }", out: "7\n", note: "auto-imported: fmt"},
		// A var declared in the same cell, used by a function of that cell.
		{code: "var floats = D{8}\nfunc f8() int { return floats.N }\nf8()", value: "8"},
		// A := variable of the cell that a function of the cell uses.
		{code: "strings := D{9}\nfunc f9() int { return strings.N }\nf9()", value: "9"},
	})
}

func TestAutoImportMagic(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		{code: "%auto_import", out: "Auto-import is on"},
		{code: "%auto_import off", out: "Auto-import is off"},
		{code: `strings.ToUpper("a")`, errName: "CompileError", errHas: []string{"undefined: strings"}},
		{code: "%auto_import", out: "Auto-import is off"},
		{code: "%auto_import on\nstrings.ToUpper(\"a\")", value: "A", out: "Auto-import is on", note: "auto-imported: strings"},
		{code: "%auto_import maybe", errName: "UsageError", errHas: []string{"on or off"}},
		{code: "%help", out: "%auto_import"},
	})
}

func TestAutoImportCompleteInspect(t *testing.T) {
	s, _, _ := newTestSession(t)
	has := func(list []string, want ...string) bool {
		for _, w := range want {
			if !contains(list, w) {
				return false
			}
		}
		return true
	}
	if c := s.Complete("fmt.Sprin", 9); !has(c.Matches, "Sprint", "Sprintf", "Sprintln") || len(c.Matches) != 3 || c.Start != 4 {
		t.Errorf("Complete(fmt.Sprin) = %+v; want Sprint, Sprintf, Sprintln from 4", c)
	}
	if c := s.Complete("x := str", 8); !has(c.Matches, "strings", "strconv") || c.Start != 5 {
		t.Errorf("Complete(str) = %+v; want strings and strconv from 5", c)
	}
	// Several packages named rand: the members of each.
	if c := s.Complete("rand.Int", 8); !has(c.Matches, "Int", "Intn", "IntN") {
		t.Errorf("Complete(rand.Int) = %+v; want Int, Intn and IntN", c)
	}
	if c := s.Complete("%auto", 5); !has(c.Matches, "%auto_import") {
		t.Errorf("Complete(%%auto) = %+v", c)
	}
	if b, ok := s.Inspect("fmt.Println", 11, 0); !ok || !strings.Contains(b.Text(), "func Println") {
		t.Errorf("Inspect(fmt.Println) = %q, %v", b.Text(), ok)
	}
	if b, ok := s.Inspect("rand.Intn", 9, 0); !ok || !strings.Contains(b.Text(), "func Intn") {
		t.Errorf("Inspect(rand.Intn) = %q, %v", b.Text(), ok)
	}
	if r := s.Execute(context.Background(), "fmt.Println?"); !strings.Contains(r.Pager, "func Println") {
		t.Errorf("fmt.Println? pager = %q", r.Pager)
	}
	// A variable named like a package is completed as the variable.
	s.Execute(context.Background(), "type D struct{ Sprinkle int }\nfmt := D{}")
	if c := s.Complete("fmt.Sprin", 9); len(c.Matches) != 1 || c.Matches[0] != "Sprinkle" {
		t.Errorf("Complete(fmt.Sprin) with a variable fmt = %+v; want Sprinkle", c)
	}
	s.Execute(context.Background(), "%auto_import off")
	if c := s.Complete("strings.ToU", 11); len(c.Matches) != 0 {
		t.Errorf("Complete(strings.ToU) with auto-import off = %+v; want nothing", c)
	}
	if c := s.Complete("x := strc", 9); len(c.Matches) != 0 {
		t.Errorf("Complete(strc) with auto-import off = %+v; want nothing", c)
	}
}

// BenchmarkAutoImportPass measures the auto-import pass alone on a parsed
// cell: finding its unresolved package references, resolving them against
// the registry and choosing their packages (here nothing is added, as in
// every cell after the first that uses fmt and strings).
func BenchmarkAutoImportPass(b *testing.B) {
	for name, code := range map[string]string{
		"trivial":        "1",
		"three-packages": "x := strings.Fields(\"a b\")\nfmt.Println(len(x), math.Sqrt(2))",
	} {
		b.Run(name, func(b *testing.B) {
			s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			if r := s.Execute(context.Background(), code); r.Error != nil {
				b.Fatal(r.Error)
			}
			p, err := cellsrc.Parse(code)
			if err != nil {
				b.Fatal(err)
			}
			cur := s.lines.addCell(1, code)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				reg := s.reg.clone()
				if _, e := s.autoImport(p, cur, reg); e != nil {
					b.Fatal(e)
				}
			}
		})
	}
}

// TestAutoImportBeforeRewrites: the packages a cell auto-imports are known to
// the rewrites that resolve package names, so a range over a constant of a
// package the cell never imported is rewritten like one of an imported
// package (math.MaxInt8 is an integer), in statements and in functions.
func TestAutoImportBeforeRewrites(t *testing.T) {
	s, out, errw := newTestSession(t)
	runAutoSteps(t, s, out, errw, []autoStep{
		{code: "n := 0\nfor i := range math.MaxInt8 { n += i }\nn", value: "8001", note: "auto-imported: math"},
		{code: "func bytes() int { c := 0; for range utf8.UTFMax { c++ }; return c }\nbytes()", value: "4", note: "auto-imported: unicode/utf8"},
	})
}
