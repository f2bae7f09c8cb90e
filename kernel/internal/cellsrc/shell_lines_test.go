package cellsrc

import "testing"

// RewriteShellLines turns a `!command` line into a call of _tl.Sh wherever a
// statement may start, and leaves a `!` that continues an expression, or is
// inside a string or comment, alone.
func TestRewriteShellLines(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"!ls -l", `_tl.Sh("ls -l")`},
		{"  !echo \"hi\"\r\n", "  _tl.Sh(\"echo \\\"hi\\\"\")\r\n"},
		{"x := f(a,\n!b)", "x := f(a,\n!b)"},
		{"x := a ||\n!b", "x := a ||\n!b"},
		{"s := `\n!raw`", "s := `\n!raw`"},
		{"/*\n!comment\n*/\n!cmd", "/*\n!comment\n*/\n_tl.Sh(\"cmd\")"},
		{"switch {\ncase ok:\n!echo yes\n}", "switch {\ncase ok:\n_tl.Sh(\"echo yes\")\n}"},
		{"i++ // note\n!echo", "i++ // note\n_tl.Sh(\"echo\")"},
		{"x := a != b", "x := a != b"},
	} {
		if got, _ := RewriteShellLines(c.in); got != c.want {
			t.Errorf("RewriteShellLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
