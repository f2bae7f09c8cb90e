package interpret

import (
	"testing"
)

func TestTrainFactModelRuns(t *testing.T) {
	// A few steps only (learning the facts takes ~600, see notebook 10):
	// the pipeline builds, trains and answers every single-token capital.
	f, err := TrainFactModel(FactModelOptions{Steps: 3, Hidden: 16, Layers: 1, Heads: 2, Intermediate: 32, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.History.Steps); n != 3 {
		t.Fatalf("%d steps recorded", n)
	}
	acc, tab, err := f.FactRecall("capital")
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0 || acc > 1 || len(tab.Rows) == 0 {
		t.Fatalf("recall %v with %d rows", acc, len(tab.Rows))
	}
}
