package tokenizer

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/turinglab/turinglab/internal/testref"
)

// FuzzParseVocabJSON: any input either parses or is an error; never a panic,
// and a parsed vocabulary has only non-negative ids.
func FuzzParseVocabJSON(f *testing.F) {
	for _, s := range []string{`{"a": 0, "b": 1}`, `{}`, `[]`, `{"a": 1.5}`, `{"a": -1}`, `{"a": "0"}`,
		`{"a": 0, "a": 1}`, `{"a": 0} x`, "{\n  \"\\u0120\": 220\n}\n", `{"a":`, `null`, `{"a": 99999999999999999999}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vocab, err := ParseVocabJSON(data)
		if err != nil {
			return
		}
		for k, id := range vocab {
			if id < 0 {
				t.Fatalf("%q has id %d", k, id)
			}
		}
	})
}

// FuzzParseMerges: any input parses or is an error; parsed merges have two
// non-empty tokens without spaces or newlines.
func FuzzParseMerges(f *testing.F) {
	for _, s := range []string{"#version: 0.2\nĠ t\nh e\n", "a b", "a b\r\nc d\r\n", "#version: 0.2\n\n", "a\n", "a b c\n", " a\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		merges, err := ParseMerges(data)
		if err != nil {
			return
		}
		for _, m := range merges {
			if m.Left == "" || m.Right == "" {
				t.Fatalf("empty side in %q", m)
			}
		}
	})
}

// FuzzParseTokenizerConfig: any tokenizer_config.json / special_tokens_map.json
// pair loads or is an error, and a loaded tokenizer encodes, decodes and
// saves without a panic.
func FuzzParseTokenizerConfig(f *testing.F) {
	dir := testref.GPT2RefDir(f)
	tok, err := LoadGPT2(dir)
	if err != nil {
		f.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, TokenizerConfigFileName))
	if err != nil {
		f.Fatal(err)
	}
	special, err := os.ReadFile(filepath.Join(dir, SpecialTokensMapFileName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(cfg, special)
	f.Add([]byte(`{"add_prefix_space": true, "pad_token": "<|endoftext|>", "padding_side": "left"}`), []byte(`{}`))
	f.Add([]byte(`{"added_tokens_decoder": {"520": {"content": "<x>", "lstrip": true, "rstrip": true, "single_word": true, "special": false}}}`), []byte(`{"additional_special_tokens": ["<y>", {"content": "<z>"}]}`))
	f.Add([]byte(`{"added_tokens_decoder": {"5": {"content": "<x>"}}}`), []byte(`null`))
	f.Add([]byte(`{"model_max_length": 1e30, "bos_token": null}`), []byte(`{"bos_token": {"content": 3}}`))
	f.Fuzz(func(t *testing.T, config, specialMap []byte) {
		g, err := ParseTokenizerConfig(tok.Model, config, specialMap)
		if err != nil {
			return
		}
		text := "Hello <x> world<|endoftext|> <y>"
		ids := g.EncodeIDs(text)
		if _, err := g.Decode(ids); err != nil {
			t.Fatalf("decode of encoded ids: %v", err)
		}
		if _, err := g.DecodeSkippingSpecial(ids); err != nil {
			t.Fatal(err)
		}
		if _, err := marshalPyJSON(g.configForSave()); err != nil {
			t.Fatal(err)
		}
		if _, err := marshalPyJSON(g.specialMapForSave()); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzGPT2RoundTrip: decode(encode(s)) == s for every valid UTF-8 s, and the
// offsets tile s.
func FuzzGPT2RoundTrip(f *testing.F) {
	tok, cases := loadRef(f)
	for _, c := range cases.Cases {
		f.Add(c.Text)
	}
	f.Add("a\u0085b\ufeff \u2028\u3000x\x1cy")
	f.Add("\xff\xfeinvalid")
	f.Fuzz(func(t *testing.T, s string) {
		enc := tok.Encode(s)
		got, err := tok.Decode(enc.IDs)
		if err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(s) && got != s {
			t.Fatalf("decode(encode(%q)) = %q", s, got)
		}
		pos := 0
		for i, sp := range enc.Offsets {
			if sp.Start != pos || sp.End < sp.Start {
				t.Fatalf("%q: token %d span %v, want start %d", s, i, sp, pos)
			}
			pos = sp.End
		}
		if pos != len(s) {
			t.Fatalf("%q: offsets end at %d, want %d", s, pos, len(s))
		}
	})
}
