package tokenizer

import (
	"reflect"
	"strings"
	"testing"
)

func testWordPiece(t *testing.T) *WordPiece {
	v, err := NewVocab([]string{"[UNK]", "un", "##aff", "##able", "aff", "##a", "##b", "a", "play", "##ing", "##in", "##g"})
	if err != nil {
		t.Fatal(err)
	}
	return NewWordPiece(v)
}

func TestWordPieceGreedyLongestMatchFirst(t *testing.T) {
	wp := testWordPiece(t)
	cases := []struct {
		word string
		want []string
	}{
		{"unaffable", []string{"un", "##aff", "##able"}},
		{"playing", []string{"play", "##ing"}}, // ##ing, not ##in + ##g
		{"aab", []string{"a", "##a", "##b"}},
		{"unaffx", []string{"[UNK]"}}, // an unmatched piece makes the whole word one [UNK]
		{"xa", []string{"[UNK]"}},     // no first piece
		{"ab" + "b", []string{"a", "##b", "##b"}},
	}
	for _, c := range cases {
		if got := wp.Tokenize(c.word); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestWordPieceLongWords(t *testing.T) {
	wp := testWordPiece(t)
	exactly := "a" + strings.Repeat("a", 99)
	if got := wp.Tokenize(exactly); len(got) != 100 || got[0] != "a" || got[99] != "##a" {
		t.Errorf("100 characters should still be split, got %d pieces", len(got))
	}
	if got := wp.Tokenize(exactly + "a"); !reflect.DeepEqual(got, []string{"[UNK]"}) {
		t.Errorf("101 characters: got %q, want [UNK]", got)
	}
	// The limit counts characters, not bytes.
	wide := strings.Repeat("é", 100)
	if got := wp.Tokenize(wide); !reflect.DeepEqual(got, []string{"[UNK]"}) {
		t.Errorf("100 two-byte characters: got %q, want one [UNK] (unmatched)", got)
	}
	wp.MaxInputCharsPerWord = 3
	if got := wp.Tokenize("aaaa"); !reflect.DeepEqual(got, []string{"[UNK]"}) {
		t.Errorf("limit 3: got %q", got)
	}
}

// naiveWordPiece is HF's WordpieceTokenizer loop written out literally:
// try the whole rest of the word, then one character less, and so on.
func naiveWordPiece(v *Vocab, word string) []string {
	chars := []rune(word)
	if len(chars) > DefaultMaxInputCharsPerWord {
		return []string{"[UNK]"}
	}
	var out []string
	for start := 0; start < len(chars); {
		end := len(chars)
		cur := ""
		for ; start < end; end-- {
			sub := string(chars[start:end])
			if start > 0 {
				sub = "##" + sub
			}
			if v.Has(sub) {
				cur = sub
				break
			}
		}
		if cur == "" {
			return []string{"[UNK]"}
		}
		out = append(out, cur)
		start = end
	}
	return out
}

func TestWordPieceTrieMatchesNaiveLoop(t *testing.T) {
	v, err := NewWordPieceTrainer(600).Train(append(trainerText(500), "ünïcödé wörds ärë hërë 学习语言 ##odd #"))
	if err != nil {
		t.Fatal(err)
	}
	wp := NewWordPiece(v)
	letters := []rune("abcdefghijklmnopqrstuvwxyzäöüë学习#")
	seed := uint32(7)
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := 1 + i%14; n > 0; n-- {
			seed = seed*1664525 + 1013904223
			b.WriteRune(letters[int(seed>>8)%len(letters)])
		}
		word := b.String()
		if got, want := wp.Tokenize(word), naiveWordPiece(v, word); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: trie gives %q, HF's loop %q", word, got, want)
		}
	}
}

func TestWordPieceTraceShowsEveryLookup(t *testing.T) {
	wp := testWordPiece(t)
	tr := wp.Trace("playing")
	want := []WordPieceStep{
		{"playing", 0, 7, false}, {"playin", 0, 6, false}, {"playi", 0, 5, false}, {"play", 0, 4, true},
		{"##ing", 4, 7, true},
	}
	if !reflect.DeepEqual(tr.Steps, want) || !reflect.DeepEqual(tr.Pieces, []string{"play", "##ing"}) {
		t.Errorf("trace %+v", tr)
	}
	if bad := wp.Trace("unaffx"); !reflect.DeepEqual(bad.Pieces, []string{"[UNK]"}) {
		t.Errorf("unmatched: %q", bad.Pieces)
	}
	if html := tr.MIMEBundle().Data["text/html"].(string); !strings.Contains(html, "<td>##ing</td>") {
		t.Errorf("html %q", html)
	}
}
