package recipes

import (
	"path/filepath"
	"strings"
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

// With SalientFacts the recipe's instances predict the objects of the world's
// facts wherever they occur (within the prediction budget); without it only
// BERT's random 15% of them.
func TestCourseRecipeSalientFacts(t *testing.T) {
	r := DefaultCourseRecipe
	r.World = data.SmallWorldOptions{Seed: 1, Countries: 3, PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 2}
	r.VocabSize = 300
	r.Pretraining.DupeFactor = 1
	world, tok, err := r.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]bool{}
	for _, f := range world.Facts {
		objects[strings.ToLower(f.Object)] = true
	}
	// predictedShare is the share of one-token fact objects in the instances
	// that are prediction targets.
	predictedShare := func(salient bool) float64 {
		r.SalientFacts = salient
		set, _, err := r.Instances(world, tok)
		if err != nil {
			t.Fatal(err)
		}
		hit, all := 0, 0
		for _, in := range set {
			target := map[int]string{}
			for k, p := range in.MaskedPositions {
				target[p] = in.MaskedLabels[k]
			}
			for i, tk := range in.Tokens {
				if l, ok := target[i]; ok {
					tk = l
				}
				if objects[tk] {
					all++
					if _, ok := target[i]; ok {
						hit++
					}
				}
			}
		}
		if all == 0 {
			t.Fatal("no one-token fact object in the instances")
		}
		return float64(hit) / float64(all)
	}
	with, without := predictedShare(true), predictedShare(false)
	t.Logf("fact objects predicted: %.2f with SalientFacts, %.2f without", with, without)
	if with < 0.9 || without > 0.3 {
		t.Fatalf("fact objects predicted %.2f of the time with SalientFacts, %.2f without", with, without)
	}
}
