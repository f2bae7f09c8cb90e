package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// The files of HF's GPT-2 tokenizer folder.
const (
	VocabFileName            = "vocab.json"
	MergesFileName           = "merges.txt"
	TokenizerConfigFileName  = "tokenizer_config.json"
	SpecialTokensMapFileName = "special_tokens_map.json"
)

// MergesHeader is merges.txt's first line as HF writes it.
const MergesHeader = "#version: 0.2"

// specialSlots are the special-token roles in HF's files, in GPT2's fields.
var specialSlots = []string{"bos_token", "eos_token", "unk_token", "pad_token"}

// slot returns a pointer to the field of t that holds role name.
func (t *GPT2) slot(name string) *string {
	switch name {
	case "bos_token":
		return &t.BOS
	case "eos_token":
		return &t.EOS
	case "unk_token":
		return &t.UNK
	}
	return &t.PAD
}

// LoadGPT2 reads a tokenizer folder in HF's layout: vocab.json and
// merges.txt (required), tokenizer_config.json and special_tokens_map.json
// (optional; without them GPT-2's defaults hold, as NewGPT2 sets them).
// Errors name the file, and the line where there is one.
func LoadGPT2(dir string) (*GPT2, error) {
	vocabPath := filepath.Join(dir, VocabFileName)
	data, err := os.ReadFile(vocabPath)
	if err != nil {
		return nil, err
	}
	vocab, err := ParseVocabJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", vocabPath, err)
	}
	mergesPath := filepath.Join(dir, MergesFileName)
	if data, err = os.ReadFile(mergesPath); err != nil {
		return nil, err
	}
	merges, lines, err := parseMerges(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", mergesPath, err)
	}
	model, err := NewBPE(vocab, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", vocabPath, err)
	}
	for rank, mg := range merges {
		if err := model.addMerge(rank, mg); err != nil {
			return nil, fmt.Errorf("%s:%d: %w (vocabulary from %s)", mergesPath, lines[rank], err, vocabPath)
		}
	}
	model.merges = merges

	config, err := readOptionalJSON(filepath.Join(dir, TokenizerConfigFileName))
	if err != nil {
		return nil, err
	}
	specialMap, err := readOptionalJSON(filepath.Join(dir, SpecialTokensMapFileName))
	if err != nil {
		return nil, err
	}
	t, err := newGPT2FromConfig(model, config, specialMap)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return t, nil
}

// ParseVocabJSON reads vocab.json: one JSON object from token strings to
// integer ids. Errors give the line of the offending entry.
func ParseVocabJSON(data []byte) (map[string]int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	line := func() int { return 1 + bytes.Count(data[:dec.InputOffset()], []byte("\n")) }
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(data, err, "expected a JSON object of token -> id")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("line %d: expected a JSON object of token -> id, found %v", line(), describeJSON(tok))
	}
	vocab := map[string]int{}
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return nil, jsonError(data, err, "expected a token string")
		}
		key := keyTok.(string) // object keys are always strings
		valTok, err := dec.Token()
		if err != nil {
			return nil, jsonError(data, err, fmt.Sprintf("expected the id of %q", key))
		}
		num, ok := valTok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("line %d: token %q: expected an integer id, found %v", line(), key, describeJSON(valTok))
		}
		id, err := strconv.Atoi(string(num))
		if err != nil || id < 0 {
			return nil, fmt.Errorf("line %d: token %q: expected a non-negative integer id, found %s", line(), key, num)
		}
		if _, dup := vocab[key]; dup {
			return nil, fmt.Errorf("line %d: token %q appears twice", line(), key)
		}
		vocab[key] = id
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(data, err, "expected the end of the object")
	}
	if tok, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("line %d: unexpected %v after the vocabulary object", line(), describeJSON(tok))
	}
	return vocab, nil
}

// jsonError turns a decoding error into one that names the line.
func jsonError(data []byte, err error, expected string) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		off := int(syn.Offset)
		if off > len(data) {
			off = len(data)
		}
		return fmt.Errorf("line %d: %v (%s)", 1+bytes.Count(data[:off], []byte("\n")), syn, expected)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("unexpected end of file (%s)", expected)
	}
	return fmt.Errorf("%v (%s)", err, expected)
}

