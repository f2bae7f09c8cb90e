package session

import "testing"

// TestBlockShadow: a := inside a top-level loop, if, switch or block of a
// name that is a global (of another type, or the same) declares a new local,
// as in Go; yaegi v0.16.1 assigned the global (reflect.Set panics).
func TestBlockShadow(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "x := []float32{1}\nn := 0"},
		{code: "for i := 0; i < 2; i++ {\n\tx := strconv.Itoa(i)\n\tn++\n\tfmt.Print(x)\n}", out: "01"},
		{code: "for _, v := range []int{3, 4} {\n\tx := strconv.Itoa(v)\n\tfmt.Print(x)\n}", out: "34"},
		{code: "if true {\n\tx := \"if\"\n\tfmt.Print(x)\n}\nswitch {\ndefault:\n\tvar x = \"sw\"\n\tfmt.Print(x)\n}\n{\n\tx := []float32{9}\n\t_ = x\n}", out: "ifsw"},
		{code: "for x := range 2 {\n\tn += x\n}\ny := 5\nfor y := 0; y < 1; y++ {\n\tn += 10\n}", out: ""},
		{code: "fmt.Sprint(x, n, y)", value: "[1] 13 5"},
	})
}
