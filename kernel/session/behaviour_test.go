package session

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestErrors(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "a := 1\n\nb := a +\n", errName: "SyntaxError", errHas: []string{"4:1"}},
		{code: "a := 1\nb := undefinedName + a", errName: "CompileError", errHas: []string{"2:6", "undefined: undefinedName", "b := undefinedName + a", "^"}},
		// The failed cell left nothing behind: a is not declared, and declaring it works.
		{code: "a := 5\na", value: "5"},
		{code: "func f(n int) int {\n\tvar xs []int\n\treturn xs[n]\n}"},
		{code: "import \"fmt\"\nfmt.Println(\"before\")\n\nf(3)", out: "before", errName: "runtime error", errHas: []string{"out of range", "line 4 of this cell", "f(3)", "in f (defined at line 1 of cell #4)", "func f(n int) int {"}},
		{code: "panic(\"boom\")", errName: "panic", errHas: []string{"boom", "line 1"}},
		{code: "import \"os\"\nos.Exit(3)", errName: "panic", errHas: []string{"os.Exit(3)", "kernel keeps running"}},
		{code: "a", value: "5"},
		{code: "import \"example.com/nope\"", errName: "ImportError", errHas: []string{"1:8", "example.com/nope", "make generate"}},
		{code: "%nope", errName: "UsageError"},
		{code: "func main() {}", errName: "CompileError", errHas: []string{"1:6", "cannot declare func main"}},
		{code: "x0 := 1\ndefer println(x0)", errName: "CompileError", errHas: []string{"2:1", "defer at the top level"}},
		{code: "var nilMap map[string]int\nnilMap[\"a\"] = 1", errName: "runtime error", errHas: []string{"nil map", "line 2 of this cell"}},
		{code: "func useLater() int { return later }\nz := useLater()\nlater := 3", errName: "CompileError", errHas: []string{"undefined: later", "var later = ..."}},
	})
	// Exactly one error output: yaegi's own panic lines never reach Stderr.
	s.Execute(context.Background(), "panic(\"once\")")
	if e := errw.take(); strings.Contains(e, "panic") {
		t.Fatalf("stderr shows yaegi's panic frames: %q", e)
	}
}

func TestGoroutinePanic(t *testing.T) {
	s, out, errw := newTestSession(t)
	r := s.Execute(context.Background(), "func explode(k int) { panic(k * 2) }\ngo explode(21)\ngo func() { panic(\"literal\") }()\n1")
	if r.Error != nil || r.Value == nil || r.Value.Text() != "1" {
		t.Fatalf("cell starting goroutines: %+v", r)
	}
	deadline := time.Now().Add(2 * time.Second)
	var e string
	for time.Now().Before(deadline) && !(strings.Contains(e, "42") && strings.Contains(e, "literal")) {
		time.Sleep(10 * time.Millisecond)
		e += errw.take()
	}
	if !strings.Contains(e, "42") || !strings.Contains(e, "literal") || !strings.Contains(e, "goroutine") {
		t.Fatalf("goroutine panics not reported: %q", e)
	}
	runSteps(t, s, out, errw, []step{{code: "2", value: "2"}})
}

func TestInterrupt(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{{code: "kept := 7\nvar spins int"}})
	for _, code := range []string{
		"n := 0\nfor { n++ }",
		"for { spins++ }",
		"import \"time\"\ntime.Sleep(time.Hour)",
	} {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(200*time.Millisecond, cancel)
		r := s.Execute(ctx, code)
		if d := time.Since(start); d > 30*time.Second {
			t.Fatalf("%q: the interrupt took %v (the cell runs forever or sleeps an hour)", code, d)
		}
		if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
			t.Fatalf("%q: want KeyboardInterrupt, got %+v", code, r.Error)
		}
		runSteps(t, s, out, errw, []step{{code: "kept", value: "7"}})
	}
	// The stopped loops stay stopped: spins does not move any more.
	r1 := s.Execute(context.Background(), "spins")
	time.Sleep(100 * time.Millisecond)
	r2 := s.Execute(context.Background(), "spins")
	if r1.Value == nil || r2.Value == nil || r1.Value.Text() != r2.Value.Text() {
		t.Fatalf("an interrupted loop is still running: spins %v then %v", r1.Value, r2.Value)
	}
}

func TestMagicsAndPager(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%help", out: "%reset"},
		{code: "n := 3\ntype T struct{ A int }\nt := T{4}"},
		{code: "%who", out: "n         int"},
		{code: "%%time\nn * 2", value: "6", out: "Wall time: "},
		{code: "%reset"},
		{code: "n", errName: "CompileError", errHas: []string{"undefined: n"}},
		{code: "wb.HTML(\"<b>hi</b>\")", value: "<b>hi</b>"},
	})
	r := s.Execute(context.Background(), "import \"strings\"\n")
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	r = s.Execute(context.Background(), "strings.Repeat?")
	if !strings.Contains(r.Pager, "func Repeat(s string, count int) string") || !strings.Contains(r.Pager, "Repeat returns") {
		t.Fatalf("pager: %q", r.Pager)
	}
}

