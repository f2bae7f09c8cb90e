package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// BertVocabFileName is the file a BertTokenizer's vocabulary is stored in,
// one token a line, as HF names it; its settings go to
// TokenizerConfigFileName beside it.
const BertVocabFileName = "vocab.txt"

// LoadBertTokenizer loads a BertTokenizer the way HF's from_pretrained does from
// a local folder: path is a directory with vocab.txt and, optionally,
// tokenizer_config.json (do_lower_case, strip_accents,
// tokenize_chinese_chars, do_basic_tokenize, never_split, model_max_length,
// clean_up_tokenization_spaces and the special tokens are read from it). path
// may also name the vocab.txt file itself, with the config beside it. Without
// a config the tokenizer is uncased, as BertTokenizer's defaults are.
func LoadBertTokenizer(path string) (*BertTokenizer, error) {
	vocabPath, dir := path, filepath.Dir(path)
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		vocabPath, dir = filepath.Join(path, BertVocabFileName), path
	}
	vocab, err := LoadVocab(vocabPath)
	if err != nil {
		return nil, err
	}
	configPath := filepath.Join(dir, TokenizerConfigFileName)
	cfg := defaultTokenizerConfig()
	data, err := os.ReadFile(configPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("bert: tokenizer config: %w", err)
	default:
		if err := cfg.parse(data); err != nil {
			return nil, fmt.Errorf("bert: tokenizer config %s: %w", configPath, err)
		}
	}
	t, err := cfg.build(vocab)
	if err != nil {
		return nil, fmt.Errorf("bert: tokenizer %s: %w", path, err)
	}
	return t, nil
}

