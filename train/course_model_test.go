package train

import (
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
)

// A scaled-down recipe runs end to end, saves, and loads back identical weights.
func TestLoadOrPretrainSavesThenReuses(t *testing.T) {
	r := DefaultCourseRecipe
	r.World = data.SmallWorldOptions{Seed: 1, Countries: 3, PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 2}
	r.VocabSize, r.Hidden, r.Intermediate, r.Steps, r.BatchSize = 300, 16, 32, 4, 8
	r.Pretraining.DupeFactor = 1
	dir := filepath.Join(t.TempDir(), "course-bert")
	first, tok, err := LoadOrPretrain(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	second, tok2, err := LoadOrPretrain(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if tok2.Vocab.Size() != tok.Vocab.Size() {
		t.Fatalf("vocab %d vs %d", tok2.Vocab.Size(), tok.Vocab.Size())
	}
	a, b := first.NamedParameters(""), second.NamedParameters("")
	if len(a) != len(b) {
		t.Fatalf("%d vs %d parameters", len(a), len(b))
	}
	for i := range a {
		x, y := a[i].Tensor.Data(), b[i].Tensor.Data()
		for j := range x {
			if x[j] != y[j] {
				t.Fatalf("%s[%d]: %v saved, %v loaded", a[i].Name, j, x[j], y[j])
			}
		}
	}
	if _, err := bert.FillMask(second, tok2, "The capital of France is [MASK].", 1); err != nil {
		t.Fatal(err)
	}
}
