package session

import "testing"

// TestNamedResultsStartAtZero: a function's named results start at zero on
// every call (yaegi v0.16.1 started them at the previous call's values when
// called again from the same place, or at the variable assigned).
func TestNamedResultsStartAtZero(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "func start() (tokens []string, words [][]int, counts []int) {\n\ttokens = append(tokens, \"a\")\n\twords = append(words, []int{1})\n\tcounts = append(counts, 1)\n\treturn tokens, words, counts\n}\n" +
			"func total(xs []float64) (sum float64, err error) {\n\tfor _, x := range xs {\n\t\tsum += x\n\t}\n\treturn\n}"},
		// the course's cell: a top-level loop calling it (run as a function body)
		{code: "for pass := 0; pass < 3; pass++ {\n\ttokens, words, counts := start()\n\tfmt.Println(len(tokens), len(words), len(counts))\n}", out: "1 1 1\n1 1 1\n1 1 1\n"},
		{code: "var got []float64\nfor i := 0; i < 3; i++ {\n\tsm, _ := total([]float64{1, 2})\n\tgot = append(got, sm)\n}\ngot", value: "[3 3 3]"},
		{code: "sm := 10.0\nsm, _ = total([]float64{1})\nsm", value: "1"},
		{code: "func count() (n int) { n++; return }\nfmt.Println(count(), count())\nfor i := 0; i < 2; i++ { fmt.Println(count()) }", out: "1 1\n1\n1\n"},
		{code: "var e2 error = errors.New(\"old\")\n_, e2 = total(nil)\nfmt.Sprint(e2)", value: "<nil>"},
	})
}
