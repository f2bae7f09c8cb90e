package session

import (
	"regexp"
	"strings"
	"testing"
)

// lsmagicRE is the layout of IPython's %lsmagic: sorted names two spaces apart.
var lsmagicRE = regexp.MustCompile(`^Available line magics:\n%[a-z_]+(  %[a-z_]+)*\n\nAvailable cell magics:\n%%[a-z_]+(  %%[a-z_]+)*\n\nAutomagic is OFF, % prefix IS needed for line magics.\n$`)

func TestMagicListings(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "%help", out: "%timeit STMT"},
		{code: "%nope", errName: "UsageError", errHas: []string{"Line magic function `%nope` not found.", "%cd", "%%writefile", "%help"}},
		{code: "%%nope\nbody", errName: "UsageError", errHas: []string{"Cell magic `%%nope` not found."}},
	})
	s.Execute(t.Context(), "%lsmagic")
	if o := out.take(); !lsmagicRE.MatchString(o) {
		t.Fatalf("%%lsmagic printed %q", o)
	} else {
		listed := " " + strings.Join(strings.Fields(o), " ") + " "
		for _, want := range []string{"%cd", "%env", "%help", "%lsmagic", "%pwd", "%timeit", "%%bash", "%%sh", "%%time", "%%timeit", "%%writefile"} {
			if !strings.Contains(listed, " "+want+" ") {
				t.Fatalf("%%lsmagic lacks %s:\n%s", want, o)
			}
		}
	}

	// Every magic of the tables is in %help, and %help names nothing else.
	line, cell := knownMagics()
	known := strings.Join(append(line, cell...), " ") + " "
	for name := range lineMagics {
		if !strings.Contains(known, name+" ") {
			t.Errorf("%s is missing from %%help", name)
		}
	}
	for name := range cellMagics {
		if !strings.Contains(known, name+" ") {
			t.Errorf("%s is missing from %%help", name)
		}
	}
	for _, name := range append(line, cell...) {
		r := s.Execute(t.Context(), name+" --no-such-option-anywhere\n")
		out.take()
		errw.take()
		if r.Error != nil && strings.Contains(r.Error.Value, "not found") {
			t.Errorf("%%help lists %s, which is not a magic: %s", name, r.Error.Value)
		}
	}
}

// TestLineMagicThenCode: every line magic, on the first line of a cell (after
// blank and // comment lines, too), runs and then the rest of the cell runs
// as Go with its own line numbers; what the magic prints (or the value it
// would show alone) is in the output, and the cell's value is the code's.
// For a console, such a cell is complete when its code is.
func TestLineMagicThenCode(t *testing.T) {
	s, out, errw := newTestSession(t)
	code := "\nfunc after() int { return 7 }\nafter()"
	line, _ := knownMagics()
	for _, name := range line {
		args := map[string]string{"%cd": t.TempDir(), "%env": "TL_MAGIC_TEST=1", "%timeit": "-n 1 -r 1 x := 1; _ = x", "%recursion_limit": "500", "%auto_import": "on"}[name]
		r := s.Execute(t.Context(), name+" "+args+code)
		o := out.take()
		errw.take()
		if r.Error != nil {
			t.Fatalf("%s then code: %s: %s\n%s", name, r.Error.Name, r.Error.Value, strings.Join(r.Error.Traceback, "\n"))
		}
		if r.Value == nil || r.Value.Text() != "7" {
			t.Fatalf("%s then code: value %v, want 7", name, r.Value)
		}
		if o == "" && name != "%cd" && name != "%env" {
			t.Errorf("%s then code printed nothing", name)
		}
	}
	runSteps(t, s, out, errw, []step{
		{code: "%pwd\nafter()", value: "7", out: "'"}, // the value %pwd shows alone is printed
		{code: "// the limit first\n\n%recursion_limit 300\nafter()", value: "7", out: "recursion limit: 300"},
		{code: "%recursion_limit 50\n%who\n\nfunc down(n int) int { return down(n+1) }\ndown(0)", errName: "RecursionError",
			errHas: []string{"the limit is 50", "line 5 of this cell", "in down (defined at line 4 of this cell)"}},
	})
	for code, want := range map[string]string{
		"%recursion_limit 100":              "complete",
		"%recursion_limit 100\nfunc f() {":  "incomplete",
		"%recursion_limit 100\nfunc f() {}": "complete",
		"// c\n%who\n%pwd\nx := [":          "incomplete",
		"%%writefile f.go\nfunc f() {":      "complete",
		"%env A=1\nfunc f() { return } }":   "invalid",
	} {
		if got, _ := s.IsComplete(code); got != want {
			t.Errorf("IsComplete(%q) = %q, want %q", code, got, want)
		}
	}
}
