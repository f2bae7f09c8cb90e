package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

// tokenizerCases is tokenizer_cases.json of the GPT-2 reference folder.
type tokenizerCases struct {
	Cases []struct {
		Text      string   `json:"text"`
		Pretokens []string `json:"pretokens"`
		Tokens    []string `json:"tokens"`
		InputIDs  []int    `json:"input_ids"`
		Decoded   string   `json:"decoded"`
		Note      string   `json:"note"`
	} `json:"cases"`
	DecodeCases []struct {
		InputIDs          []int  `json:"input_ids"`
		SkipSpecialTokens bool   `json:"skip_special_tokens"`
		Text              string `json:"text"`
		Note              string `json:"note"`
	} `json:"decode_cases"`
}

// loadRef loads the reference tokenizer and its cases.
func loadRef(t testing.TB) (*GPT2, *tokenizerCases) {
	t.Helper()
	dir := testref.GPT2RefDir(t)
	tok, err := LoadGPT2(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases tokenizerCases
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("tokenizer_cases.json: %v", err)
	}
	if len(cases.Cases) == 0 || len(cases.DecodeCases) == 0 {
		t.Fatalf("tokenizer_cases.json has %d cases and %d decode cases", len(cases.Cases), len(cases.DecodeCases))
	}
	return tok, &cases
}

// TestGPT2ReferenceCases checks every encode case of tokenizer_cases.json:
// pre-tokens, tokens, ids and the decoded text, plus the offsets' coverage.
func TestGPT2ReferenceCases(t *testing.T) {
	tok, cases := loadRef(t)
	for _, c := range cases.Cases {
		var pretokens []string
		for _, p := range tok.matcher.split(c.Text, 0) {
			if p.added != nil {
				pretokens = append(pretokens, p.text)
				continue
			}
			pretokens = append(pretokens, PreTokenizeGPT2(p.text)...)
		}
		if !reflect.DeepEqual(pretokens, c.Pretokens) && !(len(pretokens) == 0 && len(c.Pretokens) == 0) {
			t.Errorf("%s: %q: pre-tokens\n got %q\nwant %q", c.Note, c.Text, pretokens, c.Pretokens)
		}
		enc := tok.Encode(c.Text)
		if !slices.Equal(enc.IDs, c.InputIDs) {
			t.Errorf("%s: %q: ids\n got %v\nwant %v", c.Note, c.Text, enc.IDs, c.InputIDs)
		}
		if !slices.Equal(enc.Tokens, c.Tokens) {
			t.Errorf("%s: %q: tokens\n got %q\nwant %q", c.Note, c.Text, enc.Tokens, c.Tokens)
		}
		got, err := tok.Decode(c.InputIDs)
		if err != nil || got != c.Decoded {
			t.Errorf("%s: decode(%v) = %q, %v; want %q", c.Note, c.InputIDs, got, err, c.Decoded)
		}
		// The offsets tile the text: each token starts where the last ended.
		pos := 0
		for i, s := range enc.Offsets {
			if s.Start != pos || s.End < s.Start {
				t.Errorf("%s: %q: token %d %q has span %v, want it to start at %d", c.Note, c.Text, i, enc.Tokens[i], s, pos)
				break
			}
			pos = s.End
		}
		if pos != len(c.Text) {
			t.Errorf("%s: %q: offsets end at %d, want %d", c.Note, c.Text, pos, len(c.Text))
		}
	}
}

// TestGPT2ReferenceDecodeCases checks every decode case: skipping special
// tokens and Python's errors="replace" on invalid UTF-8.
func TestGPT2ReferenceDecodeCases(t *testing.T) {
	tok, cases := loadRef(t)
	for _, c := range cases.DecodeCases {
		decode := tok.Decode
		if c.SkipSpecialTokens {
			decode = tok.DecodeSkippingSpecial
		}
		got, err := decode(c.InputIDs)
		if err != nil || got != c.Text {
			t.Errorf("%s: decode(%v, skip=%v) = %q, %v; want %q", c.Note, c.InputIDs, c.SkipSpecialTokens, got, err, c.Text)
		}
	}
}
