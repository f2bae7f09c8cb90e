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
