package session

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// timeitRE is IPython's %timeit line.
var timeitRE = regexp.MustCompile(`^(\d+(?:\.\d+)?) (s|ms|µs|ns) ± (\d+(?:\.\d+)?(?:e[+-]\d+)?) (s|ms|µs|ns) per loop \(mean ± std\. dev\. of (\d+) runs?, ([\d,]+) loops? each\)\n$`)

// timeitLine runs code and parses its %timeit line: runs and loops.
func timeitLine(t *testing.T, s *Session, out *syncBuffer, code string) (runs, loops int) {
	t.Helper()
	r := s.Execute(context.Background(), code)
	if r.Error != nil {
		t.Fatalf("%q: %s: %s\n%s", code, r.Error.Name, r.Error.Value, strings.Join(r.Error.Traceback, "\n"))
	}
	o := out.take()
	if i := strings.Index(o, "The slowest run took"); i >= 0 { // IPython's caching warning comes first
		o = o[strings.Index(o, "\n")+1:]
	}
	m := timeitRE.FindStringSubmatch(o)
	if m == nil {
		t.Fatalf("%q: output %q is not IPython's timeit line", code, o)
	}
	runs, _ = strconv.Atoi(m[5])
	loops, _ = strconv.Atoi(strings.ReplaceAll(m[6], ",", ""))
	return runs, loops
}

func TestTimeit(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{{code: "count, setups, sum := 0, 0, 0\nfunc bump() { count++ }"}})

	// -n and -r are honoured: the statement runs exactly n×r times.
	if runs, loops := timeitLine(t, s, out, "%timeit -n 5 -r 3 bump()"); runs != 3 || loops != 5 {
		t.Fatalf("-n 5 -r 3: %d runs of %d loops", runs, loops)
	}
	runSteps(t, s, out, errw, []step{{code: "count", value: "15"}, {code: "count = 0"}})

	// Without -n: 1, 10, 100, ... loops until a run takes 0.2 s, then 7 runs
	// of that many (here -r 2): the statement ran 1+10+...+N plus 2N times.
	runs, loops := timeitLine(t, s, out, "%timeit -r 2 count++")
	if runs != 2 || strconv.Itoa(loops) != "1"+strings.Repeat("0", len(strconv.Itoa(loops))-1) {
		t.Fatalf("auto: %d runs of %d loops (want 2 runs of a power of 10)", runs, loops)
	}
	calibration := (10*loops - 1) / 9
	runSteps(t, s, out, errw, []step{{code: "count", value: strconv.Itoa(calibration + 2*loops)}})

	// %%timeit: the first line's setup runs before each run, untimed, and the
	// body sees what it declares.
	if runs, loops := timeitLine(t, s, out, "%%timeit -n3 -r2 setups++; k := 10\nsum += k"); runs != 2 || loops != 3 {
		t.Fatalf("%%%%timeit -n3 -r2: %d runs of %d loops", runs, loops)
	}
	runSteps(t, s, out, errw, []step{
		{code: "setups", value: "2"},
		{code: "sum", value: "60"},
		// An expression is timed as a statement; -q prints nothing; -o shows the result.
		{code: "%timeit -n 1 -r 1 -q count + 1", out: ""},
		{code: "%timeit -n 0 count", errName: "UsageError", errHas: []string{"-n"}},
		{code: "%timeit undefinedThing()", errName: "CompileError", errHas: []string{"undefined: undefinedThing"}},
	})
}

func TestTimeitResultValue(t *testing.T) {
	s, _, _ := newTestSession(t)
	r := s.Execute(context.Background(), "%timeit -n 2 -r 1 -q -o 1 + 1")
	if r.Error != nil || r.Value == nil || !strings.HasPrefix(r.Value.Text(), "<TimeitResult : ") {
		t.Fatalf("-o: %+v", r)
	}
}

func TestTimeitInterrupt(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{{code: "import \"time\"\nspins := 0"}})
	for _, code := range []string{
		"%timeit -n 1 -r 1 for { spins++ }",
		"%timeit time.Sleep(20 * time.Millisecond)",
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		r := s.Execute(ctx, code)
		if r.Error == nil || r.Error.Name != "KeyboardInterrupt" {
			t.Fatalf("%q: want KeyboardInterrupt, got %+v", code, r.Error)
		}
		if o := out.take(); strings.Contains(o, "per loop") {
			t.Fatalf("%q: printed a result after the interrupt: %q", code, o)
		}
	}
	runSteps(t, s, out, errw, []step{{code: "1 + 1", value: "2"}})
}

func TestTimeitLoops(t *testing.T) {
	// A statement of 3 µs: 100,000 loops take 0.3 s, the first count ≥ 0.2 s.
	var tried []int
	got := timeitLoops(func(loops int) float64 { tried = append(tried, loops); return 3e-6 * float64(loops) })
	if got != 100000 || len(tried) != 6 {
		t.Fatalf("3 µs: %d loops after trying %v", got, tried)
	}
	if got := timeitLoops(func(int) float64 { return 1 }); got != 1 {
		t.Fatalf("a slow statement: %d loops, want 1", got)
	}
	if got := timeitLoops(func(int) float64 { return 0 }); got != 1000000000 {
		t.Fatalf("a free statement: %d loops, want the cap 10^9", got)
	}
}

func TestTimeitFormat(t *testing.T) {
	for _, c := range []struct {
		seconds   float64
		precision int
		want      string
	}{
		{8.26e-9, 3, "8.26 ns"},
		{0.12e-9, 3, "0.12 ns"},
		{0, 3, "0 ns"},
		{29.9e-9, 3, "29.9 ns"},
		{2.13e-5, 3, "21.3 µs"},
		{0.000402, 3, "402 µs"},
		{0.5, 3, "500 ms"},
		{1.37, 3, "1.37 s"},
		{12.3456, 4, "12.35 s"},
		{0.9999999, 3, "1e+03 ms"},
		{3725.5, 3, "1h 2min 5s"},
		{90061, 3, "1d 1h 1min 1s"},
	} {
		if got := formatTimespan(c.seconds, c.precision); got != c.want {
			t.Errorf("formatTimespan(%g, %d) = %q, want %q", c.seconds, c.precision, got, c.want)
		}
	}
	r := timeitResult{loops: 1000000, repeat: 7, precision: 3, runs: []float64{1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6}}
	if got, want := r.String(), "1 µs ± 0 ns per loop (mean ± std. dev. of 7 runs, 1,000,000 loops each)"; got != want {
		t.Errorf("result line %q, want %q", got, want)
	}
	r = timeitResult{loops: 1, repeat: 1, precision: 3, runs: []float64{2}}
	if got, want := r.String(), "2 s ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)"; got != want {
		t.Errorf("result line %q, want %q", got, want)
	}
	for _, c := range []struct {
		line string
		want timeitOptions
		stmt string
	}{
		{"-n10 -r 3 f(x)", timeitOptions{number: 10, repeat: 3, precision: 3}, "f(x)"},
		{"-qo -p5 x + 1", timeitOptions{repeat: 7, precision: 5, quiet: true, result: true}, "x + 1"},
		{"-x * 2", timeitOptions{repeat: 7, precision: 3}, "-x * 2"},
	} {
		got, stmt, err := parseTimeitOptions(c.line)
		if err != nil || got != c.want || stmt != c.stmt {
			t.Errorf("parseTimeitOptions(%q) = %+v, %q, %v", c.line, got, stmt, err)
		}
	}
}
