package gpt2

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/turinglab/turinglab/internal/hf"
)

// GenerationConfigFile is the name of the generation settings inside a
// checkpoint directory.
const GenerationConfigFile = "generation_config.json"

// GenerationConfig is HF's generation_config.json: the defaults generate()
// uses for a model. Every field holds HF's default unless the file sets it
// (DefaultGenerationConfig); saving writes only the keys that differ from
// those defaults, as HF's save_pretrained does. Keys this package does not
// interpret are kept in Extra and written back unchanged.
type GenerationConfig struct {
	BosTokenID *int  // bos_token_id (nil: none)
	EOSTokenID []int // eos_token_id: one id or several (generation stops at any of them)
	PadTokenID *int  // pad_token_id (nil: none)

	MaxLength         int     // max_length: prompt + new tokens (20)
	MaxNewTokens      int     // max_new_tokens: new tokens, overrides MaxLength when positive (0: null)
	DoSample          bool    // do_sample: sample instead of greedy search (false)
	Temperature       float64 // temperature (1.0)
	TopK              int     // top_k (50; 0 switches it off)
	TopP              float64 // top_p (1.0)
	RepetitionPenalty float64 // repetition_penalty (1.0)
	NumBeams          int     // num_beams (1)

	// Extra holds every other key (_from_model_config, transformers_version, ...).
	Extra map[string]json.RawMessage

	eosList bool // eos_token_id was written as a list
}

// DefaultGenerationConfig returns HF's GenerationConfig() defaults.
func DefaultGenerationConfig() *GenerationConfig {
	return &GenerationConfig{MaxLength: 20, Temperature: 1, TopK: 50, TopP: 1, RepetitionPenalty: 1, NumBeams: 1}
}

// NewGenerationConfig derives the generation settings from a model config
// as HF's GenerationConfig.from_model_config does: the defaults with its bos,
// eos and pad token ids, marked "_from_model_config": true.
func NewGenerationConfig(c *Config) *GenerationConfig {
	g := DefaultGenerationConfig()
	g.Extra = map[string]json.RawMessage{"_from_model_config": json.RawMessage("true")}
	if c.BosTokenID != nil {
		v := *c.BosTokenID
		g.BosTokenID = &v
	}
	if c.EosTokenID != nil {
		g.EOSTokenID = []int{*c.EosTokenID}
	}
	if c.PadTokenID != nil {
		v := *c.PadTokenID
		g.PadTokenID = &v
	}
	return g
}

// Validate checks the values HF would refuse, naming the key.
func (g *GenerationConfig) Validate() error {
	for _, p := range []struct {
		name   string
		v, min int
	}{{"max_length", g.MaxLength, 1}, {"max_new_tokens", g.MaxNewTokens, 0}, {"top_k", g.TopK, 0}, {"num_beams", g.NumBeams, 1}} {
		if p.v < p.min {
			return fmt.Errorf("gpt2 generation config: %s must be at least %d, got %d", p.name, p.min, p.v)
		}
	}
	if !(g.Temperature > 0) {
		return fmt.Errorf("gpt2 generation config: temperature must be positive, got %v", g.Temperature)
	}
	if !(g.TopP >= 0 && g.TopP <= 1) {
		return fmt.Errorf("gpt2 generation config: top_p must be in [0, 1], got %v", g.TopP)
	}
	if !(g.RepetitionPenalty > 0) {
		return fmt.Errorf("gpt2 generation config: repetition_penalty must be positive, got %v", g.RepetitionPenalty)
	}
	return nil
}

// ParseGenerationConfig decodes a generation_config.json document: absent
// and null keys keep HF's defaults, unknown keys go to Extra.
func ParseGenerationConfig(data []byte) (*GenerationConfig, error) {
	raw, err := hf.DecodeObject("gpt2 generation config", data)
	if err != nil {
		return nil, err
	}
	g := DefaultGenerationConfig()
	fields := map[string]any{
		"bos_token_id": &g.BosTokenID, "pad_token_id": &g.PadTokenID, "max_length": &g.MaxLength,
		"max_new_tokens": &g.MaxNewTokens, "do_sample": &g.DoSample, "temperature": &g.Temperature,
		"top_k": &g.TopK, "top_p": &g.TopP, "repetition_penalty": &g.RepetitionPenalty, "num_beams": &g.NumBeams,
	}
	if err := hf.DecodeFields("gpt2 generation config", raw, fields); err != nil {
		return nil, err
	}
	if v, ok := raw["eos_token_id"]; ok {
		if err := g.parseEOS(v); err != nil {
			return nil, err
		}
	}
	known := map[string]bool{"eos_token_id": true}
	for k := range fields {
		known[k] = true
	}
	g.Extra = hf.Extra(raw, known)
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return g, nil
}

// parseEOS reads eos_token_id: null, one id or a list of ids.
func (g *GenerationConfig) parseEOS(v json.RawMessage) error {
	v = bytes.TrimSpace(v)
	switch {
	case string(v) == "null":
		return nil
	case len(v) > 0 && v[0] == '[':
		g.eosList = true
		if err := json.Unmarshal(v, &g.EOSTokenID); err != nil {
			return fmt.Errorf("gpt2 generation config: key \"eos_token_id\": want an id or a list of ids: %w", err)
		}
	default:
		var id int
		if err := json.Unmarshal(v, &id); err != nil {
			return fmt.Errorf("gpt2 generation config: key \"eos_token_id\": want an id or a list of ids: %w", err)
		}
		g.EOSTokenID = []int{id}
	}
	return nil
}

// LoadGenerationConfig reads a generation_config.json file (or the one inside
// a checkpoint directory).
func LoadGenerationConfig(path string) (*GenerationConfig, error) {
	return hf.ReadJSON("gpt2 generation config", path, GenerationConfigFile, ParseGenerationConfig)
}

// MarshalJSON writes, sorted and indented by 2 as HF does, the keys whose
// values differ from DefaultGenerationConfig, the token ids that are set, and
// Extra.
func (g *GenerationConfig) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range g.Extra {
		m[k] = v
	}
	d := DefaultGenerationConfig()
	set := func(key string, v any, differs bool) {
		if differs {
			m[key] = v
		}
	}
	set("bos_token_id", g.BosTokenID, g.BosTokenID != nil)
	set("pad_token_id", g.PadTokenID, g.PadTokenID != nil)
	set("max_length", g.MaxLength, g.MaxLength != d.MaxLength)
	set("max_new_tokens", g.MaxNewTokens, g.MaxNewTokens != 0)
	set("do_sample", g.DoSample, g.DoSample)
	set("top_k", g.TopK, g.TopK != d.TopK)
	set("num_beams", g.NumBeams, g.NumBeams != d.NumBeams)
	set("temperature", hf.PyFloat(g.Temperature), g.Temperature != d.Temperature)
	set("top_p", hf.PyFloat(g.TopP), g.TopP != d.TopP)
	set("repetition_penalty", hf.PyFloat(g.RepetitionPenalty), g.RepetitionPenalty != d.RepetitionPenalty)
	switch {
	case len(g.EOSTokenID) == 1 && !g.eosList:
		m["eos_token_id"] = g.EOSTokenID[0]
	case len(g.EOSTokenID) > 0:
		m["eos_token_id"] = g.EOSTokenID
	}
	return hf.MarshalIndent(m)
}

// Save writes generation_config.json at path (or inside path when it is a
// directory), atomically.
func (g *GenerationConfig) Save(path string) error {
	return hf.SaveJSON("gpt2 generation config", path, GenerationConfigFile, g)
}
