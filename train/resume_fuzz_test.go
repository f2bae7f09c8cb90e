package train

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/internal/testref"
)

// FuzzResumeFromCheckpoint mutates trainer_state.json of a resumable
// checkpoint (the folder a user points Trainer.ResumeFromCheckpoint at) and
// resumes a fresh run from it. The run must go on or fail with an error
// naming the checkpoint; it must never panic.
func FuzzResumeFromCheckpoint(f *testing.F) {
	defer display.BeginRun()
	saved := f.TempDir()
	first, _ := resumable(f, saved)
	first.Hooks = []StepHook{func(info StepInfo) error {
		if info.Step == 4 {
			display.Interrupt()
		}
		return nil
	}}
	display.BeginRun()
	if h, err := first.Train(); !h.Interrupted {
		f.Fatalf("the first run was not stopped at step 4: %v", err)
	}
	display.BeginRun()
	checkpoint := filepath.Join(saved, "checkpoint-4")
	entries, err := os.ReadDir(checkpoint)
	if err != nil {
		f.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if files[e.Name()], err = os.ReadFile(filepath.Join(checkpoint, e.Name())); err != nil {
			f.Fatal(err)
		}
	}
	state := files[stateFileName]
	f.Add(state)
	for _, edit := range [][2]string{
		{`"Step": 4,`, `"Step": 400,`},          // past the run's end
		{`"NextBatch": `, `"NextBatch": -`},     // a negative position
		{`"HasGrad": [`, `"HasGrad": [true,`},   // one parameter too many
		{`"Batches": [`, `"Batches": [[9999],`}, // an index outside the data
		{`"Version": `, `"Version": 1`},         // another format
		{`"Batching": "`, `"Batching": "x`},     // another run's settings
	} {
		if !bytes.Contains(state, []byte(edit[0])) {
			f.Fatalf("%s has no %s to edit", stateFileName, edit[0])
		}
		f.Add(bytes.Replace(state, []byte(edit[0]), []byte(edit[1]), 1))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, state []byte) {
		dir := t.TempDir()
		mutated := map[string][]byte{}
		for name, content := range files {
			mutated[name] = content
		}
		mutated[stateFileName] = state
		testref.WriteFiles(t, dir, mutated)
		second, _ := resumable(t, "")
		second.Config.SaveSteps = 0
		second.ResumeFromCheckpoint = dir
		_, err := second.Train()
		if err != nil && !strings.Contains(err.Error(), dir) {
			t.Fatalf("error does not name the checkpoint: %v", err)
		}
		if err != nil && bytes.Equal(state, files[stateFileName]) {
			t.Fatalf("the checkpoint as saved does not resume: %v", err)
		}
	})
}
