package data

import (
	"testing"
)

// With SalientWords, every salient word of an instance is predicted (up to
// the prediction budget) before any other word; without them the share of
// salient predictions is only the words' share of the text.
func TestSalientWordsArePredictedFirst(t *testing.T) {
	docs, vocab := worldDocuments(t)
	salient := []string{"Rome", "lima", "euro", "yen", "sol"} // one piece each in worldDocuments' tokenizer; case does not matter
	opts := DefaultPretraining
	opts.DupeFactor = 1
	opts.SalientWords = salient
	isSalient := map[string]bool{"rome": true, "lima": true, "euro": true, "yen": true, "sol": true}
	instances, err := CreatePretrainingInstances(docs, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, in := range instances {
		occurring := 0
		for i := range in.Tokens {
			if isSalient[labelAt(in, i)] {
				occurring++
			}
		}
		predicted := 0
		for _, l := range in.MaskedLabels {
			if isSalient[l] {
				predicted++
			}
		}
		if want := min(occurring, len(in.MaskedLabels)); predicted != want {
			t.Fatalf("instance %v: %d salient words occur, %d predicted of %d predictions", in.Tokens, occurring, predicted, len(in.MaskedLabels))
		}
		seen += occurring
	}
	if seen == 0 {
		t.Fatal("no salient word occurred in the corpus")
	}
	again, _ := CreatePretrainingInstances(docs, vocab, opts)
	for i := range instances {
		if len(again[i].MaskedPositions) != len(instances[i].MaskedPositions) {
			t.Fatal("the same seed gave different instances")
		}
	}

	// The same corpus without salient words: far fewer of them predicted.
	opts.SalientWords = nil
	plain, _ := CreatePretrainingInstances(docs, vocab, opts)
	share := func(set []PretrainingInstance) float64 {
		hit, all := 0, 0
		for _, in := range set {
			for i := range in.Tokens {
				if isSalient[labelAt(in, i)] {
					all++
					for _, p := range in.MaskedPositions {
						if p == i {
							hit++
						}
					}
				}
			}
		}
		return float64(hit) / float64(all)
	}
	if s, p := share(instances), share(plain); s < 0.95 || p > 0.3 {
		t.Fatalf("salient words predicted %.2f of the time with SalientWords, %.2f without", s, p)
	}
}
