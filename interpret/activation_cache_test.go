package interpret

import (
	"testing"
)

func TestPatchingWithCleanStateRestoresCleanOutput(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 7)
	target := ClassLogit(m, 1)
	clean := encode(t, tok, "the film was good")
	other := encode(t, tok, "the film was bad")
	cc, err := RunWithCache(target, repeatInputs(clean, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(cc.States) != 3 {
		t.Fatalf("cached %d states, want 3 (embeddings + 2 layers)", len(cc.States))
	}
	all := []int{0, 1, 2, 3, 4, 5}
	// Patching the clean run with its own states changes nothing, bit for bit.
	for layer := range cc.States {
		s, err := RunWithPatches(target, repeatInputs(clean, 1), PatchesFrom(cc, layer, all))
		if err != nil {
			t.Fatal(err)
		}
		if s[0] != cc.Scores[0] {
			t.Fatalf("layer %d: patched score %v, clean %v", layer, s[0], cc.Scores[0])
		}
	}
	// Patching the whole clean state into the other input at any layer gives
	// the clean output exactly (the rest of the pass only sees that state).
	oc, _ := RunWithCache(target, repeatInputs(other, 1))
	if oc.Scores[0] == cc.Scores[0] {
		t.Fatal("the two inputs score the same; the test cannot tell patching worked")
	}
	for layer := range cc.States {
		s, err := RunWithPatches(target, repeatInputs(other, 1), PatchesFrom(cc, layer, all))
		if err != nil {
			t.Fatal(err)
		}
		if s[0] != cc.Scores[0] {
			t.Fatalf("layer %d: fully patched score %v, want clean %v", layer, s[0], cc.Scores[0])
		}
	}
	// A partial patch changes the output to something in between.
	s, _ := RunWithPatches(target, repeatInputs(other, 1), PatchesFrom(cc, 0, []int{4}))
	if s[0] == oc.Scores[0] {
		t.Fatal("patching the differing token at the embeddings changed nothing")
	}
}
