package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

// tokenizerCase is one entry of tokenizer_cases.json.
type tokenizerCase struct {
	Text         string   `json:"text"`
	TextPair     *string  `json:"text_pair"`
	Tokens       []string `json:"tokens"`
	InputIDs     []int    `json:"input_ids"`
	TokenTypeIDs []int    `json:"token_type_ids"`
	Note         string   `json:"note"`
}

// loadRefTokenizer loads the reference vocabulary as an uncased tokenizer
// (the folder has no tokenizer_config.json; BertTokenizer's default is
// uncased) and its cases.
func loadRefTokenizer(t testing.TB) (*BertTokenizer, []tokenizerCase) {
	dir := testref.BertRefDir(t)
	tok, err := LoadBertTokenizer(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tokenizer_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []tokenizerCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatalf("tokenizer_cases.json: %v", err)
	}
	if len(cases) == 0 {
		t.Fatal("tokenizer_cases.json has no cases")
	}
	return tok, cases
}

// TestTokenizerReferenceCases checks every case of the reference folder's
// tokenizer_cases.json exactly: tokens, ids and token types.
func TestTokenizerReferenceCases(t *testing.T) {
	tok, cases := loadRefTokenizer(t)
	for i, c := range cases {
		var enc *BertEncoding
		var err error
		if c.TextPair != nil {
			enc, err = tok.EncodePair(c.Text, *c.TextPair, EncodeOptions{})
		} else {
			enc, err = tok.Encode(c.Text, EncodeOptions{})
		}
		if err != nil {
			t.Errorf("case %d (%s): %v", i, c.Note, err)
			continue
		}
		if !reflect.DeepEqual(enc.Tokens, c.Tokens) {
			t.Errorf("case %d (%s) %q:\n got tokens %q\nwant tokens %q", i, c.Note, c.Text, enc.Tokens, c.Tokens)
		}
		if !reflect.DeepEqual(enc.IDs, c.InputIDs) {
			t.Errorf("case %d (%s): got ids %v, want %v", i, c.Note, enc.IDs, c.InputIDs)
		}
		if !reflect.DeepEqual(enc.TypeIDs, c.TokenTypeIDs) {
			t.Errorf("case %d (%s): got token types %v, want %v", i, c.Note, enc.TypeIDs, c.TokenTypeIDs)
		}
	}
}

// TestTestVocabularyIsTheReferenceOne checks that the vocabulary the unit
// tests use (testVocabTokens) is the default reference folder's vocab.txt, so
// the expectations written against it are expectations about that file.
func TestTestVocabularyIsTheReferenceOne(t *testing.T) {
	if os.Getenv("TURINGLAB_BERT_REF") != "" {
		t.Skip("TURINGLAB_BERT_REF names another folder")
	}
	v, err := LoadVocab(filepath.Join(testref.BertRefDir(t), "vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Tokens(), testVocabTokens()) {
		t.Fatal("testVocabTokens differs from the reference vocab.txt")
	}
}
