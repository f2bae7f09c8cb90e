package course

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// StudentVersion returns the student version of nb: solution regions
// replaced by stubs, hidden tests removed, outputs cleared, metadata kept.
// nb itself is not changed. Errors name the notebook, the cell and the line.
func StudentVersion(nb *Notebook) (*Notebook, error) {
	student := &Notebook{Path: nb.Path, fields: nb.fields}
	for i, c := range nb.Cells {
		copied := &Cell{Type: c.Type, Source: c.Source, Metadata: c.Metadata, fields: cloneFields(c.fields)}
		if c.Type == "code" {
			src, found, err := stripRegions(c.Source)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", nb.Path, nb.cellName(i), err)
			}
			if err := checkRegionsFit(c, found); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", nb.Path, nb.cellName(i), err)
			}
			copied.Source = src
			copied.clearOutputs()
		}
		student.Cells = append(student.Cells, copied)
	}
	return student, nil
}

// checkRegionsFit checks that a cell's regions suit its nbgrader role: a
// solution cell has at least one solution region and only solution cells
// have them; hidden tests belong in check cells.
func checkRegionsFit(c *Cell, found regions) error {
	switch {
	case c.IsSolution() && found.solutions == 0:
		return fmt.Errorf("a solution cell (nbgrader solution: true) without a %q ... %q region", BeginSolution, EndSolution)
	case !c.IsSolution() && found.solutions > 0:
		return fmt.Errorf("a solution region in a cell that is not a solution cell: give it nbgrader metadata with \"solution\": true")
	case !c.IsCheck() && found.hiddenTests > 0:
		return fmt.Errorf("hidden tests in a cell that is not a check cell: give it nbgrader metadata with \"grade\": true")
	}
	return nil
}

// WriteStudentVersions reads each notebook in paths, builds its student
// version and writes it to outDir under the same file name (atomically),
// creating outDir if needed. Every notebook is checked before any is
// written, so a marker error leaves outDir as it was.
func WriteStudentVersions(outDir string, paths []string) ([]string, error) {
	var students []*Notebook
	for _, path := range paths {
		nb, err := ReadNotebook(path)
		if err != nil {
			return nil, err
		}
		student, err := StudentVersion(nb)
		if err != nil {
			return nil, err
		}
		students = append(students, student)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the output folder: %w", err)
	}
	var written []string
	for _, student := range students {
		out := filepath.Join(outDir, filepath.Base(student.Path))
		if sameFile(out, student.Path) {
			return written, fmt.Errorf("%s: the student version would overwrite the instructor's notebook; choose another output folder", student.Path)
		}
		if err := student.WriteFile(out); err != nil {
			return written, err
		}
		written = append(written, out)
	}
	return written, nil
}

// cloneFields copies a cell's raw fields, so the student version can change
// its copy.
func cloneFields(fields map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	return out
}

// sameFile reports whether the paths a and b name one existing file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
