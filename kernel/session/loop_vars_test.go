package session

import "testing"

// Go 1.22's per-iteration loop variables: closures, pointers and goroutines
// made in a loop see their own iteration's variable, in three-clause loops
// (also when the body changes the variable or continues), range loops and
// ranges over integers, at the top level of a cell and in functions.
func TestPerIterationLoopVariables(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nfs := []func() int{}\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\nfmt.Sprint(fs[0](), fs[1](), fs[2]())", value: "0 1 2"},
		{code: "gs := []func() int{}\nfor _, v := range []int{5, 6, 7} { gs = append(gs, func() int { return v }) }\nfmt.Sprint(gs[0](), gs[1](), gs[2]())", value: "5 6 7"},
		{code: "ks := []func() int{}\nfor i := range 3 { ks = append(ks, func() int { return i }) }\nfmt.Sprint(ks[0](), ks[1](), ks[2]())", value: "0 1 2"},
		{code: "func inF() string {\n\tfs := []func() int{}\n\tfor i := 0; i < 3; i++ {\n\t\tfs = append(fs, func() int { return i })\n\t}\n\treturn fmt.Sprint(fs[0](), fs[1](), fs[2]())\n}\ninF()", value: "0 1 2"},
		// The body assigns the variable, continues, and declares its own i:
		// the next iteration starts from the value the body left.
		{code: "hs := []func() int{}\nfor i := 0; i < 10; i++ {\n\ths = append(hs, func() int { return i })\n\ti += 2\n\tif i == 5 {\n\t\tcontinue\n\t}\n\ti := 100\n\t_ = i\n}\nfmt.Sprint(len(hs), hs[0](), hs[1](), hs[2](), hs[3]())", value: "4 2 5 8 11"},
		// A labelled continue from an inner loop; pointers to the variable.
		{code: "ps := []*int{}\nouter:\nfor i := 0; i < 3; i++ {\n\tfor j := 0; j < 2; j++ {\n\t\tif j == 1 {\n\t\t\tcontinue outer\n\t\t}\n\t\tps = append(ps, &i)\n\t}\n}\nfmt.Sprint(*ps[0], *ps[1], *ps[2])", value: "0 1 2"},
		// Goroutines started in loops.
		{code: "import \"sync\"\nvar mu sync.Mutex\nvar wg sync.WaitGroup\ngot := make([]int, 3)\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); mu.Lock(); got[i] = i * 10; mu.Unlock() }()\n}\nwg.Wait()\nfor _, k := range []int{0, 1, 2} {\n\twg.Add(1)\n\tgo func(d int) { defer wg.Done(); mu.Lock(); got[k] += d; mu.Unlock() }(k)\n}\nwg.Wait()\nfmt.Sprint(got)", value: "[0 11 22]"},
		// What cannot be made exact is refused, naming the line.
		{code: "for i := 0; func() bool { return i < 3 }(); i++ {\n\t_ = func() int { return i }\n}", errName: "CompileError", errHas: []string{"1:13", "per-iteration"}},
	})
}

// Go 1.23's range over a function gets an error that says how to write it.
func TestRangeOverFunc(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "func count(yield func(int) bool) {\n\tfor i := 0; i < 3; i++ {\n\t\tif !yield(i) {\n\t\t\treturn\n\t\t}\n\t}\n}"},
		{code: "total := 0\nfor x := range count {\n\ttotal += x\n}", errName: "CompileError", errHas: []string{"2:16", "range over a function (Go 1.23) is not supported", "count(func(x T) bool"}},
		{code: "total := 0\ncount(func(x int) bool { total += x; return true })\ntotal", value: "3"},
	})
}
