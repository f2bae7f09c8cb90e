package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

// copyRef copies the reference tokenizer files into a temporary folder.
func copyRef(t *testing.T) string {
	t.Helper()
	src := testref.GPT2RefDir(t)
	dir := t.TempDir()
	for _, name := range []string{VocabFileName, MergesFileName, TokenizerConfigFileName, SpecialTokensMapFileName} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadGPT2Errors breaks one file at a time and checks that the error
// names the file, the line where there is one, and what was expected.
func TestLoadGPT2Errors(t *testing.T) {
	cases := []struct {
		name    string
		file    string
		edit    func(string) string
		wantAll []string
	}{
		{"merge of three tokens", MergesFileName, func(s string) string { return strings.Replace(s, "h e\n", "h e x\n", 1) },
			[]string{"merges.txt", "line 3:", "two tokens"}},
		{"empty merge line", MergesFileName, func(s string) string { return strings.Replace(s, "h e\n", "\n", 1) },
			[]string{"merges.txt", "line 3:"}},
		{"merge result not in the vocabulary", MergesFileName, func(s string) string { return strings.Replace(s, "h e\n", "h q\n", 1) },
			[]string{"merges.txt:3:", `"hq" is not in the vocabulary`}},
		{"merge of an unknown token", MergesFileName, func(s string) string { return strings.Replace(s, "h e\n", "h €\n", 1) },
			[]string{"merges.txt:3:", `"€" is not in the vocabulary`}},
		{"vocab not an object", VocabFileName, func(string) string { return "[1, 2]\n" },
			[]string{"vocab.json", "line 1", "expected a JSON object"}},
		{"vocab id not an integer", VocabFileName, func(s string) string { return strings.Replace(s, `"#": 2,`, `"#": "two",`, 1) },
			[]string{"vocab.json", "line 5:", `token "#"`, "integer id"}},
		{"vocab id fractional", VocabFileName, func(s string) string { return strings.Replace(s, `"#": 2,`, `"#": 2.5,`, 1) },
			[]string{"vocab.json", "line 5:", "integer id"}},
		{"vocab syntax error", VocabFileName, func(s string) string { return strings.Replace(s, `"#": 2,`, `"#" 2,`, 1) },
			[]string{"vocab.json", "line 5:"}},
		{"duplicate id", VocabFileName, func(s string) string { return strings.Replace(s, `"#": 2,`, `"#": 3,`, 1) },
			[]string{"vocab.json", `"#" and "$" both have id 3`}},
		{"missing byte character", VocabFileName, func(s string) string { return strings.Replace(s, `"#": 2,`, `"##": 2,`, 1) },
			[]string{"vocab.json", "byte character"}},
		{"config not an object", TokenizerConfigFileName, func(string) string { return "3" },
			[]string{"tokenizer_config.json", "expected a JSON object"}},
		{"add_prefix_space not a bool", TokenizerConfigFileName, func(s string) string {
			return strings.Replace(s, `"add_prefix_space": false`, `"add_prefix_space": "no"`, 1)
		}, []string{"tokenizer_config.json", "add_prefix_space", "true or false"}},
		{"added token id clash", TokenizerConfigFileName, func(s string) string { return strings.Replace(s, `"519"`, `"13"`, 1) },
			[]string{"tokenizer_config.json", "added_tokens_decoder", `"<|endoftext|>" has id 519`}},
		{"bad padding side", TokenizerConfigFileName, func(s string) string {
			return strings.Replace(s, `"pad_token": null`, `"pad_token": null, "padding_side": "up"`, 1)
		}, []string{"tokenizer_config.json", "padding_side", `"left" or "right"`}},
		{"bad special token", SpecialTokensMapFileName, func(string) string { return `{"eos_token": 5}` },
			[]string{"special_tokens_map.json", "eos_token"}},
	}
	for _, c := range cases {
		dir := copyRef(t)
		path := filepath.Join(dir, c.file)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		edited := c.edit(string(data))
		if edited == string(data) {
			t.Fatalf("%s: the edit changed nothing", c.name)
		}
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = LoadGPT2(dir)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, want := range c.wantAll {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, want)
			}
		}
	}
}

// TestLoadGPT2Lenient checks inputs HF reads that need no error: merges.txt
// without the #version line, without a final newline, with CRLF line ends,
// and a folder without the two config files.
func TestLoadGPT2Lenient(t *testing.T) {
	ref, _ := loadRef(t)
	text := "Hello world, the model learns."
	want := ref.EncodeIDs(text)
	edits := map[string]func(string) string{
		"no #version":       func(s string) string { return strings.TrimPrefix(s, MergesHeader+"\n") },
		"no final newline":  func(s string) string { return strings.TrimSuffix(s, "\n") },
		"CRLF line ends":    func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"no config files":   func(s string) string { return s },
		"unchanged (check)": func(s string) string { return s },
	}
	for name, edit := range edits {
		dir := copyRef(t)
		path := filepath.Join(dir, MergesFileName)
		data, _ := os.ReadFile(path)
		if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "no config files" {
			os.Remove(filepath.Join(dir, TokenizerConfigFileName))
			os.Remove(filepath.Join(dir, SpecialTokensMapFileName))
		}
		tok, err := LoadGPT2(dir)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := tok.EncodeIDs(text); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
		if len(tok.Model.Merges()) != len(ref.Model.Merges()) {
			t.Errorf("%s: %d merges, want %d", name, len(tok.Model.Merges()), len(ref.Model.Merges()))
		}
	}
}

// TestGPT2Literal checks that a GPT2 literal with only a model works.
func TestGPT2Literal(t *testing.T) {
	ref, _ := loadRef(t)
	lit := &GPT2{Model: ref.Model}
	if got, want := lit.EncodeIDs("Hello world"), ref.EncodeIDs("Hello world"); !slices.Equal(got, want) {
		t.Errorf("literal: %v, want %v", got, want)
	}
	id := lit.AddToken(AddedToken{Content: "<x>", Special: true})
	if got := lit.EncodeIDs("a<x>"); len(got) != 2 || got[1] != id {
		t.Errorf("literal with an added token: %v", got)
	}
}