func TestValues(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nfmt.Println(\"x\")", out: "x\n"},
		{code: "fmt.Sprint(1, 2)", value: "1 2"},
		{code: "import \"os\"\nfmt.Fprintln(os.Stdout, \"y\")"},
		{code: "type Card struct{ Title string }\nfunc (c Card) MIMEBundle() wb.Bundle {\n\treturn wb.Bundle{Data: map[string]any{\"text/html\": \"<h1>\" + c.Title + \"</h1>\"}}\n}\nc := Card{\"hello\"}"},
		{code: "var sb fmt.Stringer\nsb == nil", value: "true"},
		{code: "func save() error { return nil }\nsave()"},
		{code: "type Temp float64\nfunc (t Temp) String() string { return fmt.Sprintf(\"%.1f°C\", float64(t)) }\nnow := Temp(21.5)\nnow", value: "21.5°C"},
		{code: "Temp(3)", value: "3.0°C"},
		{code: "func fail() error { return fmt.Errorf(\"disk full\") }\nfail()", value: "disk full"},
	})
	for _, code := range []string{"c", "Card{\"hello\"}"} {
		r := s.Execute(context.Background(), code)
		if r.Error != nil || r.Value == nil {
			t.Fatalf("%s: %+v", code, r)
		}
		if h, _ := r.Value.Data["text/html"].(string); h != "<h1>hello</h1>" {
			t.Fatalf("%s: bundle %v", code, r.Value.Data)
		}
	}
	r := s.Execute(context.Background(), "wb.HTML(\"<i>x</i>\")")
	if r.Value == nil || r.Value.Data["text/html"] != "<i>x</i>" {
		t.Fatalf("wb.HTML bundle: %+v", r.Value)
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"strings\"\nimport \"github.com/turinglab/turinglab/display\"\nvalue := 1\nvar bld strings.Builder\nfunc helper() {}\nh := display.HTML(\"x\")\ntype Pt struct{ W, H float64; hidden bool }\nfunc (p Pt) Area() float64 { return p.W * p.H }\npt := Pt{W: 2}"},
	})
	cases := []struct {
		code       string
		cursor     int
		want       string
		start, end int
	}{
		{"val", 3, "value", 0, 3},
		{"x := hel", 8, "helper", 5, 8},
		{"strings.Rep", 11, "Repeat", 8, 11},
		{"bld.Wri", 7, "WriteString", 4, 7},
		{"é := strings.Tr", 15, "TrimSpace", 13, 15},
		{"wb.Prog", 7, "Progress", 3, 7},
		{"h.MIME", 6, "MIMEBundle", 2, 6},
		{"pt.hid", 6, "hidden", 3, 6},
		{"pt.Ar", 5, "Area", 3, 5},
		{"import \"gonum.org/v1/gonum/m", 28, "gonum.org/v1/gonum/mat", 8, 28},
		{"import (\n\t\"fmt\"\n\t\"strc", 22, "strconv", 18, 22},
		{"%he", 3, "%help", 0, 3},
	}
	for _, c := range cases {
		got := s.Complete(c.code, c.cursor)
		found := false
		for _, m := range got.Matches {
			found = found || m == c.want
		}
		if !found || got.Start != c.start || got.End != c.end {
			t.Errorf("Complete(%q, %d) = %+v; want %q in [%d,%d)", c.code, c.cursor, got, c.want, c.start, c.end)
		}
	}
	for _, c := range []struct{ code, want string }{
		{"strings.Repeat", "Repeat returns a new string"},
		{"value", "var value int"},
		{"helper", "func helper() {}"},
		{"bld.WriteString", "WriteString appends"},
		{"display.HTML", "type HTML string"},
		{"x := strings.Repeat(\"a\", ", "func Repeat(s string, count int) string"},
	} {
		b, ok := s.Inspect(c.code, len(c.code), 0)
		if !ok || !strings.Contains(b.Text(), c.want) {
			t.Errorf("Inspect(%q) = %q, %v; want %q", c.code, b.Text(), ok, c.want)
		}
	}
	for _, c := range []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"func f() {", "incomplete", "    "},
		{"for {\n\tif x {", "incomplete", "        "},
		{"s := `raw", "incomplete", ""},
		{"x := )", "invalid", ""},
		{"%who", "complete", ""},
	} {
		st, ind := s.IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("IsComplete(%q) = %q %q; want %q %q", c.code, st, ind, c.status, c.indent)
		}
	}
}

