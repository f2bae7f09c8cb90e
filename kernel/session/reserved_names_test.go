package session

import "testing"

// The session's own code (the min/max helpers, the display helpers, the
// recursion guard, the loop-variable and range-over-int rewrites, function-body
// cells, %timeit, ! lines, auto-imports) declares only names that start with
// _tl, so a user's global of any name and type leaves it working. A global T
// used to break every later min or max ("undefined type for T": yaegi resolves
// an earlier generic function's type parameter against the newer globals).
func TestUserGlobalsNamedLikeSessionCode(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		// Globals named like the parameters and locals of the session's helpers,
		// each of a type other than the helper's.
		{code: "T := 5\nx := \"x\"\nys := 3\ny := 2.5\nv := []int{1}\nr := 'r'\nname := 3.5\nline := \"l\"\ndepth := \"d\"\nn := \"n\"\nN := \"N\"\nI := \"I\"\nS := 1\nOrdered := 2"},
		{code: "func smaller(a, b int) int { return min(a, b) }\nsmaller(3, 4) + max(1, 2, 7)", value: "10"},
		{code: "max(2.5, y) + min(-1.0, 3)", value: "1.5"},
		{code: "type P struct{ A int }\nfunc (p P) String() string { return \"P!\" }\nP{1}", value: "P!"},
		{code: "func deep(k int) int { if k == 0 { return 0 }; return deep(k-1) + 1 }\ndeep(100000)", errName: "RecursionError", errHas: []string{"deep called at depth"}},
		{code: "func deepD(k int) int { defer func() {}(); if k == 0 { return 0 }; return deepD(k-1) + 1 }\ndeepD(100)", value: "100"},
		{code: "total := 0\nfor i := range 4 { total += i }\ntotal", value: "6"},
		{code: "fs := []func() int{}\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\nfs[0]() + fs[2]()", value: "2"},
		{code: "!echo shell", out: "shell\n"},
		{code: "%timeit -n 1 -r 1 min(1, 2)", out: "per loop"},
		{code: "strings.ToUpper(line)", value: "L"},
		{code: "fmt.Sprint(T, x, ys, y, v, r, name, line, depth, n, N, I, S, Ordered)", value: "5x3 2.5 [1] 114 3.5ldnNI1 2"},
	})
}
