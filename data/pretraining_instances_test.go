package data

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// worldDocuments tokenizes the small world by whitespace, splitting off the
// final full stop and breaking long words into "##" pieces, so whole-word
// masking has something to do.
func worldDocuments(t *testing.T) ([][][]string, []string) {
	t.Helper()
	w := SmallWorld(DefaultSmallWorld)
	vocab := map[string]bool{}
	tokenize := func(s string) []string {
		var out []string
		for _, word := range strings.Fields(strings.ToLower(strings.TrimSuffix(s, "."))) {
			for len(word) > 4 {
				out = append(out, word[:4])
				word = "##" + word[4:]
			}
			out = append(out, word)
		}
		out = append(out, ".")
		for _, tok := range out {
			vocab[tok] = true
		}
		return out
	}
	docs, err := ReadDocuments(strings.NewReader(w.Text()), tokenize)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(w.Documents) {
		t.Fatalf("read %d documents, want %d", len(docs), len(w.Documents))
	}
	var words []string
	for v := range vocab {
		words = append(words, v)
	}
	return docs, words
}

func TestPretrainingInstanceStatistics(t *testing.T) {
	docs, vocab := worldDocuments(t)
	opts := DefaultPretraining
	opts.MaxSeqLength = 64
	instances, err := CreatePretrainingInstances(docs, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	var random, masked, maskToken, kept, short int
	var tokensTotal int
	for _, in := range instances {
		if len(in.Tokens) > opts.MaxSeqLength {
			t.Fatalf("instance of %d tokens > max %d", len(in.Tokens), opts.MaxSeqLength)
		}
		if len(in.Tokens) < opts.MaxSeqLength/2 {
			short++
		}
		if in.Tokens[0] != "[CLS]" || in.Tokens[len(in.Tokens)-1] != "[SEP]" || strings.Count(strings.Join(in.Tokens, " "), "[SEP]") != 2 {
			t.Fatalf("bad layout %v", in.Tokens)
		}
		firstSep := -1
		for i, tok := range in.Tokens {
			if tok == "[SEP]" && firstSep < 0 {
				firstSep = i
			}
			want := 0
			if firstSep >= 0 && i > firstSep {
				want = 1
			}
			if in.SegmentIDs[i] != want {
				t.Fatalf("segment ids %v for %v", in.SegmentIDs, in.Tokens)
			}
		}
		if in.IsRandomNext {
			random++
		}
		want := min(opts.MaxPredictionsPerSeq, max(1, int(math.RoundToEven(float64(len(in.Tokens))*opts.MaskedLMProb))))
		if len(in.MaskedPositions) != want || len(in.MaskedLabels) != want {
			t.Fatalf("%d predictions for %d tokens, want %d", len(in.MaskedPositions), len(in.Tokens), want)
		}
		for k, p := range in.MaskedPositions {
			if k > 0 && p <= in.MaskedPositions[k-1] {
				t.Fatalf("positions not increasing: %v", in.MaskedPositions)
			}
			masked++
			switch in.Tokens[p] {
			case "[MASK]":
				maskToken++
			case in.MaskedLabels[k]:
				kept++
			}
		}
		tokensTotal += len(in.Tokens)
	}
	n := float64(len(instances))
	if n < 500 {
		t.Fatalf("only %d instances", len(instances))
	}
	if frac := float64(random) / n; frac < 0.4 || frac > 0.65 {
		t.Fatalf("random-next fraction %.3f, want about 0.5", frac)
	}
	if frac := float64(maskToken) / float64(masked); math.Abs(frac-0.8) > 0.03 {
		t.Fatalf("[MASK] share %.3f, want 0.8", frac)
	}
	// Kept: 10% by design, plus random replacements that drew the same word.
	if frac := float64(kept) / float64(masked); frac < 0.07 || frac > 0.14 {
		t.Fatalf("unchanged share %.3f, want about 0.1", frac)
	}
	if frac := float64(masked) / float64(tokensTotal); math.Abs(frac-0.15) > 0.02 {
		t.Fatalf("mask rate %.3f, want 0.15", frac)
	}
	again, _ := CreatePretrainingInstances(docs, vocab, opts)
	if !reflect.DeepEqual(instances, again) {
		t.Fatal("the same seed gave different instances")
	}
}

func TestWholeWordMaskingMasksEveryPiece(t *testing.T) {
	docs, vocab := worldDocuments(t)
	opts := DefaultPretraining
	opts.WholeWordMask = true
	opts.DupeFactor = 1
	instances, err := CreatePretrainingInstances(docs, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	pieces := 0
	for _, in := range instances {
		isMasked := map[int]bool{}
		for _, p := range in.MaskedPositions {
			isMasked[p] = true
		}
		for _, p := range in.MaskedPositions {
			if strings.HasPrefix(in.MaskedLabels[0], "##") {
				t.Fatalf("a word's tail was masked without its head: %v", in.MaskedLabels)
			}
			// The piece after a masked word head is masked too when it continues the word.
			if p+1 < len(in.Tokens) && !isMasked[p+1] {
				if next := labelAt(in, p+1); strings.HasPrefix(next, "##") {
					t.Fatalf("piece %q at %d left unmasked after a masked head", next, p+1)
				}
			}
			if strings.HasPrefix(labelAt(in, p), "##") {
				pieces++
			}
		}
	}
	if pieces == 0 {
		t.Fatal("no multi-piece word was ever masked")
	}
}

// labelAt is the original token at position p (the label if it was masked).
func labelAt(in PretrainingInstance, p int) string {
	for k, q := range in.MaskedPositions {
		if q == p {
			return in.MaskedLabels[k]
		}
	}
	return in.Tokens[p]
}

func TestTruncatePairShortensTheLongerSide(t *testing.T) {
	rng := newRand(1)
	a := strings.Fields("a1 a2 a3 a4 a5 a6")
	b := strings.Fields("b1 b2")
	a, b = truncatePair(rng, a, b, 5)
	if len(a) != 3 || len(b) != 2 {
		t.Fatalf("got %v %v", a, b)
	}
}

func TestPretrainingRejectsBadOptions(t *testing.T) {
	if _, err := CreatePretrainingInstances(nil, []string{"x"}, PretrainingOptions{MaxSeqLength: 3}); err == nil || !strings.Contains(err.Error(), "MaxSeqLength 3") {
		t.Fatalf("err = %v", err)
	}
	if _, err := CreatePretrainingInstances(nil, nil, DefaultPretraining); err == nil || !strings.Contains(err.Error(), "vocabWords") {
		t.Fatalf("err = %v", err)
	}
}

func TestDynamicMaskerMatchesHFRates(t *testing.T) {
	m := NewDynamicMasker(103, 500, []int{0, 101, 102}, 7)
	ids := make([]int, 100000)
	for i := range ids {
		ids[i] = 200 + i%100
	}
	ids[0], ids[1], ids[2] = 101, 102, 0
	inputs, labels := m.Mask(ids)
	var chosen, asMask, same int
	for i, l := range labels {
		if l == IgnoreLabel {
			if inputs[i] != ids[i] {
				t.Fatalf("unchosen position %d changed", i)
			}
			continue
		}
		if i < 3 {
			t.Fatalf("special token at %d was masked", i)
		}
		chosen++
		if inputs[i] == 103 {
			asMask++
		} else if inputs[i] == ids[i] {
			same++
		}
	}
	if f := float64(chosen) / float64(len(ids)); math.Abs(f-0.15) > 0.005 {
		t.Fatalf("chose %.4f, want 0.15", f)
	}
	if f := float64(asMask) / float64(chosen); math.Abs(f-0.8) > 0.01 {
		t.Fatalf("[MASK] share %.4f", f)
	}
	if f := float64(same) / float64(chosen); math.Abs(f-0.1) > 0.01 {
		t.Fatalf("unchanged share %.4f", f)
	}
}

func TestMLMOnlyInstancesAreContiguousSingleSegments(t *testing.T) {
	docs, vocab := worldDocuments(t)
	opts := DefaultPretraining
	opts.MaxSeqLength, opts.DupeFactor, opts.ShortSeqProb, opts.MLMOnly = 48, 1, 0, true
	instances, err := CreatePretrainingInstances(docs, vocab, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Every document's text, sentence after sentence, to find each chunk in.
	var texts []string
	longest := 0
	for _, d := range docs {
		var words []string
		for _, s := range d {
			words = append(words, s...)
			longest = max(longest, len(s))
		}
		texts = append(texts, " "+strings.Join(words, " ")+" ")
	}
	if longest > opts.MaxSeqLength-2 {
		t.Fatalf("a sentence of %d tokens would be cut; the test needs whole sentences", longest)
	}
	tokensTotal, docTokens := 0, 0
	for _, d := range docs {
		for _, s := range d {
			docTokens += len(s)
		}
	}
	for _, in := range instances {
		n := len(in.Tokens)
		if n > opts.MaxSeqLength || in.Tokens[0] != "[CLS]" || in.Tokens[n-1] != "[SEP]" || strings.Count(strings.Join(in.Tokens, " "), "[SEP]") != 1 {
			t.Fatalf("not one segment of at most %d tokens: %v", opts.MaxSeqLength, in.Tokens)
		}
		if in.IsRandomNext {
			t.Fatal("an MLM-only instance has a random next segment")
		}
		for _, s := range in.SegmentIDs {
			if s != 0 {
				t.Fatalf("segment ids %v, want all 0", in.SegmentIDs)
			}
		}
		original := append([]string(nil), in.Tokens...)
		for k, p := range in.MaskedPositions {
			original[p] = in.MaskedLabels[k]
		}
		chunk := " " + strings.Join(original[1:n-1], " ") + " "
		found := false
		for _, text := range texts {
			found = found || strings.Contains(text, chunk)
		}
		if !found {
			t.Fatalf("%q is not contiguous text of one document", chunk)
		}
		want := min(opts.MaxPredictionsPerSeq, max(1, int(math.RoundToEven(float64(n)*opts.MaskedLMProb))))
		if len(in.MaskedPositions) != want {
			t.Fatalf("%d predictions for %d tokens, want %d", len(in.MaskedPositions), n, want)
		}
		tokensTotal += n - 2
	}
	// No short sequences and no sentence longer than the sequence: every
	// token of the corpus is in exactly one instance.
	if tokensTotal != docTokens {
		t.Fatalf("instances hold %d tokens of text, the documents %d", tokensTotal, docTokens)
	}
}
