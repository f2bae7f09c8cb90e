package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/internal/course"
)

// courseDir is where `turinglab course` finds the notebooks named without a path.
const courseDir = "notebooks"

// courseCommand runs `turinglab course student OUT_DIR [NOTEBOOK...]`: it
// writes the student version of each notebook (every notebook of
// notebooks/ when none is named) into OUT_DIR.
func courseCommand(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "student" {
		return fmt.Errorf("course: expected `course student OUT_DIR [NOTEBOOK...]`")
	}
	if len(args) < 2 {
		return fmt.Errorf("course student: expected the output folder, then optionally notebooks")
	}
	outDir := args[1]
	paths, err := notebookPaths(args[2:])
	if err != nil {
		return err
	}
	written, err := course.WriteStudentVersions(outDir, paths)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d student notebooks to %s\n", len(written), outDir)
	return nil
}

// notebookPaths resolves the notebooks named on the command line: a path to
// a file, or a name in notebooks/ with or without ".ipynb". None means every
// notebook of notebooks/.
func notebookPaths(names []string) ([]string, error) {
	if len(names) == 0 {
		paths, err := filepath.Glob(filepath.Join(courseDir, "*.ipynb"))
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("course student: no notebooks in %s/ (run it from the repository's root, or name the notebooks)", courseDir)
		}
		sort.Strings(paths)
		return paths, nil
	}
	var paths []string
	for _, name := range names {
		candidates := []string{name, filepath.Join(courseDir, name)}
		if !strings.HasSuffix(name, ".ipynb") {
			candidates = append(candidates, filepath.Join(courseDir, name+".ipynb"))
		}
		found := ""
		for _, c := range candidates {
			if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
				found = c
				break
			}
		}
		if found == "" {
			return nil, fmt.Errorf("course student: no notebook %q (looked for %s)", name, strings.Join(candidates, ", "))
		}
		paths = append(paths, found)
	}
	return paths, nil
}
