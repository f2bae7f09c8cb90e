package tokenizer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/display"
)

// hugCorpus is the classic BPE example: hug x10, pug x5, pun x12, bun x4,
// hugs x5.
func hugCorpus() []string {
	var lines []string
	for _, wc := range []struct {
		w string
		n int
	}{{"hug", 10}, {"pug", 5}, {"pun", 12}, {"bun", 4}, {"hugs", 5}} {
		for range wc.n {
			lines = append(lines, wc.w)
		}
	}
	return lines
}

func TestTrainerMergesByHand(t *testing.T) {
	tr := NewWordPieceTrainer(23)
	v, err := tr.Train(hugCorpus())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
		"b", "g", "h", "n", "p", "s", "u", // alphabet, code point order
		"##u", "##n", "##g", "##s", // continuations, first met in sorted words bun, hug, hugs
		"##ug", // ##u ##g: 10+5+5 = 20
		"##un", // ##u ##n: 12+4 = 16
		"hug",  // h ##ug: 15
		"pun",  // p ##un: 12
		"pug",  // p ##ug: 5, ties with hug ##s: 5, smaller pair of ids wins
		"hugs", // hug ##s: 5
		"bun",  // b ##un: 4
	}
	if got := v.Tokens(); !reflect.DeepEqual(got, want) {
		t.Fatalf("vocabulary\n got %q\nwant %q", got, want)
	}
}

func TestTrainerMinFrequencyAndAlphabetLimit(t *testing.T) {
	tr := NewWordPieceTrainer(100)
	tr.MinFrequency = 12
	v, err := tr.Train(hugCorpus())
	if err != nil {
		t.Fatal(err)
	}
	got := v.Tokens()[16:]
	if want := []string{"##ug", "##un", "hug", "pun"}; !reflect.DeepEqual(got, want) {
		t.Errorf("min frequency 12: merges %q, want %q", got, want)
	}

	tr = NewWordPieceTrainer(100)
	tr.LimitAlphabet = 3 // counts: u 36, g 20, p 17, n 16, h 15, s 5, b 4
	v, err = tr.Train(hugCorpus())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.Tokens()[5:8], []string{"g", "p", "u"}; !reflect.DeepEqual(got, want) {
		t.Errorf("alphabet limited to 3: %q, want %q", got, want)
	}
	for _, tok := range v.Tokens() {
		if strings.ContainsAny(tok, "hnbs") && !strings.HasPrefix(tok, "[") {
			t.Errorf("token %q uses a character outside the limited alphabet", tok)
		}
	}

	tr = NewWordPieceTrainer(100)
	tr.InitialAlphabet = "z"
	tr.LimitAlphabet = 1
	v, err = tr.Train(hugCorpus())
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Tokens()[5]; got != "z" {
		t.Errorf("initial alphabet is kept before frequent characters: got %q", got)
	}
}

// trainerText is a deterministic English-like corpus for trainer tests.
func trainerText(lines int) []string {
	words := strings.Fields("the quick brown fox jumps over lazy dogs while singing happily about learning languages " +
		"and modelling sentences with neural networks transformers tokenizers attention playing played player")
	out := make([]string, lines)
	x := uint32(1)
	for i := range out {
		var b strings.Builder
		for j := 0; j < 12; j++ {
			x = x*1664525 + 1013904223
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[int(x>>8)%len(words)])
		}
		b.WriteString(fmt.Sprintf(" %d.", i%97))
		out[i] = b.String()
	}
	return out
}

