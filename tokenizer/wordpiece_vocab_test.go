package tokenizer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestVocabIDsAreLineNumbers(t *testing.T) {
	v, err := parseVocab([]byte("[PAD]\r\n[UNK]\nhello\n##s\n"), "mem")
	if err != nil {
		t.Fatal(err)
	}
	if v.Size() != 4 {
		t.Fatalf("size %d, want 4", v.Size())
	}
	for i, want := range []string{"[PAD]", "[UNK]", "hello", "##s"} {
		if got := v.Token(i); got != want {
			t.Errorf("token %d = %q, want %q", i, got, want)
		}
		if id, ok := v.ID(want); !ok || id != i {
			t.Errorf("ID(%q) = %d, %v; want %d", want, id, ok, i)
		}
	}
	if v.Has("world") {
		t.Error("Has(world) is true")
	}
}

func TestVocabBadFilesNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content, wantErr string
	}{
		{"dup.txt", "[PAD]\n[UNK]\nhello\nworld\nhello\n", "dup.txt, line 5: duplicate token \"hello\" (first on line 3)"},
		{"empty.txt", "[PAD]\n\n[UNK]\n", "empty.txt, line 2: empty token"},
		{"none.txt", "", "none.txt: no tokens"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadVocab(path)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: got error %v, want it to contain %q", c.name, err, c.wantErr)
		}
	}
	if _, err := LoadVocab(filepath.Join(dir, "missing.txt")); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: got %v", err)
	}
	if _, err := NewVocab([]string{"a", "b", "a"}); err == nil || !strings.Contains(err.Error(), `"a" appears twice (ids 0 and 2)`) {
		t.Errorf("NewVocab duplicate: got %v", err)
	}
}

func TestTokenizerNeedsUnknownToken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte("[PAD]\n[CLS]\n[SEP]\n[MASK]\nhello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadBertTokenizer(dir)
	if err == nil || !strings.Contains(err.Error(), `unk_token "[UNK]" is not in the vocabulary`) {
		t.Fatalf("got %v, want a missing [UNK] error", err)
	}
}

func TestVocabSaveLoadRoundTrip(t *testing.T) {
	tokens := []string{"[PAD]", "[UNK]", "café", "##s", "学", "𠀀"}
	v, err := NewVocab(tokens)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := v.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadVocab(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Tokens(), tokens) {
		t.Fatalf("round trip: got %q, want %q", back.Tokens(), tokens)
	}
	data, _ := os.ReadFile(path)
	if string(data) != strings.Join(tokens, "\n")+"\n" {
		t.Fatalf("file content %q", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestVocabAndTokenizerPrintShort(t *testing.T) {
	tok := testTokenizer(t)
	if got, want := tok.Vocab.String(), "tokenizer.Vocab(544 tokens: [PAD] [unused0] [unused1] [unused2] [unused3] … 习 我 们 中 文)"; got != want {
		t.Errorf("Vocab.String() = %q, want %q", got, want)
	}
	if got, want := tok.String(), "tokenizer.BertTokenizer(uncased, 544 tokens, no model_max_length)"; got != want {
		t.Errorf("Tokenizer.String() = %q, want %q", got, want)
	}
	small, _ := NewVocab([]string{"a", "b"})
	if got := small.String(); got != "tokenizer.Vocab(2 tokens: a b)" {
		t.Errorf("small vocab: %q", got)
	}
}
