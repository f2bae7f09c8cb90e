package data

import (
	"reflect"
	"strings"
	"testing"
)

// entityNames returns the names mentioned in sentences, by type.
func entityNames(sentences []TaggedSentence) map[string]map[string]bool {
	out := map[string]map[string]bool{"PER": {}, "LOC": {}, "ORG": {}}
	for _, s := range sentences {
		var name []string
		kind := ""
		flush := func() {
			if kind != "" {
				out[kind][strings.Join(name, " ")] = true
			}
			name, kind = nil, ""
		}
		for i, tag := range s.Tags {
			switch {
			case strings.HasPrefix(tag, "B-"):
				flush()
				kind, name = tag[2:], []string{s.Tokens[i]}
			case strings.HasPrefix(tag, "I-"):
				name = append(name, s.Tokens[i])
			default:
				flush()
			}
		}
		flush()
	}
	return out
}

func TestSplitNERNamesIsADisjointPartition(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	seen, unseen, err := SplitNERNames(w, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	all := WorldNERNames(w)
	for _, c := range []struct {
		kind              string
		all, seen, unseen []string
	}{{"PER", all.PER, seen.PER, unseen.PER}, {"LOC", all.LOC, seen.LOC, unseen.LOC}, {"ORG", all.ORG, seen.ORG, unseen.ORG}} {
		if len(c.seen) == 0 || len(c.unseen) == 0 {
			t.Fatalf("%s: %d seen and %d unseen names; both sides need some", c.kind, len(c.seen), len(c.unseen))
		}
		side := map[string]string{}
		for _, n := range c.seen {
			side[n] = "seen"
		}
		for _, n := range c.unseen {
			if side[n] == "seen" {
				t.Fatalf("%s name %q is both seen and unseen", c.kind, n)
			}
			side[n] = "unseen"
		}
		for _, n := range c.all {
			if side[n] == "" {
				t.Fatalf("%s name %q of the world is on neither side", c.kind, n)
			}
		}
		if len(side) != len(distinct(c.all)) {
			t.Fatalf("%s: the split has %d names, the world %d", c.kind, len(side), len(distinct(c.all)))
		}
	}
	// People are held out whole: a held-out person's first name is held out too.
	for _, p := range w.People {
		fullSeen := contains(seen.PER, p.Name())
		if fullSeen != contains(seen.PER, p.First) {
			t.Fatalf("%s is split across the sides (full name seen %v, first name seen %v)", p.Name(), fullSeen, !fullSeen)
		}
	}
	share := float64(len(unseen.ORG)) / float64(len(all.ORG))
	if share < 0.2 || share > 0.4 {
		t.Fatalf("held out %.2f of the companies, want about 0.3", share)
	}
	again, _, _ := SplitNERNames(w, 0.3, 1)
	if !reflect.DeepEqual(again, seen) {
		t.Fatal("the split is not deterministic for its seed")
	}
	other, _, _ := SplitNERNames(w, 0.3, 2)
	if reflect.DeepEqual(other, seen) {
		t.Fatal("seeds 1 and 2 hold out the same names")
	}
}

func TestNERWithHeldOutNamesNeverMentionsTheOtherSide(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	seen, unseen, err := SplitNERNames(w, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	train := entityNames(NER(w, NEROptions{Seed: 1, N: 400, Names: &seen}))
	test := entityNames(NER(w, NEROptions{Seed: 2, N: 200, Names: &unseen}))
	for kind, names := range test {
		if len(names) == 0 {
			t.Fatalf("the unseen sentences mention no %s", kind)
		}
		for n := range names {
			if train[kind][n] {
				t.Fatalf("%s %q occurs in both the training and the held-out sentences", kind, n)
			}
			if !contains(map[string][]string{"PER": unseen.PER, "LOC": unseen.LOC, "ORG": unseen.ORG}[kind], n) {
				t.Fatalf("%s %q is not one of the held-out names", kind, n)
			}
		}
	}
}

func TestNERDefaultNamesAreTheWorlds(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	all := WorldNERNames(w)
	if !reflect.DeepEqual(NER(w, NEROptions{Seed: 3, N: 50}), NER(w, NEROptions{Seed: 3, N: 50, Names: &all})) {
		t.Fatal("NER without Names differs from NER with WorldNERNames")
	}
}

func TestNERSkipsTemplatesWithoutNames(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	onlyPlaces := NERNames{LOC: WorldNERNames(w).LOC}
	if got := NER(w, NEROptions{Seed: 1, N: 10, Names: &onlyPlaces}); got != nil {
		t.Fatalf("every template needs a person or a company, yet NER made %d sentences", len(got))
	}
	noPeople := NERNames{LOC: WorldNERNames(w).LOC, ORG: WorldNERNames(w).ORG}
	for _, s := range NER(w, NEROptions{Seed: 1, N: 100, Names: &noPeople}) {
		for _, tag := range s.Tags {
			if strings.HasSuffix(tag, "PER") {
				t.Fatalf("a sentence without people names has tag %s: %v", tag, s.Tokens)
			}
		}
	}
}

func TestSplitNERNamesRejectsBadFractions(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	for _, f := range []float64{0, 1, -0.5, 2} {
		if _, _, err := SplitNERNames(w, f, 1); err == nil || !strings.Contains(err.Error(), "heldOut") {
			t.Fatalf("heldOut %v: error %v, want one naming heldOut", f, err)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