// describeJSON names a JSON token for an error message.
func describeJSON(tok json.Token) string {
	switch x := tok.(type) {
	case json.Delim:
		if x == '{' {
			return "an object"
		}
		if x == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(x))
	case string:
		return fmt.Sprintf("the string %q", x)
	case json.Number:
		return "the number " + string(x)
	case bool:
		return fmt.Sprintf("%v", x)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// ParseMerges reads merges.txt: an optional first line starting with
// "#version", then one merge "left right" per line, rank = order. A final
// newline is optional (GPT2Tokenizer drops the last line, so HF always writes
// one); "\r\n" line ends are accepted, as Python's text mode does. A line
// that is not exactly two tokens separated by one space is an error naming
// its line.
func ParseMerges(data []byte) ([]Merge, error) {
	merges, _, err := parseMerges(data)
	return merges, err
}

// parseMerges is ParseMerges, also returning each merge's line number.
func parseMerges(data []byte) ([]Merge, []int, error) {
	text := string(data)
	text = strings.TrimSuffix(text, "\n")
	var merges []Merge
	var lines []int
	if text == "" {
		return nil, nil, nil
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if i == 0 && strings.HasPrefix(line, "#version") {
			continue
		}
		parts := strings.Split(line, " ")
		if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
			return nil, nil, fmt.Errorf("line %d: expected a merge of two tokens separated by one space, found %q", i+1, line)
		}
		merges = append(merges, Merge{parts[0], parts[1]})
		lines = append(lines, i+1)
	}
	return merges, lines, nil
}

// readOptionalJSON reads a JSON object file, or returns nil if it is absent.
func readOptionalJSON(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := parseJSONObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// parseJSONObject decodes a JSON object, keeping numbers as written.
func parseJSONObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(data, err, "expected a JSON object")
	}
	if tok, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected %v after the JSON object", describeJSON(tok))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected a JSON object, found %s", jsonKind(v))
	}
	return m, nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "the number " + string(x)
	case string:
		return fmt.Sprintf("the string %q", x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// ParseTokenizerConfig builds a tokenizer for model from the contents of
// tokenizer_config.json and special_tokens_map.json (either may be nil).
func ParseTokenizerConfig(model *BPE, tokenizerConfig, specialTokensMap []byte) (*GPT2, error) {
	var config, specialMap map[string]any
	var err error
	if tokenizerConfig != nil {
		if config, err = parseJSONObject(tokenizerConfig); err != nil {
			return nil, fmt.Errorf("%s: %w", TokenizerConfigFileName, err)
		}
	}
	if specialTokensMap != nil {
		if specialMap, err = parseJSONObject(specialTokensMap); err != nil {
			return nil, fmt.Errorf("%s: %w", SpecialTokensMapFileName, err)
		}
	}
	return newGPT2FromConfig(model, config, specialMap)
}

// newGPT2FromConfig applies the two decoded config files to GPT-2's defaults.
func newGPT2FromConfig(model *BPE, config, specialMap map[string]any) (*GPT2, error) {
	t := &GPT2{Model: model, ModelMaxLength: 1024, PaddingSide: Right, TruncationSide: Right,
		added: map[int]*AddedToken{}, config: config, specialMap: specialMap}
	t.BOS, t.EOS, t.UNK = EndOfText, EndOfText, EndOfText
	cfg := TokenizerConfigFileName
	if v, ok := config["add_prefix_space"]; ok {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: add_prefix_space: expected true or false, found %s", cfg, jsonKind(v))
		}
		t.AddPrefixSpace = b
	}
	if v, ok := config["model_max_length"]; ok && v != nil {
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s: model_max_length: expected a number, found %s", cfg, jsonKind(v))
		}
		length, ok := modelMaxLength(n)
		if !ok {
			return nil, fmt.Errorf("%s: model_max_length: expected a positive number, found %s", cfg, n)
		}
		t.ModelMaxLength = length
	}
	for _, key := range []string{"padding_side", "truncation_side"} {
		v, ok := config[key]
		if !ok {
			continue
		}
		side := map[any]Side{"right": Right, "left": Left}[v]
		if side == DefaultSide {
			return nil, fmt.Errorf("%s: %s: expected \"left\" or \"right\", found %s", cfg, key, jsonKind(v))
		}
		if key == "padding_side" {
			t.PaddingSide = side
		} else {
			t.TruncationSide = side
		}
	}
	if v, ok := config["added_tokens_decoder"]; ok {
		if err := t.readAddedTokens(v); err != nil {
			return nil, fmt.Errorf("%s: added_tokens_decoder%w", cfg, err)
		}
	}
	// special_tokens_map.json overrides tokenizer_config.json, as in HF.
	for _, src := range []struct {
		name string
		m    map[string]any
	}{{cfg, config}, {SpecialTokensMapFileName, specialMap}} {
		for _, key := range specialSlots {
			v, ok := src.m[key]
			if !ok {
				continue
			}
			tok, err := addedTokenValue(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", src.name, key, err)
			}
			*t.slot(key) = tok.Content
		}
		if v, ok := src.m["additional_special_tokens"]; ok && v != nil {
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s: additional_special_tokens: expected an array, found %s", src.name, jsonKind(v))
			}
			for i, e := range list {
				tok, err := addedTokenValue(e)
				if err != nil || tok.Content == "" {
					return nil, fmt.Errorf("%s: additional_special_tokens[%d]: expected a token, found %s", src.name, i, jsonKind(e))
				}
				if t.addedByContent(tok.Content) == nil {
					tok.Special = true
					t.AddToken(tok)
				}
			}
		}
	}
	// Special tokens that are not added tokens yet become added tokens (HF
	// adds them with the next free id if the vocabulary lacks them).
	for _, key := range specialSlots {
		if c := *t.slot(key); c != "" && t.addedByContent(c) == nil {
			t.AddToken(AddedToken{Content: c, Special: true, Normalized: true})
		}
	}
	t.rebuildMatcher()
	return t, nil
}

