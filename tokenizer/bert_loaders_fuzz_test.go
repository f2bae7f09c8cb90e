package tokenizer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets for the files a BertTokenizer is loaded from: vocab.txt and
// tokenizer_config.json. None may panic; every error must name the file it
// is about.

// bertRefDir is the small reference BERT checkpoint the seeds start from.
var bertRefDir = filepath.Join("..", "testdata", "bert-ref-small")

// readBertRef reads a file of the reference checkpoint, failing the fuzz
// setup if it is missing.
func readBertRef(f *testing.F, name string) []byte {
	f.Helper()
	data, err := os.ReadFile(filepath.Join(bertRefDir, name))
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// FuzzParseVocab checks that no vocab.txt makes the vocabulary loader panic,
// that errors name the file, and that an accepted vocabulary maps every
// token to its line.
func FuzzParseVocab(f *testing.F) {
	f.Add(readBertRef(f, "vocab.txt"))
	f.Add([]byte("[PAD]\r\n[UNK]\r\n"))
	f.Add([]byte("a\n\nb\n"))
	f.Add([]byte("a\nb\na\n"))
	f.Add([]byte(""))
	f.Add([]byte("\xff\xfe\n##x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := parseVocab(data, "vocab.txt")
		if err != nil {
			if !strings.Contains(err.Error(), "vocab.txt") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for id, tok := range v.Tokens() {
			if got, ok := v.ID(tok); !ok || got != id {
				t.Fatalf("token %q on line %d maps to %d, %v", tok, id+1, got, ok)
			}
		}
	})
}

// FuzzLoadBertTokenizer checks that no tokenizer_config.json beside the reference
// vocab.txt makes LoadBertTokenizer panic, that errors name the config file, and
// that an accepted tokenizer encodes a sentence.
func FuzzLoadBertTokenizer(f *testing.F) {
	vocab := readBertRef(f, "vocab.txt")
	f.Add([]byte(`{"do_lower_case": true, "model_max_length": 32, "tokenizer_class": "BertTokenizer"}`))
	f.Add([]byte(`{"unk_token": {"content": "[UNK]", "lstrip": false}, "strip_accents": null, "never_split": ["[X]"]}`))
	f.Add([]byte(`{"do_lower_case": "yes"}`))
	f.Add([]byte(`{"model_max_length": 1e30, "mask_token": "[NOPE]"}`))
	f.Add([]byte(`{"model_max_length": -3.5}`))
	f.Add([]byte(`{"pad_token": {"lstrip": true}}`))
	f.Add([]byte(`nul`))
	f.Fuzz(func(t *testing.T, config []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, BertVocabFileName), vocab, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, TokenizerConfigFileName), config, 0o644); err != nil {
			t.Fatal(err)
		}
		tok, err := LoadBertTokenizer(dir)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if _, err := tok.Encode("Hello, world! Ünïcode [MASK] text.", EncodeOptions{}); err != nil {
			t.Fatalf("an accepted tokenizer cannot encode: %v", err)
		}
	})
}
