package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// TestRecursionGuard: unbounded recursion of every kind (direct, mutual,
// through a method, through a function literal held in a variable) stops the
// cell with a RecursionError naming the function and the depth; the session
// keeps its variables and runs the next cell.
func TestRecursionGuard(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "kept := 41"},
		{code: "func f(n int) int {\n\treturn f(n+1) + 1\n}"},
		{code: "f(0)", errName: "RecursionError", errHas: []string{
			"maximum recursion depth exceeded", "f called at depth 10001", "the limit is 10000",
			"line 1 of this cell", "in f (defined at line 1 of cell #2)", "func f(n int) int {",
			"[previous frame repeated", "%recursion_limit"}},
		{code: "kept + 1", value: "42"},
		{code: "%recursion_limit 1000"}, // the rest unwinds faster (see DefaultRecursionLimit)

		// mutual recursion; the traceback shows the cycle once
		{code: "func even(n int) bool { if n == 0 { return true }; return odd(n + 1) }\nfunc odd(n int) bool { return even(n + 1) }"},
		{code: "even(1)", errName: "RecursionError", errHas: []string{"depth 1001", "in even (", "in odd (", "[previous 2 frames repeated"}},

		// a method of a cell type, with a pointer receiver
		{code: "type node struct{ next *node }\nfunc (n *node) length() int { return 1 + n.next.length() }\nring := &node{}\nring.next = ring"},
		{code: "ring.length()", errName: "RecursionError", errHas: []string{"(*node).length called at depth 1001"}},

		// a function literal that calls itself through its variable
		{code: "var fact func(n int) int\nfact = func(n int) int { return n * fact(n-1) }"},
		{code: "fact(3)", errName: "RecursionError", errHas: []string{"fact called at depth 1001"}},

		// a method value
		{code: "type walker struct{ steps int }\nfunc (w walker) walk() { g := w.walk; g() }\nwalker{}.walk()", errName: "RecursionError", errHas: []string{"walker.walk called at depth 1001"}},

		// a function with a defer and a named result shadowed in its body
		{code: "func deferred(n int) (r int) { defer func() { r++ }(); if r := n; r < 0 { return r }; return deferred(n + 1) }\ndeferred(0)", errName: "RecursionError", errHas: []string{"deferred called at depth 1001"}},

		// the session is intact and counts from zero again
		{code: "kept", value: "41"},
		{code: "fact = func(n int) int { if n <= 1 { return 1 }; return n * fact(n-1) }\nfact(10)", value: "3628800"},
	})
}

// TestRecursionGuardFinite: recursion below the limit runs and returns the
// right values, also after a RecursionError and through every kind of return.
func TestRecursionGuardFinite(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "func sum(n int) int { if n == 0 { return 0 }; return n + sum(n-1) }\nsum(5000)", value: "12502500"},
		{code: "%recursion_limit 1000\nfunc deep(n int) int { return deep(n+1) }\ndeep(0)", errName: "RecursionError"},
		{code: "%recursion_limit 10000\nsum(9999)", value: "49995000"},
		// void functions, multiple and named results, defer and recover
		{code: "count := 0\nfunc visit(n int) { if n == 0 { return }; count++; visit(n - 1) }\nvisit(100)\ncount", value: "100"},
		{code: "func split(n int) (int, error) { if n == 0 { return 0, nil }; a, err := split(n - 1); return a + 1, err }\nsplit(7)", value: "(7, <nil>)"},
		{code: "func named(n int) (total int) { if n == 0 { return }; total = n + named(n-1); return }\nnamed(10)", value: "55"},
		{code: "func safe(n int) (err error) { defer func() { if r := recover(); r != nil { err = nil } }(); if n == 0 { panic(\"bottom\") }; return safe(n - 1) }\nsafe(50)\nsum(9999)", value: "49995000"},
	})
}

// TestRecursionLimitMagic: %recursion_limit shows and sets the limit; a bad
// value is a UsageError; the limit survives a rebuild of the interpreter.
func TestRecursionLimitMagic(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%recursion_limit", out: "recursion limit: 10000"},
		{code: "%recursion_limit 100", out: "recursion limit: 100"},
		{code: "func down(n int) int { if n == 0 { return 0 }; return 1 + down(n-1) }\ndown(99)", value: "99"},
		{code: "down(100)", errName: "RecursionError", errHas: []string{"down called at depth 101", "the limit is 100"}},
		{code: "func down(n int) int { if n <= 0 { return 0 }; return 1 + down(n-1) }\ndown(100)", errName: "RecursionError"}, // redefined: a rebuilt interpreter
		{code: "%recursion_limit 0", errName: "UsageError", errHas: []string{"from 1 to 200000"}},
		{code: "%recursion_limit lots", errName: "UsageError"},
		{code: "%recursion_limit 5001\ndown(5000)", value: "5000"},
	})
}

// TestRecursionLimitEnv: TURINGLAB_RECURSION_LIMIT sets the limit of a new
// session.
func TestRecursionLimitEnv(t *testing.T) {
	t.Setenv(RecursionLimitEnv, "50")
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "func down(n int) int { if n == 0 { return 0 }; return 1 + down(n-1) }\ndown(49)", value: "49"},
		{code: "down(50)", errName: "RecursionError", errHas: []string{"the limit is 50"}},
	})
}