// Save writes vocab.txt and tokenizer_config.json into dir (created if
// needed), each atomically, in the layout HF's BertTokenizer and
// AutoTokenizer.from_pretrained read.
func (t *BertTokenizer) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bert: save tokenizer: %w", err)
	}
	if err := t.Vocab.Save(filepath.Join(dir, BertVocabFileName)); err != nil {
		return err
	}
	var stripAccents *bool
	switch t.Basic.StripAccents {
	case AccentsStrip:
		stripAccents = new(bool)
		*stripAccents = true
	case AccentsKeep:
		stripAccents = new(bool)
	}
	var maxLen *int
	if t.ModelMaxLength > 0 {
		maxLen = &t.ModelMaxLength
	}
	var neverSplit []string
	if len(t.Basic.NeverSplit) > 0 {
		neverSplit = t.Basic.NeverSplit
	}
	cfg := savedTokenizerConfig{
		TokenizerClass:            "BertTokenizer",
		DoLowerCase:               t.Basic.DoLowerCase,
		DoBasicTokenize:           t.DoBasicTokenize,
		NeverSplit:                neverSplit,
		StripAccents:              stripAccents,
		TokenizeChineseChars:      t.Basic.TokenizeChineseChars,
		ModelMaxLength:            maxLen,
		CleanUpTokenizationSpaces: t.CleanUpTokenizationSpaces,
		UnkToken:                  t.UnkToken,
		SepToken:                  t.SepToken,
		PadToken:                  t.PadToken,
		ClsToken:                  t.ClsToken,
		MaskToken:                 t.MaskToken,
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("bert: save tokenizer config: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, TokenizerConfigFileName), append(data, '\n')); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	return nil
}

// savedTokenizerConfig is the tokenizer_config.json this package writes.
type savedTokenizerConfig struct {
	TokenizerClass            string   `json:"tokenizer_class"`
	DoLowerCase               bool     `json:"do_lower_case"`
	DoBasicTokenize           bool     `json:"do_basic_tokenize"`
	NeverSplit                []string `json:"never_split"`
	StripAccents              *bool    `json:"strip_accents"`
	TokenizeChineseChars      bool     `json:"tokenize_chinese_chars"`
	ModelMaxLength            *int     `json:"model_max_length,omitempty"`
	CleanUpTokenizationSpaces bool     `json:"clean_up_tokenization_spaces"`
	UnkToken                  string   `json:"unk_token"`
	SepToken                  string   `json:"sep_token"`
	PadToken                  string   `json:"pad_token"`
	ClsToken                  string   `json:"cls_token"`
	MaskToken                 string   `json:"mask_token"`
}

// tokenizerConfig is what LoadBertTokenizer takes from tokenizer_config.json,
// starting from BertTokenizer's defaults.
type tokenizerConfig struct {
	doLowerCase, doBasicTokenize, tokenizeChineseChars, cleanUp bool
	stripAccents                                                AccentStripping
	neverSplit                                                  []string
	modelMaxLength                                              int
	unk, sep, pad, cls, mask                                    string
}

// defaultTokenizerConfig is HF BertTokenizer's constructor defaults.
func defaultTokenizerConfig() tokenizerConfig {
	return tokenizerConfig{
		doLowerCase: true, doBasicTokenize: true, tokenizeChineseChars: true, cleanUp: true,
		unk: "[UNK]", sep: "[SEP]", pad: "[PAD]", cls: "[CLS]", mask: "[MASK]",
	}
}

// parse reads the keys this package understands from a tokenizer_config.json
// and ignores the rest (HF configs carry many); a known key with a value of
// the wrong type is an error naming the key.
func (c *tokenizerConfig) parse(data []byte) error {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	boolKey := func(key string, dst *bool) error {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			return nil
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return fmt.Errorf("key %q: want true or false, got %s", key, v)
		}
		return nil
	}
	for key, dst := range map[string]*bool{
		"do_lower_case":                &c.doLowerCase,
		"do_basic_tokenize":            &c.doBasicTokenize,
		"tokenize_chinese_chars":       &c.tokenizeChineseChars,
		"clean_up_tokenization_spaces": &c.cleanUp,
	} {
		if err := boolKey(key, dst); err != nil {
			return err
		}
	}
	if v, ok := raw["strip_accents"]; ok && string(v) != "null" {
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("key \"strip_accents\": want null, true or false, got %s", v)
		}
		c.stripAccents = AccentsKeep
		if b {
			c.stripAccents = AccentsStrip
		}
	}
	if v, ok := raw["never_split"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &c.neverSplit); err != nil {
			return fmt.Errorf("key \"never_split\": want a list of strings, got %s", v)
		}
	}
	if v, ok := raw["model_max_length"]; ok && string(v) != "null" {
		var n json.Number
		if err := json.Unmarshal(v, &n); err != nil {
			return fmt.Errorf("key \"model_max_length\": want a number, got %s", v)
		}
		f, err := n.Float64()
		if err != nil || f < 0 || f != math.Trunc(f) {
			return fmt.Errorf("key \"model_max_length\": want a non-negative integer, got %s", v)
		}
		// HF writes int(1e30) when the model sets no limit: treat as none.
		if f < 1<<31 {
			c.modelMaxLength = int(f)
		}
	}
	for key, dst := range map[string]*string{
		"unk_token": &c.unk, "sep_token": &c.sep, "pad_token": &c.pad, "cls_token": &c.cls, "mask_token": &c.mask,
	} {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			continue
		}
		// Either a plain string or an AddedToken object {"content": ...}.
		if json.Unmarshal(v, dst) == nil {
			continue
		}
		var added struct {
			Content *string `json:"content"`
		}
		if err := json.Unmarshal(v, &added); err != nil || added.Content == nil {
			return fmt.Errorf("key %q: want a string or {\"content\": string}, got %s", key, v)
		}
		*dst = *added.Content
	}
	return nil
}

// build makes the tokenizer the config describes over vocab.
func (c *tokenizerConfig) build(vocab *Vocab) (*BertTokenizer, error) {
	t := &BertTokenizer{
		Vocab: vocab,
		Basic: &BasicTokenizer{
			DoLowerCase:          c.doLowerCase,
			StripAccents:         c.stripAccents,
			TokenizeChineseChars: c.tokenizeChineseChars,
			NeverSplit:           c.neverSplit,
		},
		DoBasicTokenize:           c.doBasicTokenize,
		WordPiece:                 NewWordPiece(vocab),
		UnkToken:                  c.unk,
		SepToken:                  c.sep,
		PadToken:                  c.pad,
		ClsToken:                  c.cls,
		MaskToken:                 c.mask,
		ModelMaxLength:            c.modelMaxLength,
		CleanUpTokenizationSpaces: c.cleanUp,
	}
	if err := t.lookUpSpecialTokens(); err != nil {
		return nil, err
	}
	return t, nil
}
