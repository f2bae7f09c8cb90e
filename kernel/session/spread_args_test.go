package session

import "testing"

// Spreading a package's variable into a variadic function passes the slice,
// to a compiled method, an interpreted function and append, at the top level
// and inside a function (yaegi converted it to the element type).
func TestSpreadPackageVariable(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nimport \"github.com/turinglab/turinglab/bert\"\nimport \"github.com/turinglab/turinglab/data\"\ncfg := bert.DefaultConfig()\ncfg.SetLabels(data.SentimentLabels...)\ncfg.NumLabels()", value: "3"},
		{code: "func relabel(c *bert.Config) int { c.SetLabels(data.SentimentLabels...); return c.NumLabels() }\nrelabel(bert.DefaultConfig())", value: "3"},
		{code: "func count(xs ...string) int { return len(xs) }\ncount(data.SentimentLabels...)", value: "3"},
		{code: "fmt.Sprint(append([]string{\"x\"}, data.SentimentLabels...), len(append([]byte(\"ab\"), data.SentimentLabels[0]...)))", value: "[x negative neutral positive] 10"},
		// A field spreads as before.
		{code: "type holder struct{ xs []string }\nh := holder{[]string{\"a\"}}\ncount(h.xs...)", value: "1"},
	})
}