func TestSplitHeaders(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "total := 0\nfor i := 0; i < 4; i++ {\n\ttotal += i\n}\nif v := total * 2; v > 10 {\n\ttotal = v\n} else if w := 1; w > 0 {\n\ttotal = -1\n}\nswitch k := total; k {\ncase 12:\n\ttotal++\n}\ntotal", value: "13"},
		{code: "func() { total = 100 }()\ntotal", value: "100"},
		{code: "var a, b = 1, 2; const c = 3; a + b + c", value: "6"},
		{code: "label := func(n int) int { return n + 1 }(1)\nlabel", value: "2"},
	})
}

func TestRebuildCarriesValues(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"strings\"\nxs := []float64{1, 2, 3}\nm := map[string]int{\"a\": 1}\nvar sb strings.Builder\nsb.WriteString(\"kept\")\ntype Pair struct{ A, B int }\npr := Pair{1, 2}\nptr := &Pair{3, 4}\nvar calls int\nfunc count() int { calls++; return calls }\ncount()", value: "1"},
		// Redefining count rebuilds the interpreter: every value survives and
		// the initializer-free carry does not re-run anything.
		{code: "func count() int { calls += 10; return calls }\ncount()", value: "11"},
		{code: "%auto_import off\nfmt.Sprint(xs, m, sb.String(), pr, *ptr)", errName: "CompileError", errHas: []string{"undefined: fmt"}},
		{code: "import \"fmt\"\nfmt.Sprint(xs, m, sb.String(), pr, *ptr)", value: "[1 2 3] map[a:1]kept{1 2} {3 4}"},
		// A variable whose type changes shape is reset, with a note.
		{code: "type Pair struct{ A, B, C int }\nfmt.Sprint(pr, Pair{1, 2, 3})", value: "{0 0 0} {1 2 3}"},
	})
	// A caller that no longer compiles stays callable as it was, with a note.
	r := s.Execute(context.Background(), "func half(n int) int { return n / 2 }\nfunc quarter(n int) int { return half(half(n)) }\nquarter(8)")
	if r.Error != nil || r.Value.Text() != "2" {
		t.Fatalf("quarter: %+v", r)
	}
	errw.take()
	r = s.Execute(context.Background(), "func half(s string) string { return s[:len(s)/2] }\nhalf(\"abcd\")")
	if r.Error != nil || r.Value.Text() != "ab" {
		t.Fatalf("half redefined: %+v %v", r, r.Error)
	}
	if e := errw.take(); !strings.Contains(e, "func quarter") || !strings.Contains(e, "stays callable") {
		t.Fatalf("no note about quarter: %q", e)
	}
	runSteps(t, s, out, errw, []step{
		{code: "quarter(8)", value: "2"},
		{code: "calls", value: "11"},
	})
}
func TestRebuildCarriesFuncsAndInterfaces(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nimport \"errors\"\ninc := func(n int) int { return n + 1 }\nvar e error = errors.New(\"bad\")\nvar st fmt.Stringer\nvar anyv any = 3\ntype S struct{ n int }\nfunc (s S) String() string { return fmt.Sprint(\"S\", s.n) }\nvar st2 fmt.Stringer = S{4}\nsv := S{5}\nfunc f() int { return 1 }"},
		{code: "func f() int { return 2 }\nfmt.Sprint(inc(1), e, st == nil, anyv, st2, sv.n, f())", value: "2 bad true 3 S4 5 2"},
	})
	errw.take()
}

// Statements yaegi cannot compile at the top level (a := of an element of a
// slice of compiled structs, a multi-value := inside a top-level loop) run as a
// function body; their := variables become globals like any other.
func TestStatementsYaegiCannotCompileAtTopLevel(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: `import "github.com/turinglab/turinglab/train"
h := &train.History{Evals: []train.EvalRecord{{Step: 7}, {Step: 9}}}`},
		{code: "e := h.Evals[0]\ne.Step", value: "7"},
		{code: "e.Step + 1", value: "8"},
		{code: "func stepOf() int { return e.Step }\nstepOf()", value: "7"},
		// Re-declared with the same type: the functions see the new value.
		{code: "e := h.Evals[1]\ne.Step", value: "9"},
		{code: "stepOf()", value: "9"},
		{code: "func two() (int, int) { return 1, 2 }\ntotal := 0\nfor i := 0; i < 3; i++ {\n\ta, b := two()\n\ttotal += a + b\n}\ntotal", value: "9"},
		{code: "total", value: "9"},
		// A panic half-way keeps what was declared before it, like at the top level.
		{code: "first := h.Evals[0]\npanic(\"stop\")\nsecond := h.Evals[1]", errName: "panic", errHas: []string{"stop", "line 2"}},
		{code: "first.Step", value: "7"},
		{code: "second", errName: "CompileError", errHas: []string{"undefined: second"}},
		// Errors keep their cell positions.
		{code: "x := h.Evals[0]\ny := x.Nope", errName: "CompileError", errHas: []string{"2:", "Nope"}},
	})
}

