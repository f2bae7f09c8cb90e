package session

import "testing"

// Go 1.21's min, max and clear work in cells, with the spec's rules for
// untyped constants and NaN, and a user's own min or max shadows the built-in.
func TestMinMaxClear(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nimport \"math\"\nx := 2.5\nfmt.Sprintf(\"%T %v %v\", min(1, x), min(1, x), max(x, 1, 7))", value: "float64 1 7"},
		{code: "fmt.Sprint(min(3, 1, 2), \" \", max(\"b\", \"a\", \"c\"), \" \", min(1, 2.5), \" \", max('a', 'b'))", value: "1 c 1 98"},
		// All constants: a constant of the largest kind, as in Go.
		{code: "var f float64 = min(1, 2)\ny := min(1, 2.5)\nfmt.Sprintf(\"%v %T\", f, y)", value: "1 float64"},
		{code: "fmt.Sprint(math.IsNaN(min(math.NaN(), x)), math.IsNaN(max(x, math.NaN(), 9)))", value: "true true"},
		{code: "type Celsius float64\nvar c Celsius = 20\nmax(c, 25)", value: "25"},
		{code: "func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }\nclamp(12, 0, 10) + clamp(-3, 0, 10)", value: "10"},
		{code: "m := map[string]int{\"a\": 1}\nxs := []int{1, 2}\nclear(m)\nclear(xs)\nfmt.Sprint(len(m), xs)", value: "0 [0 0]"},
		// Shadowing: a parameter, a local, a func of the cell or of an earlier cell.
		{code: "func g(min int) int { return min }\ng(3)", value: "3"},
		{code: "func h() int { min := func(a, b int) int { return 99 }; return min(1, 2) }\nh()", value: "99"},
		{code: "func max(a, b int) int { return 42 }\nmax(1, 2)", value: "42"},
		{code: "max(5, 6)", value: "42"},
		{code: "min(5, 6)", value: "5"},
	})
}
