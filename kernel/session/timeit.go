package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/turinglab/turinglab/display"
)

// %timeit and %%timeit measure a statement the way IPython does:
//
//	%timeit [-n N] [-r R] [-p P] [-q] [-o] statement
//	%%timeit [-n N] [-r R] [-p P] [-q] [-o] [setup statement]
//	body...
//
// The statement (or the cell's body) is compiled once, through the session's
// normal cell pipeline, into the body of a loop inside a function literal, so
// it sees the session's variables, functions and imports; the compiled
// helper _tl.Timeit then calls that function: N loops per run, R runs. Without
// -n, N grows by powers of 10 until one run takes at least 0.2 s; R is 7
// unless -r says otherwise. The result reads like IPython's:
//
//	21.3 µs ± 402 ns per loop (mean ± std. dev. of 7 runs, 10,000 loops each)
//
// -p sets the significant digits (3), -q prints nothing, -o also shows the
// result as the cell's value. The setup statement of %%timeit runs before
// each run, untimed, and the body can use what it declares. The stop button
// ends the measurement.

const (
	// timeitMinRun is how long one run must take when the loop count is
	// chosen automatically.
	timeitMinRun = 0.2 // seconds
	// timeitMaxPower bounds that search: at most 10^9 loops per run.
	timeitMaxPower = 9
	// timeitRepeat is the default number of runs.
	timeitRepeat = 7
	// timeitPrecision is the default number of significant digits.
	timeitPrecision = 3
	// timeitCacheRatio is how much slower than the fastest run the slowest
	// may be before IPython's warning about a cached intermediate result.
	timeitCacheRatio = 4
)

// timeitOptions are the parsed options of %timeit.
type timeitOptions struct {
	number    int // loops per run; 0 = choose
	repeat    int
	precision int
	quiet     bool
	result    bool // -o: show the result as the cell's value
}

// parseTimeitOptions reads the options at the start of a %timeit line (-n10
// or -n 10; -t and -c are accepted: the clock is always the wall clock) and
// returns them with the statement that follows, unchanged.
func parseTimeitOptions(line string) (timeitOptions, string, error) {
	o := timeitOptions{repeat: timeitRepeat, precision: timeitPrecision}
	rest := strings.TrimLeft(line, " \t")
	for strings.HasPrefix(rest, "-") {
		tok, after, _ := strings.Cut(rest, " ")
		flags := tok[1:]
		if flags == "" || strings.Trim(flags, "nrpqotc0123456789") != "" || !strings.ContainsAny(flags[:1], "nrpqotc") {
			break // not options: the statement starts with a minus (-x)
		}
		next := strings.TrimLeft(after, " \t")
	letters:
		for i := 0; i < len(flags); i++ {
			switch c := flags[i]; c {
			case 'q':
				o.quiet = true
			case 'o':
				o.result = true
			case 't', 'c':
			case 'n', 'r', 'p':
				arg := flags[i+1:]
				if arg == "" {
					arg, next, _ = strings.Cut(next, " ")
					next = strings.TrimLeft(next, " \t")
				}
				v, err := strconv.Atoi(arg)
				if err != nil || v < 1 {
					return o, "", fmt.Errorf("option -%c needs a positive whole number, not %q", c, arg)
				}
				switch c {
				case 'n':
					o.number = v
				case 'r':
					o.repeat = v
				default:
					o.precision = v
				}
				break letters
			default:
				return o, "", fmt.Errorf("unknown option -%c (the options are -n N, -r R, -p P, -q, -o)", c)
			}
		}
		rest = next
	}
	return o, strings.TrimSpace(rest), nil
}

// timeitLineMagic is `%timeit [options] statement`.
func timeitLineMagic(s *Session, ctx context.Context, args string) Result {
	o, stmt, err := parseTimeitOptions(args)
	if err != nil {
		return usageError("%%timeit: %v", err)
	}
	if stmt == "" {
		return Result{}
	}
	return s.run(ctx, timeitCode(o, "", asStatement(stmt), false))
}

// timeitCellMagic is `%%timeit [options] [setup]` with the body to time.
func timeitCellMagic(s *Session, ctx context.Context, args, body string) Result {
	o, setup, err := parseTimeitOptions(args)
	if err != nil {
		return usageError("%%%%timeit: %v", err)
	}
	if strings.TrimSpace(body) == "" {
		return usageError("%%%%timeit: the cell has nothing to time below the %%%%timeit line")
	}
	return s.run(ctx, timeitCode(o, setup, body, true))
}

// asStatement makes a lone expression a statement that Go accepts in a loop
// (`x + 1` becomes `_ = x + 1`); calls, receives and statements stay as they
// are.
func asStatement(stmt string) string {
	e, err := parser.ParseExpr(stmt)
	if err != nil {
		return stmt
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		return stmt
	case *ast.UnaryExpr:
		if x.Op.String() == "<-" {
			return stmt
		}
	}
	return "_ = " + stmt
}

