package tokenizer

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// HFCasesFileName is the file of a reference folder that records what
// HuggingFace's BertTokenizer produced for a set of texts.
const HFCasesFileName = "tokenizer_cases.json"

// HFCase is one recorded result of HuggingFace's BertTokenizer: a text (or a
// pair of texts) and the tokens, ids and token types HF gave for it.
type HFCase struct {
	Text         string   `json:"text"`
	TextPair     *string  `json:"text_pair"` // nil for a single text
	Tokens       []string `json:"tokens"`
	InputIDs     []int    `json:"input_ids"`
	TokenTypeIDs []int    `json:"token_type_ids"`
	Note         string   `json:"note"` // what the case tests ("decomposed accents", ...)
}

// LoadHFCases reads a tokenizer_cases.json file: a JSON list of cases.
// Errors name the file; a file without cases is an error.
func LoadHFCases(path string) ([]HFCase, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bert: HF tokenizer cases: %w", err)
	}
	var cases []HFCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		return nil, fmt.Errorf("bert: HF tokenizer cases: %s: want a JSON list of cases: %v", path, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("bert: HF tokenizer cases: %s has no cases", path)
	}
	return cases, nil
}

// Encode encodes the case's text with t the way HF did: as a pair when the
// case has a second text, without truncation or padding.
func (c HFCase) Encode(t *BertTokenizer) (*BertEncoding, error) {
	if c.TextPair != nil {
		return t.EncodePair(c.Text, *c.TextPair, EncodeOptions{})
	}
	return t.Encode(c.Text, EncodeOptions{})
}

// Mismatch returns "" when e has the case's tokens, ids and token types, and
// otherwise says what differs.
func (c HFCase) Mismatch(e *BertEncoding) string {
	if !slices.Equal(e.Tokens, c.Tokens) {
		return fmt.Sprintf("%s: tokens %q, HF %q", c.Note, e.Tokens, c.Tokens)
	}
	if !slices.Equal(e.IDs, c.InputIDs) {
		return fmt.Sprintf("%s: ids %v, HF %v", c.Note, e.IDs, c.InputIDs)
	}
	if !slices.Equal(e.TypeIDs, c.TokenTypeIDs) {
		return fmt.Sprintf("%s: token types %v, HF %v", c.Note, e.TypeIDs, c.TokenTypeIDs)
	}
	return ""
}

// HFComparison is how a tokenizer fared on a set of HF cases.
type HFComparison struct {
	Matched, Total int
	// FirstDifference describes the first case that did not match ("" if all did).
	FirstDifference string
}

// AllMatch reports whether every case matched.
func (r HFComparison) AllMatch() bool { return r.Matched == r.Total }

// String is a one-line summary.
func (r HFComparison) String() string {
	if r.AllMatch() {
		return fmt.Sprintf("all %d HF cases match (tokens, ids, token types)", r.Total)
	}
	return fmt.Sprintf("%d of %d HF cases match; first difference: %s", r.Matched, r.Total, r.FirstDifference)
}

// CompareHFCases encodes every case with t and counts those that give HF's
// tokens, ids and token types exactly.
func CompareHFCases(t *BertTokenizer, cases []HFCase) HFComparison {
	r := HFComparison{Total: len(cases)}
	for _, c := range cases {
		e, err := c.Encode(t)
		diff := ""
		if err != nil {
			diff = c.Note + ": " + err.Error()
		} else {
			diff = c.Mismatch(e)
		}
		if diff == "" {
			r.Matched++
		} else if r.FirstDifference == "" {
			r.FirstDifference = diff
		}
	}
	return r
}