// readAddedTokens reads added_tokens_decoder (id string -> token object).
// Errors start with the path below added_tokens_decoder.
func (t *GPT2) readAddedTokens(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf(": expected an object of id -> token, found %s", jsonKind(v))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		id, err := strconv.Atoi(k)
		if err != nil || id < 0 {
			return fmt.Errorf("[%q]: expected a non-negative integer id as the key", k)
		}
		tok, err := addedTokenValue(m[k])
		if err != nil {
			return fmt.Errorf("[%q]: %w", k, err)
		}
		if _, isObj := m[k].(map[string]any); !isObj || tok.Content == "" {
			return fmt.Errorf("[%q]: expected a token object with a non-empty content", k)
		}
		if vid, ok := t.Model.ID(tok.Content); ok && vid != id {
			return fmt.Errorf("[%q]: %q has id %d in %s", k, tok.Content, vid, VocabFileName)
		}
		if other, ok := t.Model.Token(id); ok && other != tok.Content {
			return fmt.Errorf("[%q]: id %d is %q in %s, not %q", k, id, other, VocabFileName, tok.Content)
		}
		if old := t.addedByContent(tok.Content); old != nil {
			return fmt.Errorf("[%q]: %q already has id %d", k, tok.Content, old.ID)
		}
		tok.ID = id
		t.added[id] = &tok
	}
	return nil
}

// addedTokenValue reads a token as HF writes it: a string, null (no token),
// or an object with "content" and the AddedToken flags.
func addedTokenValue(v any) (AddedToken, error) {
	switch x := v.(type) {
	case nil:
		return AddedToken{}, nil
	case string:
		return AddedToken{Content: x, Normalized: true}, nil
	case map[string]any:
		c, ok := x["content"].(string)
		if !ok {
			return AddedToken{}, fmt.Errorf("content: expected a string, found %s", jsonKind(x["content"]))
		}
		tok := AddedToken{Content: c, Normalized: true}
		flags := []struct {
			name string
			dst  *bool
		}{{"special", &tok.Special}, {"lstrip", &tok.LStrip}, {"rstrip", &tok.RStrip},
			{"single_word", &tok.SingleWord}, {"normalized", &tok.Normalized}}
		for _, f := range flags {
			fv, ok := x[f.name]
			if !ok {
				continue
			}
			b, ok := fv.(bool)
			if !ok {
				return AddedToken{}, fmt.Errorf("%s: expected true or false, found %s", f.name, jsonKind(fv))
			}
			*f.dst = b
		}
		return tok, nil
	}
	return AddedToken{}, fmt.Errorf("expected a token string, object or null, found %s", jsonKind(v))
}

