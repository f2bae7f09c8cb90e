package session

import (
	"os"
	"strings"
	"testing"
)

func TestEnvMagic(t *testing.T) {
	t.Setenv("TURINGLAB_MAGIC_VAR", "start")
	t.Setenv("TURINGLAB_MAGIC_SPACE", "")
	t.Setenv("TURINGLAB_API_TOKEN", "s3cret")
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%env TURINGLAB_MAGIC_VAR", value: "'start'"},
		{code: "%env TURINGLAB_MAGIC_VAR=changed", out: "env: TURINGLAB_MAGIC_VAR=changed\n"},
		// The kernel's environment: ! commands, compiled and interpreted code see it.
		{code: "!echo $TURINGLAB_MAGIC_VAR", out: "changed\n"},
		{code: "import \"os\"\nos.Getenv(\"TURINGLAB_MAGIC_VAR\")", value: "changed"},
		{code: "%env TURINGLAB_MAGIC_SPACE two words", out: "env: TURINGLAB_MAGIC_SPACE=two words\n"},
		{code: "%env TURINGLAB_MAGIC_SPACE", value: "'two words'"},
		{code: "os.Setenv(\"TURINGLAB_MAGIC_VAR\", \"from a cell\")"},
		{code: "%env TURINGLAB_MAGIC_VAR", value: "'from a cell'"},
		{code: "%env TURINGLAB_NO_SUCH_VAR", errName: "UsageError", errHas: []string{"Environment does not have key: TURINGLAB_NO_SUCH_VAR"}},
		{code: "%env BAD NAME=1", errName: "UsageError", errHas: []string{"whitespace"}},
	})
	if got := os.Getenv("TURINGLAB_MAGIC_VAR"); got != "from a cell" {
		t.Fatalf("the process environment has %q", got)
	}
	r := s.Execute(t.Context(), "%env")
	if r.Error != nil || r.Value == nil {
		t.Fatalf("%%env: %+v", r)
	}
	list := r.Value.Text()
	for _, want := range []string{"{'", "'TURINGLAB_MAGIC_SPACE': 'two words'", "'TURINGLAB_API_TOKEN': '<hidden>'", ",\n '"} {
		if !strings.Contains(list, want) {
			t.Fatalf("%%env lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "s3cret") {
		t.Fatalf("%%env shows a secret:\n%s", list)
	}
}

func TestPythonRepr(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     "'plain'",
		"it's":      `"it's"`,
		`both '"`:   `'both \'"'`,
		"a\\b\n\tc": `'a\\b\n\tc'`,
		"µs \x01":   `'µs \x01'`,
	} {
		if got := pyRepr(in); got != want {
			t.Errorf("pyRepr(%q) = %s, want %s", in, got, want)
		}
	}
	if got := pyDictRepr([]string{"A", "B"}, []string{"1", "2"}); got != "{'A': '1', 'B': '2'}" {
		t.Errorf("short dict: %s", got)
	}
}
