package session

import "testing"

// A slice literal built from fields of elements of a compiled slice held in
// a global compiles, at the top level, in a function and passed to a
// compiled method (yaegi's compiler crashed with a nil pointer dereference).
func TestLiteralOfCompiledSliceElements(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nimport \"github.com/turinglab/turinglab/data\"\nimport \"github.com/turinglab/turinglab/interpret\"\nexamples := data.Sentiment(data.SentimentOptions{})\nvictims := examples[:10]\ntexts := []string{victims[0].Text, victims[1].Text}\ntexts[1] == victims[1].Text", value: "true"},
		{code: "func firstTwo() []string { return []string{victims[0].Text, victims[1].Text} }\nlen(firstTwo())", value: "2"},
		{code: "var clf *interpret.Classifier\nfunc predictTwo() ([]int, error) { return clf.Predict([]string{victims[0].Text, victims[1].Text}) }"},
		// A struct literal with unkeyed fields is still beyond the rewrite: the
		// error says what to write instead, which works.
		{code: "type pair struct{ a, b string }\np := pair{victims[0].Text, \"x\"}", errName: "CompileError", errHas: []string{"name the fields"}},
		{code: "q := pair{a: victims[0].Text}\nq.a == victims[0].Text", value: "true"},
		{code: "t := victims[2].Text\nnested := [][]string{{victims[0].Text, t}, texts}\ntwo := [...]data.Example{victims[3], *&victims[4]}\nfmt.Sprint(len(nested), nested[0][1] == t, two[1].Text == victims[4].Text)", value: "2 true true"},
	})
}
