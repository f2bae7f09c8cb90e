package symbols

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/turinglab/turinglab"

// importable mirrors the generator's rule (internal/gen.Importable): every
// package of the module except commands, internal packages and the kernel.
func importable(path string) bool {
	rel := strings.TrimPrefix(path, module)
	for _, seg := range strings.Split(rel, "/") {
		if seg == "internal" || seg == "testdata" {
			return false
		}
	}
	return rel != "/kernel" && !strings.HasPrefix(rel, "/kernel/") && !strings.HasPrefix(rel, "/cmd/")
}

// TestTablesAreFresh fails when a project package (or one of the listed
// third-party packages) is missing from the symbol tables, or when the tables
// list a package that no longer exists.
func TestTablesAreFresh(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the project's packages")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}\t{{.Name}}\t{{len .GoFiles}}", module+"/...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	want := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 3 && f[2] != "0" && f[1] != "main" && importable(f[0]) {
			want[f[0]] = true
		}
	}
	have := map[string]bool{}
	for _, p := range Packages {
		have[p] = true
		if _, ok := Symbols[p+"/"+p[strings.LastIndex(p, "/")+1:]]; !ok && !strings.HasPrefix(p, "gonum.org/v1/plot") {
			t.Errorf("%s is listed in packages_gen.go but has no symbol table; run `make generate`", p)
		}
	}
	for p := range want {
		if !have[p] {
			t.Errorf("project package %s is missing from the kernel's symbol tables: run `make generate` (go generate ./kernel/symbols) and commit kernel/symbols", p)
		}
	}
	for _, p := range Packages {
		if strings.HasPrefix(p, module) && !want[p] {
			t.Errorf("the symbol tables list %s, which is no longer a package of the project: run `make generate`", p)
		}
	}
	if _, err := os.Stat("docs.json.gz"); err != nil {
		t.Errorf("docs.json.gz is missing: run `make generate`")
	}
}

// TestDocs checks the embedded documentation table answers for the stdlib and
// the project.
func TestDocs(t *testing.T) {
	e, ok := Doc("strings", "Repeat")
	if !ok || !strings.Contains(e.Decl, "func Repeat(s string, count int) string") {
		t.Fatalf("Doc(strings, Repeat) = %+v, %v", e, ok)
	}
	if e, ok := Doc("github.com/turinglab/turinglab/display", "Render"); !ok || !strings.Contains(e.Doc, "bundle") {
		t.Fatalf("Doc(display, Render) = %+v, %v", e, ok)
	}
	if e, ok := Doc("github.com/turinglab/turinglab/display", "Bundle.Text"); !ok || e.Decl == "" {
		t.Fatalf("Doc(display, Bundle.Text) = %+v, %v", e, ok)
	}
}