// TestRecursionGuardGoroutine: a goroutine started by a cell that recurses
// without end is stopped and reported on stderr; the kernel and the session
// go on, and the count is back where it was for the next calls.
func TestRecursionGuardGoroutine(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%recursion_limit 1000\nfunc spin(n int) int { return spin(n+1) }\nfunc sum(n int) int { if n == 0 { return 0 }; return n + sum(n-1) }"},
	})
	r := s.Execute(context.Background(), "done := make(chan bool)\ngo func() { defer close(done); spin(0) }()\n<-done\nsum(999)")
	if r.Error != nil {
		t.Fatalf("cell failed: %s\n%s", r.Error.Value, strings.Join(r.Error.Traceback, "\n"))
	}
	if got := r.Value.Text(); got != "499500" {
		t.Fatalf("sum after the goroutine: %q", got)
	}
	var e string
	for i := 0; i < 100 && !strings.Contains(e, "spin called at depth"); i++ { // the report is written after close(done)
		time.Sleep(10 * time.Millisecond)
		e += errw.take()
	}
	if !strings.Contains(e, "RecursionError in a goroutine started by a cell") || !strings.Contains(e, "maximum recursion depth exceeded: spin called at depth") {
		t.Fatalf("stderr lacks the goroutine's recursion report:\n%s", e)
	}
	if n := strings.Count(e, "\n"); n > 50 {
		t.Fatalf("the goroutine's report has %d lines; repeated frames should be collapsed", n)
	}
}

// TestCollapseFrames: repeated frames and cycles are shown once with a count.
func TestCollapseFrames(t *testing.T) {
	fr := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, "  in "+n, "    src "+n)
		}
		return out
	}
	cases := []struct {
		in   []string
		want []string
	}{
		{fr("a", "b"), fr("a", "b")},
		{fr("main", "f", "f", "f", "f"), append(fr("main", "f"), "  [previous frame repeated 3 more times]")},
		{fr("a", "b", "a", "b", "a", "b", "a"), append(append(fr("a", "b"), "  [previous 2 frames repeated 2 more times]"), fr("a")...)},
		{fr("f", "f", "g"), fr("f", "f", "g")},
	}
	for i, c := range cases {
		got := collapseFrames(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("case %d: got\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

// TestRecursionGuardManyGoroutines: the depth count is shared by all
// goroutines, but only a goroutine that is itself too deep is stopped: 200
// goroutines each 100 calls deep and blocked there (20000 in the count) with
// a limit of 1000 all finish, and a recursion without end is still stopped
// afterwards. A goroutine stopped by mistake would leave the cell waiting, so
// the test watches stderr for its report while the cell runs.
func TestRecursionGuardManyGoroutines(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%recursion_limit 1000\nfunc hold(n int, arrived chan int, release chan bool) int {\n\tif n == 0 {\n\t\tarrived <- 1\n\t\t<-release\n\t\treturn 0\n\t}\n\treturn 1 + hold(n-1, arrived, release)\n}"},
	})
	done := make(chan Result, 1)
	go func() {
		done <- s.Execute(context.Background(), `arrived, release, results := make(chan int, 200), make(chan bool), make(chan int, 200)
for i := 0; i < 200; i++ {
	go func() { results <- hold(100, arrived, release) }()
}
for i := 0; i < 200; i++ {
	<-arrived
}
close(release)
total := 0
for i := 0; i < 200; i++ {
	total += <-results
}
total`)
	}()
	var r Result
	for waiting := true; waiting; {
		select {
		case r = <-done:
			waiting = false
		case <-time.After(50 * time.Millisecond):
			if e := errw.take(); strings.Contains(e, "RecursionError") {
				t.Fatalf("a goroutine was stopped:\n%s", e)
			}
		}
	}
	if r.Error != nil || r.Value == nil || r.Value.Text() != "20000" {
		t.Fatalf("200 goroutines 100 deep: %+v %v", r.Error, r.Value)
	}
	runSteps(t, s, out, errw, []step{
		{code: "func spin(n int) int { return spin(n+1) }\nspin(0)", errName: "RecursionError", errHas: []string{"spin called at depth 1001"}},
	})
}

// TestRecursionErrorDefers: the deferred functions of the unwound calls run
// (they may call cell functions), and a recover() in them cannot swallow the
// RecursionError: the cell fails with it.
func TestRecursionErrorDefers(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%recursion_limit 200\nvar unwound, recovered int\nfunc twice(n int) int { return 2 * n }\nfunc dig(n int) int {\n\tdefer func() {\n\t\tif recover() != nil {\n\t\t\trecovered++\n\t\t}\n\t\tunwound += twice(1) / 2\n\t}()\n\treturn dig(n + 1)\n}"},
		{code: "dig(0)", errName: "RecursionError", errHas: []string{"dig called at depth 201", "line 1 of this cell", "[177 outer calls not shown]", "in dig (defined at line 4 of cell #1)"}},
		{code: "fmt.Sprint(unwound, \" \", recovered)", value: "200 0"},
	})
}

// TestRecursionGuardSkipsLeaves: a function that calls nothing cannot take
// part in a recursion and is left as it is; one with any call (a conversion
// counts) is guarded.
func TestRecursionGuardSkipsLeaves(t *testing.T) {
	code := "func sq(x float64) float64 { return x * x }\nfunc half(n int) float64 { return float64(n) / 2 }\nfunc hyp(a, b float64) float64 { return sq(a) + sq(b) }\nvar k = func() int { return 1 }"
	p, err := cellsrc.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	ed := &cellsrc.Editor{Src: code}
	g := &recursionGuard{limit: DefaultRecursionLimit}
	g.guard(p, ed, newLineMap().addCell(1, code))
	got := ed.Text(0, len(code))
	for i, line := range strings.Split(got, "\n") {
		guarded := strings.Contains(line, "_tlDepth++")
		if want := i == 1 || i == 2; guarded != want {
			t.Errorf("line %d guarded %v, want %v: %s", i+1, guarded, want, line)
		}
	}
}
