package session

import "testing"

// A return of several values gives each its own value: built-in calls in it
// (yaegi wrote them all into the first result) and values that read named
// results (yaegi read them after an earlier value was stored into them), with
// and without the recursion guard's defer, in a function called from a loop.
func TestReturnOfSeveralValues(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\ntype myErr struct{ s string }\nfunc (e myErr) Error() string { return e.s }\ntype Celsius float64"},
		{code: "func lens() (int, int) { return 5, len(\"ab\") }\nfmt.Sprint(lens())", value: "5 2"},
		{code: "func two() ([]int, []int) { a := []int{-1}; b := []int{-100}; return append(a, 99), append(b, -100) }\nfmt.Sprint(two())", value: "[-1 99] [-100 -100]"},
		{code: "func swap() (a, b int) { a, b = 1, 2; return b, a }\nfmt.Sprint(swap())", value: "2 1"},
		{code: "func next() (a, b int) { a = 1; return a + 1, a }\nfmt.Sprint(next())", value: "2 1"},
		{code: "func grow() (a, b []int) { a = []int{1}; return append(a, 2), a }\nfmt.Sprint(grow())", value: "[1 2] [1]"},
		{code: "func fails() (n int, err error) { n = 3; return n * 2, myErr{\"bad\"} }\nfmt.Sprint(fails())", value: "6 bad"},
		{code: "func untyped() (f float64, err error) { return 1, nil }\nfmt.Sprint(untyped())", value: "1 <nil>"},
		// Over two lines, a comment with a comma, a defer (the guard's other form).
		{code: "func warm() (c Celsius, err error) { c = 2; return c + 1,\n\terr }\nfmt.Sprint(warm())", value: "3 <nil>"},
		{code: "func deferred() (a, b int) { defer func() {}(); a, b = 1, 2; return b /* x, y */, a }\nfmt.Sprint(deferred())", value: "2 1"},
		{code: "func lit() (int, int) { f := func() (a, b int) { a = 7; return 1, a }; return f() }\nfmt.Sprint(lit())", value: "1 7"},
		// Named results built up by a bare return, called from a top-level
		// loop (the second call started from the first call's a: fixed by
		// cellsrc's named_results.go, which zeroes them on entry).
		{code: "func w(ids []int) (a, b []int) { for _, x := range ids { a = append(a, x) }; return }\nvar ws []string\nfor _, s := range [][]int{{1, 2}, {1, 2, 3}} {\n\tc, _ := w(s)\n\tws = append(ws, fmt.Sprint(c))\n}\nfmt.Sprint(ws)", value: "[[1 2] [1 2 3]]"},
		// The course's alignWords, called from a top-level loop.
		{code: "func alignWords(xs []int) (ids, labels []int) {\n\tids, labels = []int{-1}, []int{-100}\n\tfor _, x := range xs {\n\t\tids, labels = append(ids, x), append(labels, x*10)\n\t}\n\treturn append(ids, 99), append(labels, -100)\n}\nvar got []string\nfor i := 0; i < 2; i++ {\n\ta, b := alignWords([]int{1, 2})\n\tgot = append(got, fmt.Sprint(a, b))\n}\nfmt.Sprint(got)", value: "[[-1 1 2 99] [-100 10 20 -100] [-1 1 2 99] [-100 10 20 -100]]"},
	})
}
