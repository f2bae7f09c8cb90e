package data

import (
	"strings"
	"testing"
)

func TestFactListsStateOneRelation(t *testing.T) {
	w := SmallWorld(SmallWorldOptions{Seed: 1, Countries: 3, RealCountries: true})
	object := map[string]map[string]string{} // relation -> subject -> object
	for _, f := range w.Facts {
		if object[f.Relation] == nil {
			object[f.Relation] = map[string]string{}
		}
		object[f.Relation][f.Subject] = f.Object
	}
	lists, err := w.FactLists(200, 6, 0.5, 7)
	if err != nil {
		t.Fatal(err)
	}
	repeated := 0
	for _, doc := range lists {
		lines := strings.SplitAfter(doc, ". ")
		seen := map[string]bool{}
		var relation string
		for _, l := range lines {
			l = strings.TrimSpace(l)
			subject, obj, ok := strings.Cut(strings.TrimSuffix(l, "."), FactListSeparator)
			if !ok {
				t.Fatalf("line %q of %q is not subject: object.", l, doc)
			}
			match := ""
			for r, m := range object {
				if m[subject] == obj && (relation == "" || r == relation) {
					match = r
				}
			}
			if match == "" {
				t.Fatalf("%q of %q is no fact of the list's relation %q", l, doc, relation)
			}
			relation = match
			if seen[l] {
				repeated++
			}
			seen[l] = true
		}
	}
	if repeated < 60 || repeated > 140 {
		t.Errorf("%d of 200 lists repeat a line, want about half", repeated)
	}
	if _, err := w.FactLists(1, 0, 0, 1); err == nil {
		t.Error("perList 0 accepted")
	}
}

func TestInstructionsHoldOutSubjects(t *testing.T) {
	w := SmallWorld(SmallWorldOptions{Seed: 1, Countries: 3, RealCountries: true})
	train, held, err := w.Instructions(40, 2)
	if err != nil {
		t.Fatal(err)
	}
	inTrain := map[string]bool{}
	kinds := map[string]int{}
	for _, in := range train {
		inTrain[in.Kind+in.Subject] = true
		kinds[in.Kind]++
		if !strings.HasPrefix(in.Prompt, "Q: ") || !strings.HasSuffix(in.Prompt, " A:") || !strings.HasPrefix(in.Response, " ") || !strings.HasSuffix(in.Response, ".") {
			t.Fatalf("badly formed %+v", in)
		}
	}
	for _, in := range held {
		if in.Kind != "reverse" && inTrain[in.Kind+in.Subject] {
			t.Errorf("held-out %s question about %s is also in training", in.Kind, in.Subject)
		}
		if in.Kind == "reverse" {
			w := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(in.Prompt, "Q: Reverse: "), " A:"))
			if got := strings.TrimSpace(in.Response); got != w[2]+" "+w[1]+" "+w[0]+"." {
				t.Errorf("reverse of %v is %q", w, got)
			}
		}
	}
	if kinds["birthplace"] == 0 || kinds["capital"] == 0 || kinds["reverse"] != 30 || len(held) == 0 {
		t.Errorf("kinds %v, %d held out", kinds, len(held))
	}
}
