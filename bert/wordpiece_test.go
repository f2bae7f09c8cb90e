package bert

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
