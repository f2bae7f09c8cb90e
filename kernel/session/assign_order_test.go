package session

import "testing"

// TestAssignOrder: a multi-assignment evaluates its map destinations' keys
// before assigning anything, as Go does (yaegi v0.16.1 read a key variable
// only after assigning the destinations before it), at the top level of a
// cell and inside functions; what cannot be rewritten is refused.
func TestAssignOrder(t *testing.T) {
	s, out, errw := newTestSession(t)
	body := "m := map[string]int{}\nk := \"a\"\nk, m[k] = \"b\", 1\n" +
		"m[k], k, m[k] = 2, \"c\", 3\n" +
		"type O struct{ k string }\no := O{\"d\"}\no, m[o.k] = O{\"e\"}, 4\n" +
		"mi := map[int]any{}\ni := 0\ni, mi[i] = 1, \"x\"\n" +
		"s := []int{0, 0}\nj := 0\nj, s[j] = 1, 5\n" +
		"a := []int{1, 2, 3}\nii, jj := 0, 2\na[ii], a[jj] = a[jj], a[ii]\n"
	result := "fmt.Sprint(m, k, o, mi, s, j, a)"
	want := "map[a:1 b:3 d:4]c{e} map[0:x] [5 0] 1 [3 2 1]"
	runSteps(t, s, out, errw, []step{
		{code: body + result, value: want},
		{code: "func order() string {\n" + body + "return " + result + "\n}\norder()", value: want},
		{code: "func inLoop() string {\n\tm := map[string]int{}\n\tfor k := range []string{\"a\", \"b\"} {\n\t\tks := fmt.Sprint(k)\n\t\tks, m[ks] = \"z\", k\n\t}\n\treturn fmt.Sprint(m)\n}\ninLoop()", value: "map[0:0 1:1]"},
		// the indexed map itself, or a statement's header, cannot be rewritten
		{code: "m2 := map[string]int{}\nm, m[k] = m2, 1", errName: "CompileError", errHas: []string{"2:4:", "indexed m"}},
		{code: "for k, m[k] = \"a\", 1; len(k) < 2; k += \"a\" {\n}", errName: "CompileError", errHas: []string{"1:5:", "header"}},
	})
}