func TestTrainerIsDeterministicAndCoversItsText(t *testing.T) {
	text := trainerText(2000)
	tr := NewWordPieceTrainer(200)
	a, err := tr.Train(text)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewWordPieceTrainer(200).Train(text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Tokens(), b.Tokens()) {
		t.Fatal("two trainings on the same text differ")
	}
	if a.Size() != 200 {
		t.Fatalf("vocab size %d, want 200", a.Size())
	}
	for i, s := range BertSpecialTokens {
		if a.Token(i) != s {
			t.Fatalf("token %d = %q, want %q", i, a.Token(i), s)
		}
	}
	tok, err := NewBertTokenizer(a, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range text[:50] {
		for _, piece := range tok.Tokenize(line) {
			if piece == "[UNK]" {
				t.Fatalf("training text %q has an [UNK]", line)
			}
		}
	}
	if got := tok.Tokenize("playing"); !reflect.DeepEqual(got, []string{"playing"}) {
		t.Errorf("a frequent word should be one token, got %q", got)
	}

	// Files give the same vocabulary as strings.
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(strings.Join(text, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := NewWordPieceTrainer(200).TrainFiles(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Tokens(), c.Tokens()) {
		t.Error("training from a file differs from training on the same strings")
	}
}

func TestTrainerErrorsAndInterrupt(t *testing.T) {
	if _, err := NewWordPieceTrainer(5).Train([]string{"hello"}); err == nil || !strings.Contains(err.Error(), "VocabSize 5") {
		t.Errorf("vocab size below special tokens: %v", err)
	}
	if _, err := NewWordPieceTrainer(50).Train([]string{" \n"}); err == nil || !strings.Contains(err.Error(), "no words") {
		t.Errorf("empty text: %v", err)
	}
	if _, err := NewWordPieceTrainer(50).TrainFiles(filepath.Join(t.TempDir(), "nope.txt")); err == nil || !strings.Contains(err.Error(), "nope.txt") {
		t.Errorf("missing file: %v", err)
	}
	display.Interrupt()
	defer display.BeginRun()
	_, err := NewWordPieceTrainer(200).Train(trainerText(100))
	if !errors.Is(err, display.ErrInterrupted) {
		t.Errorf("interrupted training returned %v, want ErrInterrupted", err)
	}
}

// naiveMerges is the trainer's merge loop done the slow, obvious way:
// recount every pair from scratch before each merge. The incremental
// bookkeeping of pairMerger must give the same vocabulary.
func naiveMerges(words []wordPieceWord, tokens []string, vocabSize int) []string {
	ids := map[string]int32{}
	for i, s := range tokens {
		ids[s] = int32(i)
	}
	for len(tokens) < vocabSize {
		counts := map[piecePair]int{}
		for _, w := range words {
			for j := 0; j+1 < len(w.pieces); j++ {
				counts[makePair(w.pieces[j], w.pieces[j+1])] += w.count
			}
		}
		best, bestCount := piecePair(0), 0
		for p, c := range counts {
			if c > bestCount || (c == bestCount && p < best) {
				best, bestCount = p, c
			}
		}
		if bestCount == 0 {
			break
		}
		merged := tokens[best.first()] + strings.TrimPrefix(tokens[best.second()], ContinuationPrefix)
		id, ok := ids[merged]
		if !ok {
			id = int32(len(tokens))
			ids[merged] = id
			tokens = append(tokens, merged)
		}
		for i := range words {
			src := words[i].pieces
			var out []int32
			for j := 0; j < len(src); j++ {
				if j+1 < len(src) && src[j] == best.first() && src[j+1] == best.second() {
					out = append(out, id)
					j++
					continue
				}
				out = append(out, src[j])
			}
			words[i].pieces = out
		}
	}
	return tokens
}

func TestTrainerMatchesNaiveMerging(t *testing.T) {
	// Repetitive words ("aaaa", "abab") exercise overlapping pairs.
	text := append(trainerText(300), "aaaa aaa abab ababab aa ba baba xyzzy xyzzy zzz")
	tr := NewWordPieceTrainer(400)
	tr.MinFrequency = 0 // naiveMerges merges down to count 1
	got, err := tr.Train(text)
	if err != nil {
		t.Fatal(err)
	}
	// Rebuild the starting point exactly as train() does.
	start := &trainerVocab{ids: map[string]int32{}}
	for _, s := range tr.SpecialTokens {
		start.add(s)
	}
	for _, r := range tr.alphabet() {
		start.add(string(r))
	}
	var sorted []string
	for w := range tr.counts {
		sorted = append(sorted, w)
	}
	slices.Sort(sorted)
	var words []wordPieceWord
	for _, w := range sorted {
		tw := wordPieceWord{count: tr.counts[w]}
		for i, r := range []rune(w) {
			c := string(r)
			if i > 0 {
				c = ContinuationPrefix + c
			}
			tw.pieces = append(tw.pieces, start.add(c))
		}
		words = append(words, tw)
	}
	want := naiveMerges(words, start.tokens, 400)
	if !reflect.DeepEqual(got.Tokens(), want) {
		for i := range min(len(want), got.Size()) {
			if got.Token(i) != want[i] {
				t.Fatalf("first difference at id %d: got %q, want %q", i, got.Token(i), want[i])
			}
		}
		t.Fatalf("sizes differ: got %d, want %d", got.Size(), len(want))
	}
}