// A function literal called at the top level of a cell runs exactly once
// (yaegi would run it again on every later execution).
func TestTopLevelFuncLiteralCallRunsOnce(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "calls := 0\nfunc() { calls++ }()"},
		{code: "calls", value: "1"},
		{code: "func() int { calls += 10; return calls }()", value: "11"},
		{code: "calls", value: "11"},
	})
}

// An interrupted function-body cell keeps the values its := variables had.
func TestInterruptedFunctionBodyKeepsItsVariables(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{{code: `import "github.com/turinglab/turinglab/train"
h := &train.History{Evals: []train.EvalRecord{{Step: 5}}}`}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	r := s.Execute(ctx, "ev := h.Evals[0]\nspins := 0\nfor { spins++ }")
	if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
		t.Fatalf("want KeyboardInterrupt, got %+v", r.Error)
	}
	runSteps(t, s, out, errw, []step{
		{code: "ev.Step", value: "5"},
		{code: "spins > 0", value: "true"},
	})
}

// Go 1.22's range over an integer, which yaegi lacks, works wherever the
// session can tell the range expression is an integer, with range's meaning:
// the bound is evaluated once and the variable has the bound's type.
func TestRangeOverInt(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "total := 0\nfor i := range 5 { total += i }\ntotal", value: "10"},
		{code: "n := 4\nfor range n { total++ }\ntotal", value: "14"},
		{code: "func sum(n int64) int64 {\n\ts := int64(0)\n\tfor i := range n {\n\t\ts += i\n\t}\n\treturn s\n}\nsum(4)", value: "6"},
		{code: "xs := []int{1, 2, 3}\nfor i := range len(xs) { xs = append(xs, i) }\nlen(xs)", value: "6"},
		{code: "type cfg struct{ Epochs int }\nc := cfg{3}"},
		{code: "count := 0\nfor e := range c.Epochs { count += e + 1 }\ncount", value: "6"},
		{code: "import \"math\"\nk := 0\nfor range math.MaxInt8 { k++ }\nk", value: "127"},
		{code: "import \"fmt\"\nvar calls int\nfunc three() int { calls++; return 3 }\nm := 0\nfor j := range three() { m += j }\nfmt.Sprint(m, calls)", value: "3 1"},
		{code: "const steps = 3\nq := 0\nfor range steps { q++ }\nq", value: "3"},
		{code: "fs := []func() int{}\nfor i := range 3 { fs = append(fs, func() int { return i }) }\nfs[0]() + fs[1]()*10 + fs[2]()*100", value: "210"},
		{code: "seen := \"\"\nfor i, v := range xs { seen += fmt.Sprint(i, v) }\nfor i := range xs { seen += fmt.Sprint(i) }\nseen", value: "0 11 22 33 04 15 2012345"},
		// What the session cannot see gets a message that says what to write.
		{code: "type box struct{ N int }\nb := box{2}\nfor i := range b.N { _ = i }", errName: "CompileError", errHas: []string{"3:16", "range over an integer", "for i := 0; i < b.N; i++"}},
	})
}

// A function may use a variable that a := statement of the same cell declares:
// the cell then runs in source order (in_order.go), and stays correct through
// re-runs and rebuilds.
func TestFunctionUsingAVariableOfTheSameCell(t *testing.T) {
	s, out, errw := newTestSession(t)
	cell := "import \"fmt\"\ndata := []int{1, 2, 3}\nfunc count() int { return len(data) }\nfmt.Println(\"before\")"
	runSteps(t, s, out, errw, []step{
		{code: cell + "\ncount()", value: "3", out: "before"},
		{code: "data = append(data, 4)\ncount()", value: "4"},
		// Re-running the cell declares data anew; from the next cell on, count
		// sees the new one (within the re-run, like any re-declaration, the old).
		{code: cell, out: "before"},
		{code: "count()", value: "3"},
		// A redefinition elsewhere rebuilds the interpreter; count and data survive it.
		{code: "func other() int { return 1 }"},
		{code: "func other() int { return 2 }\nother() + count()", value: "5"},
		// Chains: a function using a function that uses the cell's variable.
		{code: "base := 10\nfunc plus(n int) int { return base + n }\nfunc twice(n int) int { return 2 * plus(n) }\ntwice(1)", value: "22"},
		// A cell with no statement after the function.
		{code: "later := 3\nfunc useLater() int { return later }"},
		{code: "useLater()", value: "3"},
	})
	if e := errw.take(); e != "" {
		t.Fatalf("notes on stderr: %q", e)
	}
}