// Save writes the tokenizer to dir in HF's layout (vocab.json, merges.txt,
// tokenizer_config.json, special_tokens_map.json), each file replaced
// atomically, in the format GPT2Tokenizer.save_pretrained writes: a
// tokenizer loaded from HF's files and saved unchanged gives the same bytes.
// Keys of the two config files that GPT2 does not manage are kept as loaded.
func (t *GPT2) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	vocabJSON, err := marshalPyJSON(t.Model.vocab)
	if err != nil {
		return fmt.Errorf("%s: %w", VocabFileName, err)
	}
	var merges strings.Builder
	merges.WriteString(MergesHeader + "\n")
	for _, mg := range t.Model.merges {
		merges.WriteString(mg.Left + " " + mg.Right + "\n")
	}
	configJSON, err := marshalPyJSON(t.configForSave())
	if err != nil {
		return fmt.Errorf("%s: %w", TokenizerConfigFileName, err)
	}
	specialJSON, err := marshalPyJSON(t.specialMapForSave())
	if err != nil {
		return fmt.Errorf("%s: %w", SpecialTokensMapFileName, err)
	}
	files := []struct {
		name string
		data []byte
	}{{VocabFileName, vocabJSON}, {MergesFileName, []byte(merges.String())},
		{TokenizerConfigFileName, configJSON}, {SpecialTokensMapFileName, specialJSON}}
	for _, f := range files {
		if err := atomicfile.WriteFile(filepath.Join(dir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

// configForSave returns tokenizer_config.json's content: the loaded keys,
// with those GPT2 manages set from its fields.
func (t *GPT2) configForSave() map[string]any {
	c := map[string]any{"add_bos_token": false, "clean_up_tokenization_spaces": false,
		"errors": "replace", "tokenizer_class": "GPT2Tokenizer"}
	for k, v := range t.config {
		c[k] = v
	}
	c["add_prefix_space"] = t.AddPrefixSpace
	decoder := map[string]any{}
	for _, a := range t.AddedTokens() {
		decoder[strconv.Itoa(a.ID)] = map[string]any{"content": a.Content, "lstrip": a.LStrip,
			"normalized": a.Normalized, "rstrip": a.RStrip, "single_word": a.SingleWord, "special": a.Special}
	}
	c["added_tokens_decoder"] = decoder
	for _, key := range specialSlots {
		if v := *t.slot(key); v != "" {
			c[key] = v
		} else {
			c[key] = nil
		}
	}
	if n, ok := c["model_max_length"].(json.Number); !ok || !sameLength(n, t.ModelMaxLength) {
		c["model_max_length"] = t.ModelMaxLength
	}
	for key, side := range map[string]Side{"padding_side": t.PaddingSide, "truncation_side": t.TruncationSide} {
		if _, had := c[key]; had || side == Left {
			c[key] = pick(side, Right).String()
		}
	}
	return c
}

// modelMaxLength reads model_max_length: a positive number, clamped to
// math.MaxInt32 (HF writes int(1e30) for "no limit").
func modelMaxLength(n json.Number) (int, bool) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f < 1 {
		return 0, false
	}
	if f >= math.MaxInt32 {
		return math.MaxInt32, true
	}
	return int(f), true
}

// sameLength reports whether the loaded model_max_length n reads as length.
func sameLength(n json.Number, length int) bool {
	got, ok := modelMaxLength(n)
	return ok && got == length
}

// specialMapForSave returns special_tokens_map.json's content: each role's
// entry as loaded if its token did not change, else the token object (or a
// plain string for a token that is not an added token).
func (t *GPT2) specialMapForSave() map[string]any {
	m := map[string]any{}
	for k, v := range t.specialMap {
		m[k] = v
	}
	for _, key := range specialSlots {
		content := *t.slot(key)
		if content == "" {
			delete(m, key)
			continue
		}
		if old, ok := m[key]; ok {
			if tok, err := addedTokenValue(old); err == nil && tok.Content == content {
				continue
			}
		}
		if a := t.addedByContent(content); a != nil {
			m[key] = map[string]any{"content": a.Content, "lstrip": a.LStrip, "normalized": a.Normalized,
				"rstrip": a.RStrip, "single_word": a.SingleWord}
		} else {
			m[key] = content
		}
	}
	return m
}
