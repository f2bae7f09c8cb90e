package course

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// solutionSource is a solution cell: a documented function with its body
// between the markers, indented by one tab.
const solutionSource = `// double returns 2x.
func double(x int) int {
	// BEGIN SOLUTION
	y := x + x
	return y
	// END SOLUTION
}`

// instructorNotebook is a small instructor notebook: a markdown cell, a
// solution cell with an output, and a check cell with hidden tests.
func instructorNotebook(t *testing.T) []byte {
	t.Helper()
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "turinglab", "language": "go"}},
		"cells": []any{
			map[string]any{"cell_type": "markdown", "id": "ex1-md", "metadata": map[string]any{},
				"source": []string{"### Exercise 1 — doubling <b>\n", "Write double.\n"}},
			map[string]any{"cell_type": "code", "id": "ex1", "execution_count": 3,
				"metadata": map[string]any{"nbgrader": map[string]any{"grade": false, "grade_id": "nb-ex1", "locked": false, "schema_version": 3, "solution": true}},
				"outputs":  []any{map[string]any{"output_type": "stream", "name": "stdout", "text": "done\n"}},
				"source":   solutionSource},
			map[string]any{"cell_type": "code", "id": "ex1-check", "execution_count": 4,
				"metadata": map[string]any{"nbgrader": map[string]any{"grade": true, "grade_id": "nb-ex1-check", "locked": true, "points": 2, "schema_version": 3, "solution": false}},
				"outputs":  []any{},
				"source":   "wb.Assert(double(2) == 4, \"double(2)\")\n// BEGIN HIDDEN TESTS\nwb.Assert(double(-3) == -6, \"double(-3)\")\n// END HIDDEN TESTS\nfmt.Println(\"ok\")"},
		},
	}
	raw, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func student(t *testing.T, raw []byte) *Notebook {
	t.Helper()
	nb, err := ParseNotebook("nb.ipynb", raw)
	if err != nil {
		t.Fatal(err)
	}
	s, err := StudentVersion(nb)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSolutionBecomesStubAtTheMarkersIndentation(t *testing.T) {
	s := student(t, instructorNotebook(t))
	want := "// double returns 2x.\nfunc double(x int) int {\n\t// YOUR CODE HERE\n\tpanic(\"exercise not done yet\")\n}"
	if got := s.Cells[1].Source; got != want {
		t.Fatalf("student solution cell:\n%s\nwant:\n%s", got, want)
	}
	// The stub must still compile: a function with a result that ends in panic.
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "cell.go", "package cell\n"+s.Cells[1].Source, 0)
	if err != nil {
		t.Fatalf("the student cell does not parse: %v", err)
	}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("cell", fset, []*ast.File{file}, nil); err != nil {
		t.Fatalf("the student cell does not type-check: %v", err)
	}
}

func TestHiddenTestsAreRemoved(t *testing.T) {
	s := student(t, instructorNotebook(t))
	want := "wb.Assert(double(2) == 4, \"double(2)\")\nfmt.Println(\"ok\")"
	if got := s.Cells[2].Source; got != want {
		t.Fatalf("student check cell:\n%q\nwant\n%q", got, want)
	}
}

