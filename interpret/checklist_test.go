package interpret

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	got, err := Expand("the {n} was {a}", map[string][]string{"a": {"good", "bad"}, "n": {"film", "plot"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "the film was good|the plot was good|the film was bad|the plot was bad"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %q", got)
	}
	if _, err := Expand("the {n}", map[string][]string{"x": {"a"}}); err == nil {
		t.Fatal("missing slot accepted")
	}
	if _, err := Expand("the {n} {m}", map[string][]string{"n": {"a"}}); err == nil {
		t.Fatal("unfilled slot accepted")
	}
}

func TestPerturbations(t *testing.T) {
	if got := AddNegation()("The film was good."); len(got) != 1 || got[0] != "The film was not good." {
		t.Fatalf("negation %q", got)
	}
	if got := AddNegation()("The film was not good."); got != nil {
		t.Fatalf("double negation %q", got)
	}
	if got := Punctuation()("Nice film!"); got[0] != "Nice film" {
		t.Fatalf("punctuation %q", got)
	}
	if got := Punctuation()("Nice film"); len(got) != 2 || got[0] != "Nice film." {
		t.Fatalf("punctuation %q", got)
	}
	got := SwapWords([]string{"Paris", "Rome", "Berlin"})("I saw Paris, then paris again.")
	if len(got) != 4 || got[0] != "I saw Rome, then paris again." || got[3] != "I saw Paris, then Berlin again." {
		t.Fatalf("swap %q", got)
	}
	typos := Typos(3, 1)("the wonderful film")
	for _, ty := range typos {
		diff := 0
		for i := range ty {
			if ty[i] != "the wonderful film"[i] {
				diff++
			}
		}
		if len(ty) != len("the wonderful film") || diff != 2 {
			t.Fatalf("typo %q", ty)
		}
	}
	if again := Typos(3, 1)("the wonderful film"); strings.Join(again, "|") != strings.Join(typos, "|") {
		t.Fatal("typos not reproducible")
	}
}

func TestRunSuiteOnKeywordModel(t *testing.T) {
	clf := keywordModel{"good"}
	mft, err := NewMFT("positive adjectives", "the film was {a}", map[string][]string{"a": {"good", "great", "lovely"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"the film was good", "the film was bad"}
	inv := NewINV("synonyms", texts, SwapWords([]string{"good", "fine"}))
	dir := NewDIR("negation lowers positive", []string{"the film was good"}, AddNegation(), ProbabilityDrops(1, 0.1))
	rep, err := RunSuite(clf, []*BehaviourTest{mft, inv, dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		cases, failed int
	}{{3, 2}, {1, 1}, {1, 1}} // INV: "bad" has no synonym to swap, so 1 case
	for i, w := range want {
		r := rep.Results[i]
		if r.Cases != w.cases || r.Failed != w.failed || len(r.Failures) != w.failed {
			t.Fatalf("test %s: %d cases %d failed, want %d %d (%v)", r.Name, r.Cases, r.Failed, w.cases, w.failed, r.Failures)
		}
	}
	if r, _ := rep.Result("positive adjectives"); r.FailureRate != 2.0/3 {
		t.Fatalf("failure rate %v", r.FailureRate)
	}
	if !strings.Contains(rep.HTML(), "not good") {
		t.Fatal(rep.HTML())
	}
}
