package tokenizer

import (
	"testing"
	"unicode/utf8"
)

// FuzzTokenizerEncode feeds arbitrary bytes (invalid UTF-8 included) to
// Encode and checks what must always hold: no panic, one id per token, ids in
// the vocabulary, offsets inside the text and not going backwards, byte
// offsets on character boundaries, and Decode not failing.
// Run with: go test ./bert -run '^$' -fuzz FuzzTokenizerEncode -fuzztime 30s
func FuzzTokenizerEncode(f *testing.F) {
	for _, seed := range []string{"Hello, world!", "a𠀀b İs ΟΔΟΣ", "x\x00\xff\xfe[MASK]y", "Cafe\u0301 我们", "\u0301\u0301\u0301", ""} {
		f.Add(seed, "pair")
	}
	tok := testTokenizer(f)
	f.Fuzz(func(t *testing.T, text, pair string) {
		e, err := tok.EncodePair(text, pair, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		runes := [2]int{utf8.RuneCountInString(text), utf8.RuneCountInString(pair)}
		texts := [2]string{text, pair}
		prev := [2]int{}
		for i, id := range e.IDs {
			if id < 0 || id >= tok.Vocab.Size() || tok.Vocab.Token(id) != e.Tokens[i] {
				t.Fatalf("position %d: id %d for token %q", i, id, e.Tokens[i])
			}
			seq := e.SequenceIDs[i]
			if seq < 0 {
				continue
			}
			o, bo := e.Offsets[i], e.ByteOffsets[i]
			if o.Start < prev[seq] || o.Start > o.End || o.End > runes[seq] {
				t.Fatalf("position %d (%q): offsets %v out of order or range (%d runes)", i, e.Tokens[i], o, runes[seq])
			}
			prev[seq] = o.Start
			s := texts[seq]
			if bo.Start > bo.End || bo.End > len(s) || utf8.RuneCountInString(s[:bo.Start]) != o.Start ||
				utf8.RuneCountInString(s[:bo.End]) != o.End {
				t.Fatalf("position %d: byte offsets %v do not match rune offsets %v", i, bo, o)
			}
		}
		tok.Decode(e.IDs, true)
	})
}