func TestOutputsClearedMetadataKept(t *testing.T) {
	s := student(t, instructorNotebook(t))
	data, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Cells []struct {
			ID             string          `json:"id"`
			Source         []string        `json:"source"`
			Outputs        []any           `json:"outputs"`
			ExecutionCount *int            `json:"execution_count"`
			Metadata       json.RawMessage `json:"metadata"`
		} `json:"cells"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	sol, check := back.Cells[1], back.Cells[2]
	sol.Metadata, check.Metadata = compact(t, sol.Metadata), compact(t, check.Metadata)
	if len(sol.Outputs) != 0 || sol.ExecutionCount != nil || check.ExecutionCount != nil {
		t.Errorf("outputs and execution counts must be cleared: %+v %+v", sol, check)
	}
	if sol.ID != "ex1" || !strings.Contains(string(sol.Metadata), `"grade_id":"nb-ex1"`) || !strings.Contains(string(sol.Metadata), `"solution":true`) {
		t.Errorf("solution cell lost its id or nbgrader metadata: %s %s", sol.ID, sol.Metadata)
	}
	if !strings.Contains(string(check.Metadata), `"points":2`) || !strings.Contains(string(check.Metadata), `"locked":true`) {
		t.Errorf("check cell lost its nbgrader metadata: %s", check.Metadata)
	}
	if !strings.Contains(string(back.Metadata), "turinglab") {
		t.Errorf("notebook metadata lost: %s", back.Metadata)
	}
	// nbformat's own layout: one-space indentation, HTML and non-ASCII unescaped, lines kept.
	if !strings.Contains(string(data), "\n \"cells\": [") || !strings.Contains(string(data), "— doubling <b>") {
		t.Errorf("not written the way nbformat writes notebooks:\n%s", data[:200])
	}
	if got := strings.Join(back.Cells[0].Source, "|"); got != "### Exercise 1 — doubling <b>\n|Write double.\n" {
		t.Errorf("markdown source lines: %q", got)
	}
}

func TestMarkerErrorsNameNotebookCellAndLine(t *testing.T) {
	cases := []struct {
		name, source, want string
	}{
		{"unclosed", "func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n}", `line 2: "// BEGIN SOLUTION" is never closed`},
		{"end without begin", "func f() int {\n\treturn 1\n\t// END SOLUTION\n}", `line 3: "// END SOLUTION" without a "// BEGIN SOLUTION" before it`},
		{"nested", "func f() int {\n\t// BEGIN SOLUTION\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", "line 3: \"// BEGIN SOLUTION\" inside the region opened on line 2"},
		{"mismatched end", "func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END HIDDEN TESTS\n}", `line 4: "// END HIDDEN TESTS" without a "// BEGIN HIDDEN TESTS"`},
		{"top level", "x := 1 // a { in a comment\ns := \"{\"\n// BEGIN SOLUTION\ny := x\n// END SOLUTION", "line 3: a solution region at the top level of the cell"},
		{"no region", "func f() int { return 1 }", "a solution cell (nbgrader solution: true) without"},
	}
	for _, tc := range cases {
		raw := instructorNotebook(t)
		var nb map[string]any
		json.Unmarshal(raw, &nb)
		nb["cells"].([]any)[1].(map[string]any)["source"] = tc.source
		raw, _ = json.Marshal(nb)
		parsed, err := ParseNotebook("course/02_x.ipynb", raw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = StudentVersion(parsed)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "course/02_x.ipynb: cell 1 (id ex1): ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want the notebook, cell and %q", tc.name, err, tc.want)
		}
	}
}

func TestRegionsOutsideTheirCellKind(t *testing.T) {
	raw := instructorNotebook(t)
	var nb map[string]any
	json.Unmarshal(raw, &nb)
	cells := nb["cells"].([]any)
	cells[2].(map[string]any)["source"] = solutionSource // a solution region in the check cell
	raw, _ = json.Marshal(nb)
	parsed, _ := ParseNotebook("nb.ipynb", raw)
	if _, err := StudentVersion(parsed); err == nil || !strings.Contains(err.Error(), "cell 2 (id ex1-check): a solution region in a cell that is not a solution cell") {
		t.Errorf("solution region in a check cell: %v", err)
	}
	cells[2].(map[string]any)["source"] = "x := 1"
	cells[1].(map[string]any)["source"] = "func f() {\n\t// BEGIN SOLUTION\n\t// END SOLUTION\n}\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n"
	raw, _ = json.Marshal(nb)
	parsed, _ = ParseNotebook("nb.ipynb", raw)
	if _, err := StudentVersion(parsed); err == nil || !strings.Contains(err.Error(), "hidden tests in a cell that is not a check cell") {
		t.Errorf("hidden tests in a solution cell: %v", err)
	}
}

func TestWriteStudentVersions(t *testing.T) {
	src := t.TempDir()
	in := filepath.Join(src, "02_x.ipynb")
	if err := os.WriteFile(in, instructorNotebook(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "student")
	written, err := WriteStudentVersions(out, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 1 || written[0] != filepath.Join(out, "02_x.ipynb") {
		t.Fatalf("written %v", written)
	}
	back, err := ReadNotebook(written[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(back.Cells[1].Source, StubPanic) {
		t.Errorf("written notebook has no stub:\n%s", back.Cells[1].Source)
	}
	st, _ := os.Stat(written[0])
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 (atomicfile)", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("output folder holds %d entries, want just the notebook", len(entries))
	}
	// Writing into the instructor's own folder would destroy the solutions.
	if _, err := WriteStudentVersions(src, []string{in}); err == nil || !strings.Contains(err.Error(), "would overwrite the instructor's notebook") {
		t.Errorf("writing over the source: %v", err)
	}
	// A broken notebook stops everything before anything is written.
	bad := filepath.Join(src, "03_bad.ipynb")
	os.WriteFile(bad, []byte(`{"cells": {}}`), 0o644)
	out2 := filepath.Join(t.TempDir(), "s2")
	if _, err := WriteStudentVersions(out2, []string{in, bad}); err == nil || !strings.Contains(err.Error(), "03_bad.ipynb: want a list of cells") {
		t.Errorf("broken notebook: %v", err)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("nothing should be written when a notebook is broken")
	}
}

// compact removes the whitespace of a JSON text.
func compact(t *testing.T, raw json.RawMessage) json.RawMessage {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