// timeitCode is the cell that times body: a function literal holding the
// setup and returning the loop, passed to _tl.Timeit. For a cell magic the
// body starts on line 2, where it was in the cell, so errors name its lines.
func timeitCode(o timeitOptions, setup, body string, cell bool) string {
	var b strings.Builder
	b.WriteString("_tl.Timeit(func() func(int) { ")
	if setup != "" {
		b.WriteString(setup + "\n")
	} else if cell {
		b.WriteString("\n")
	}
	b.WriteString("return func(_tlN int) { for _tlI := 0; _tlI < _tlN; _tlI++ { ")
	b.WriteString(body)
	fmt.Fprintf(&b, "\n} } }, %d, %d, %d, %t, %t)", o.number, o.repeat, o.precision, o.quiet, o.result)
	return b.String()
}

// timeitLoops chooses the loops per run as IPython does: 1, 10, 100, ...
// until one run of that many loops takes at least timeitMinRun seconds (at
// most 10^timeitMaxPower). run times one run and returns its seconds.
func timeitLoops(run func(loops int) float64) int {
	loops := 1
	for p := 0; p <= timeitMaxPower; p++ {
		loops = int(math.Pow10(p))
		if run(loops) >= timeitMinRun {
			break
		}
	}
	return loops
}

// timeitResult is what one measurement found.
type timeitResult struct {
	loops, repeat int
	precision     int
	runs          []float64 // seconds per loop, one per run
}

// timeit is _tl.Timeit: it chooses the loop count (unless given), times
// repeat runs of loops calls, prints the result and, for -o, returns it as the
// cell's value (nil otherwise). setup runs before each run, untimed, and
// returns the loop to time. An interrupt stops it between runs (and the
// interpreter stops the loop itself).
func (r *runtimeState) timeit(setup func() func(int), number, repeat, precision int, quiet, result bool) any {
	run := func(loops int) float64 {
		if display.Interrupted() {
			panic(display.ErrInterrupted)
		}
		loop := setup()
		start := time.Now()
		loop(loops)
		return time.Since(start).Seconds()
	}
	if number == 0 {
		number = timeitLoops(run)
	}
	res := timeitResult{loops: number, repeat: repeat, precision: precision}
	for i := 0; i < repeat; i++ {
		res.runs = append(res.runs, run(number)/float64(number))
	}
	if display.Interrupted() {
		panic(display.ErrInterrupted)
	}
	if !quiet {
		r.mu.Lock()
		out := r.stdout
		r.mu.Unlock()
		best, worst := res.runs[0], res.runs[0]
		for _, t := range res.runs {
			best, worst = math.Min(best, t), math.Max(worst, t)
		}
		if worst > timeitCacheRatio*best && best > 0 && worst > 1e-6 {
			fmt.Fprintf(out, "The slowest run took %0.2f times longer than the fastest. This could mean that an intermediate result is being cached.\n", worst/best)
		}
		fmt.Fprintln(out, res.String())
	}
	if result {
		return "<TimeitResult : " + res.String() + ">"
	}
	return nil
}

// String is IPython's line for a timeit result.
func (t timeitResult) String() string {
	var sum float64
	for _, x := range t.runs {
		sum += x
	}
	mean := sum / float64(len(t.runs))
	var sq float64
	for _, x := range t.runs {
		sq += (x - mean) * (x - mean)
	}
	std := math.Sqrt(sq / float64(len(t.runs)))
	return fmt.Sprintf("%s ± %s per loop (mean ± std. dev. of %d run%s, %s loop%s each)",
		formatTimespan(mean, t.precision), formatTimespan(std, t.precision),
		t.repeat, plural(t.repeat), groupThousands(t.loops), plural(t.loops))
}

// formatTimespan is IPython's _format_time: under a minute, precision
// significant digits in s, ms, µs or ns (the largest unit that keeps the
// number at least 1; ns below that); from a minute on, "1h 2min 3s".
func formatTimespan(seconds float64, precision int) string {
	if seconds >= 60 {
		var parts []string
		left := seconds
		for _, u := range []struct {
			suffix string
			length float64
		}{{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}} {
			if v := math.Floor(left / u.length); v > 0 {
				left = math.Mod(left, u.length)
				parts = append(parts, fmt.Sprintf("%d%s", int(v), u.suffix))
			}
			if left < 1 {
				break
			}
		}
		return strings.Join(parts, " ")
	}
	units := []string{"s", "ms", "µs", "ns"}
	order := 3
	if seconds > 0 {
		// Python's -int(floor(log10(t)) // 3): floor division.
		order = min(-int(math.Floor(math.Floor(math.Log10(seconds))/3)), 3)
	}
	return fmt.Sprintf("%.*g %s", precision, seconds*math.Pow(1000, float64(order)), units[order])
}

// groupThousands writes n with commas between groups of three digits, like
// Python's format(n, ",").
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
