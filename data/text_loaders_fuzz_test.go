package data

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets for the line-based loaders a user points at a file: CoNLL
// (token classification) and the plain-text corpus. The table loaders (TSV,
// CSV, JSONL) have theirs in table_loaders_test.go.

// FuzzLoadCoNLL checks that no file makes the CoNLL reader panic, that an
// error names the file and line, and that every sentence it returns has one
// tag per token and no empty token.
func FuzzLoadCoNLL(f *testing.F) {
	f.Add([]byte("-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\n\nPeter B-PER\n"))
	f.Add([]byte("\ufeffa O\r\nb B-LOC\r\n\r\n\r\n"))
	f.Add([]byte("word\n"))
	f.Add([]byte("a\tO\n \t \nb  I-X\n"))
	f.Add([]byte(strings.Repeat("x", 70000) + " O\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		sentences, err := readCoNLL(bytes.NewReader(content), "train.conll")
		if err != nil {
			if !strings.Contains(err.Error(), "train.conll:") {
				t.Fatalf("error does not name the file and line: %v", err)
			}
			return
		}
		for i, s := range sentences {
			if len(s.Tokens) == 0 || len(s.Tokens) != len(s.Tags) {
				t.Fatalf("sentence %d: %d tokens, %d tags", i, len(s.Tokens), len(s.Tags))
			}
			for _, tok := range s.Tokens {
				if tok == "" || strings.ContainsAny(tok, " \t\n") {
					t.Fatalf("sentence %d: token %q", i, tok)
				}
			}
		}
	})
}

// FuzzLoadCorpus checks that no text file makes LoadCorpus panic and that
// every document it returns holds trimmed, non-empty sentences.
func FuzzLoadCorpus(f *testing.F) {
	f.Add([]byte("One sentence.\nTwo.\n\n\nNext document.\n"))
	f.Add([]byte("\ufeff  padded  \r\n\r\nx"))
	f.Add([]byte("\n\n\n"))
	f.Add([]byte("\xff\xfe\x00t\x00"))
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "corpus.txt")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		docs, err := LoadCorpus(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for i, d := range docs {
			if len(d) == 0 {
				t.Fatalf("document %d is empty", i)
			}
			for _, s := range d {
				if s == "" || s != strings.TrimSpace(s) {
					t.Fatalf("document %d: sentence %q", i, s)
				}
			}
		}
	})
}
