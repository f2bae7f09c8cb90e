package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTokenizerSaveLoadRoundTrip(t *testing.T) {
	tok := testTokenizer(t)
	tok.Basic.DoLowerCase = false
	tok.Basic.StripAccents = AccentsStrip
	tok.Basic.NeverSplit = []string{"C++"}
	tok.ModelMaxLength = 128
	tok.CleanUpTokenizationSpaces = false
	dir := filepath.Join(t.TempDir(), "tok")
	if err := tok.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadBertTokenizer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Vocab.Tokens(), tok.Vocab.Tokens()) {
		t.Error("vocabulary differs after round trip")
	}
	if !reflect.DeepEqual(back.Basic, tok.Basic) || back.ModelMaxLength != 128 || back.CleanUpTokenizationSpaces ||
		back.DoBasicTokenize != tok.DoBasicTokenize || back.UnkID != tok.UnkID || back.MaskID != tok.MaskID {
		t.Errorf("settings differ after round trip:\n got %+v %+v\nwant %+v %+v", back, back.Basic, tok, tok.Basic)
	}
	text := "Café C++ the QUICK fox"
	a, b := mustEncode(t, tok, text, "", EncodeOptions{}), mustEncode(t, back, text, "", EncodeOptions{})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("encodings differ: %q vs %q", a.Tokens, b.Tokens)
	}
	// The config is what HF reads.
	data, err := os.ReadFile(filepath.Join(dir, TokenizerConfigFileName))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"tokenizer_class": "BertTokenizer", "do_lower_case": false, "strip_accents": true,
		"model_max_length": 128.0, "unk_token": "[UNK]", "mask_token": "[MASK]", "tokenize_chinese_chars": true,
	} {
		if !reflect.DeepEqual(cfg[key], want) {
			t.Errorf("tokenizer_config.json %s = %v, want %v", key, cfg[key], want)
		}
	}
}

func TestLoadTokenizerReadsHFConfig(t *testing.T) {
	dir := t.TempDir()
	vocab := "[PAD]\n<unk>\n[CLS]\n[SEP]\n[MASK]\nCafé\ncafe\n"
	if err := os.WriteFile(filepath.Join(dir, BertVocabFileName), []byte(vocab), 0o644); err != nil {
		t.Fatal(err)
	}
	// As written by recent transformers: AddedToken objects, int(1e30).
	cfg := `{"do_lower_case": false, "strip_accents": null, "model_max_length": 1000000000000000019884624838656,
	  "unk_token": {"content": "<unk>", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false},
	  "added_tokens_decoder": {}, "tokenizer_class": "BertTokenizer"}`
	if err := os.WriteFile(filepath.Join(dir, TokenizerConfigFileName), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, filepath.Join(dir, BertVocabFileName)} {
		tok, err := LoadBertTokenizer(path)
		if err != nil {
			t.Fatal(err)
		}
		if tok.UnkToken != "<unk>" || tok.UnkID != 1 || tok.ModelMaxLength != 0 || tok.Basic.DoLowerCase {
			t.Errorf("%s: unk %q/%d, model max %d, lower %v", path, tok.UnkToken, tok.UnkID, tok.ModelMaxLength, tok.Basic.DoLowerCase)
		}
		if got := tok.Tokenize("Café x"); !reflect.DeepEqual(got, []string{"Café", "<unk>"}) {
			t.Errorf("cased tokenization: %q", got)
		}
	}
	bad := `{"do_lower_case": "yes"}`
	if err := os.WriteFile(filepath.Join(dir, TokenizerConfigFileName), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadBertTokenizer(dir)
	if err == nil || !strings.Contains(err.Error(), `tokenizer_config.json: key "do_lower_case": want true or false, got "yes"`) {
		t.Errorf("bad config: got %v", err)
	}
}
