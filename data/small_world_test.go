package data

import (
	"reflect"
	"strings"
	"testing"
)

func TestSmallWorldIsDeterministic(t *testing.T) {
	a, b := SmallWorld(DefaultSmallWorld), SmallWorld(DefaultSmallWorld)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different worlds")
	}
	other := DefaultSmallWorld
	other.Seed = 2
	if SmallWorld(other).Text() == a.Text() {
		t.Fatal("a different seed gave the same corpus")
	}
}

func TestSmallWorldStatesEveryFactConsistently(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	if len(w.Countries) != 12+len(realCountries) {
		t.Fatalf("%d countries", len(w.Countries))
	}
	// Each country's capital is named in every document about that country,
	// and never as the capital of another one.
	capitalOf := map[string]string{}
	for _, c := range w.Countries {
		capitalOf[c.Capital] = c.Name
	}
	for _, doc := range w.Documents {
		for _, s := range doc {
			if rest, ok := strings.CutPrefix(s, "The capital of "); ok {
				country, capital, _ := strings.Cut(strings.TrimSuffix(rest, "."), " is ")
				if capitalOf[capital] != country {
					t.Fatalf("%q contradicts the world (capital %s belongs to %s)", s, capital, capitalOf[capital])
				}
			}
		}
	}
	for _, f := range w.Facts {
		if strings.Count(f.Cloze, "[MASK]") != 1 || !strings.Contains(f.Cloze, f.Subject) {
			t.Fatalf("bad cloze %+v", f)
		}
		if f.Relation == "capital" && !strings.Contains(w.Text(), f.Object+" is the capital of "+f.Subject) &&
			!strings.Contains(w.Text(), "capital of "+f.Subject+" is "+f.Object) &&
			!strings.Contains(w.Text(), "capital city of "+f.Subject+" is "+f.Object) {
			t.Fatalf("fact %+v never stated", f)
		}
	}
}

func TestSmallWorldDocumentsStayOnOneSubject(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	for _, p := range w.People {
		found := 0
		for _, doc := range w.Documents {
			if strings.HasPrefix(doc[0], p.Name()+" was born") {
				found++
				for _, s := range doc[1:] {
					first := strings.Fields(s)[0]
					if first != p.First && first != "She" && first != "He" && first != "By" {
						t.Fatalf("document about %s drifts: %q", p.Name(), s)
					}
				}
			}
		}
		if found != DefaultSmallWorld.DocumentsPerEntity {
			t.Fatalf("%s has %d documents, want %d", p.Name(), found, DefaultSmallWorld.DocumentsPerEntity)
		}
	}
	if !strings.Contains(w.Text(), "\n\n") || strings.HasPrefix(w.Text(), "\n") {
		t.Fatal("Text must separate documents by one blank line")
	}
	if got := len(w.Sentences()); got < 1000 {
		t.Fatalf("only %d sentences", got)
	}
}

func TestWithArticle(t *testing.T) {
	if withArticle("engineer") != "an engineer" || withArticle("pilot") != "a pilot" {
		t.Fatal("wrong article")
	}
}

func TestSmallWorldHasReviews(t *testing.T) {
	opts := DefaultSmallWorld
	w := SmallWorld(opts)
	entities := len(w.Countries) + len(w.People) + len(w.Companies)
	if got, want := len(w.Documents), entities*opts.DocumentsPerEntity+opts.Reviews; got != want {
		t.Fatalf("%d documents, want %d", got, want)
	}
	reviews := 0
	for _, doc := range w.Documents {
		if strings.Contains(doc[0], " film in ") || strings.Contains(doc[0], "went to the cinema") {
			reviews++
			if len(doc) < 3 {
				t.Fatalf("review too short: %q", doc)
			}
		}
	}
	if strings.Contains(w.Text(), "%!") {
		t.Fatal("a template was filled with the wrong number of arguments")
	}
	if reviews != opts.Reviews {
		t.Fatalf("%d reviews, want %d", reviews, opts.Reviews)
	}
}
