package gpt2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Config describes a GPT-2 model's shape and behaviour. Its fields are the
// keys of HuggingFace's config.json (GPT2Config), with HF's defaults, so a
// config.json written by transformers loads here unchanged and one written
// here loads in transformers.
type Config struct {
	VocabSize     int     // vocab_size: number of tokens (HF default 50257)
	NPositions    int     // n_positions: number of learned positions, the longest context (1024)
	NEmbd         int     // n_embd: width of every hidden state (768)
	NLayer        int     // n_layer: number of blocks (12)
	NHead         int     // n_head: attention heads; must divide NEmbd (12)
	NInner        *int    // n_inner: width of the MLP; nil (JSON null) means 4·NEmbd
	Activation    string  // activation_function: "gelu_new" (tanh GELU, GPT-2's), "gelu", "relu", ...
	ResidPdrop    float64 // resid_pdrop: dropout on each sub-block's output (0.1)
	EmbdPdrop     float64 // embd_pdrop: dropout on the embeddings (0.1)
	AttnPdrop     float64 // attn_pdrop: dropout on the attention probabilities (0.1)
	LayerNormEps  float64 // layer_norm_epsilon (1e-5)
	InitRange     float64 // initializer_range: std of the normal initialisation (0.02)
	BosTokenID    *int    // bos_token_id (50256); nil when the file has null
	EosTokenID    *int    // eos_token_id (50256); nil when the file has null
	PadTokenID    *int    // pad_token_id; GPT-2 has none (nil)
	TieEmbeddings bool    // tie_word_embeddings: the LM head is wte (true, also when the key is absent)

	ScaleAttnWeights        bool // scale_attn_weights: divide scores by sqrt(head_dim) (true)
	ScaleAttnByInverseLayer bool // scale_attn_by_inverse_layer_idx: also divide by layer_idx+1 (false)
	ReorderAndUpcastAttn    bool // reorder_and_upcast_attn: HF's fp16 safeguard; in float32 the same scores (false)

	Architectures []string // e.g. ["GPT2LMHeadModel"], written back unchanged
	ModelType     string   // always "gpt2"

	// Extra holds the config.json keys this package does not interpret
	// (n_ctx, summary_*, torch_dtype, transformers_version, use_cache, ...).
	// They are written back unchanged by Save, so a round trip loses nothing.
	Extra map[string]json.RawMessage
}

// DefaultConfig returns HF's GPT2Config defaults (the 124M "gpt2" shape).
func DefaultConfig() *Config {
	eos := 50256
	bos := 50256
	return &Config{
		VocabSize: 50257, NPositions: 1024, NEmbd: 768, NLayer: 12, NHead: 12,
		Activation: "gelu_new", ResidPdrop: 0.1, EmbdPdrop: 0.1, AttnPdrop: 0.1,
		LayerNormEps: 1e-5, InitRange: 0.02, BosTokenID: &bos, EosTokenID: &eos,
		TieEmbeddings: true, ScaleAttnWeights: true, ModelType: "gpt2",
	}
}

// InnerDim is the width of the MLP: n_inner, or 4·n_embd when it is null.
func (c *Config) InnerDim() int {
	if c.NInner != nil {
		return *c.NInner
	}
	return 4 * c.NEmbd
}

// HeadDim is the width of one attention head: n_embd / n_head.
func (c *Config) HeadDim() int { return c.NEmbd / c.NHead }

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	d := *c
	copyInt := func(p *int) *int {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	d.NInner, d.BosTokenID, d.EosTokenID, d.PadTokenID = copyInt(c.NInner), copyInt(c.BosTokenID), copyInt(c.EosTokenID), copyInt(c.PadTokenID)
	d.Architectures = append([]string(nil), c.Architectures...)
	d.Extra = hf.CloneExtra(c.Extra)
	return &d
}

// Validate checks that the config describes a model this package can build
// and returns an error naming the offending key otherwise.
func (c *Config) Validate() error {
	for _, p := range []struct {
		name string
		v    int
	}{{"vocab_size", c.VocabSize}, {"n_positions", c.NPositions}, {"n_embd", c.NEmbd}, {"n_layer", c.NLayer}, {"n_head", c.NHead}, {"n_inner", c.InnerDim()}} {
		if p.v <= 0 {
			return fmt.Errorf("gpt2 config: %s must be positive, got %d", p.name, p.v)
		}
	}
	if c.NEmbd%c.NHead != 0 {
		return fmt.Errorf("gpt2 config: n_embd (%d) is not a multiple of n_head (%d)", c.NEmbd, c.NHead)
	}
	if _, err := nn.ActivationByName(c.Activation); err != nil {
		return fmt.Errorf("gpt2 config: activation_function: %w", err)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"resid_pdrop", c.ResidPdrop}, {"embd_pdrop", c.EmbdPdrop}, {"attn_pdrop", c.AttnPdrop}} {
		if p.v < 0 || p.v >= 1 || math.IsNaN(p.v) {
			return fmt.Errorf("gpt2 config: %s must be in [0, 1), got %v", p.name, p.v)
		}
	}
	if c.LayerNormEps <= 0 || math.IsNaN(c.LayerNormEps) {
		return fmt.Errorf("gpt2 config: layer_norm_epsilon must be positive, got %v", c.LayerNormEps)
	}
	if c.InitRange < 0 || math.IsNaN(c.InitRange) {
		return fmt.Errorf("gpt2 config: initializer_range must not be negative, got %v", c.InitRange)
	}
	for _, p := range []struct {
		name string
		v    *int
	}{{"bos_token_id", c.BosTokenID}, {"eos_token_id", c.EosTokenID}, {"pad_token_id", c.PadTokenID}} {
		if p.v != nil && (*p.v < 0 || *p.v >= c.VocabSize) {
			return fmt.Errorf("gpt2 config: %s %d is outside the vocabulary [0, %d)", p.name, *p.v, c.VocabSize)
		}
	}
	if raw, ok := c.Extra["add_cross_attention"]; ok && string(bytes.TrimSpace(raw)) == "true" {
		return fmt.Errorf("gpt2 config: add_cross_attention=true is not supported (decoder-only GPT-2)")
	}
	return nil
}

// configKeys are the config.json keys that map to Config fields; every other
// key goes to Extra.
var configKeys = map[string]bool{
	"vocab_size": true, "n_positions": true, "n_embd": true, "n_layer": true, "n_head": true,
	"n_inner": true, "activation_function": true, "resid_pdrop": true, "embd_pdrop": true,
	"attn_pdrop": true, "layer_norm_epsilon": true, "initializer_range": true,
	"bos_token_id": true, "eos_token_id": true, "pad_token_id": true, "tie_word_embeddings": true,
	"scale_attn_weights": true, "scale_attn_by_inverse_layer_idx": true, "reorder_and_upcast_attn": true,
	"architectures": true, "model_type": true,
}

// ParseConfig decodes a config.json document. Keys that are absent take HF's
// defaults (tie_word_embeddings true, n_inner null, ...); null token ids stay
// nil; unknown keys are kept in Extra. The result is validated.
func ParseConfig(data []byte) (*Config, error) {
	raw, err := hf.DecodeObject("gpt2 config", data)
	if err != nil {
		return nil, err
	}
	c := DefaultConfig()
	if err := hf.DecodeFields("gpt2 config", raw, map[string]any{
		"vocab_size": &c.VocabSize, "n_positions": &c.NPositions, "n_embd": &c.NEmbd,
		"n_layer": &c.NLayer, "n_head": &c.NHead, "activation_function": &c.Activation,
		"resid_pdrop": &c.ResidPdrop, "embd_pdrop": &c.EmbdPdrop, "attn_pdrop": &c.AttnPdrop,
		"layer_norm_epsilon": &c.LayerNormEps, "initializer_range": &c.InitRange,
		"tie_word_embeddings": &c.TieEmbeddings, "scale_attn_weights": &c.ScaleAttnWeights,
		"scale_attn_by_inverse_layer_idx": &c.ScaleAttnByInverseLayer,
		"reorder_and_upcast_attn":         &c.ReorderAndUpcastAttn,
		"architectures":                   &c.Architectures, "model_type": &c.ModelType,
	}); err != nil {
		return nil, err
	}
	// Keys whose null means something: n_inner (4·n_embd) and the token ids (none).
	for _, f := range []struct {
		key string
		dst **int
	}{{"n_inner", &c.NInner}, {"bos_token_id", &c.BosTokenID}, {"eos_token_id", &c.EosTokenID}, {"pad_token_id", &c.PadTokenID}} {
		v, ok := raw[f.key]
		if !ok {
			continue
		}
		if hf.IsNull(v) {
			*f.dst = nil
			continue
		}
		var n int
		if err := json.Unmarshal(v, &n); err != nil {
			return nil, fmt.Errorf("gpt2 config: key %q: want an integer or null: %w", f.key, err)
		}
		*f.dst = &n
	}
	if c.ModelType != "gpt2" {
		return nil, fmt.Errorf("gpt2 config: model_type is %q, expected \"gpt2\"", c.ModelType)
	}
	c.Extra = hf.Extra(raw, configKeys)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadConfig reads and validates a config.json file (or the config.json
// inside a checkpoint directory when path is a directory).
func LoadConfig(path string) (*Config, error) {
	return hf.ReadJSON("gpt2 config", path, hf.ConfigFile, ParseConfig)
}

// MarshalJSON renders c as HF's save_pretrained writes config.json: every
// key sorted, indent 2, floats as Python prints them (1e-05, 0.1), null for
// an unset n_inner or token id, unknown keys as they were read.
// tie_word_embeddings is always written (HF omits it when true; both load
// the same).
func (c *Config) MarshalJSON() ([]byte, error) {
	modelType := c.ModelType
	if modelType == "" {
		modelType = "gpt2"
	}
	m := hf.WithExtra(c.Extra, map[string]any{
		"vocab_size": c.VocabSize, "n_positions": c.NPositions, "n_embd": c.NEmbd,
		"n_layer": c.NLayer, "n_head": c.NHead, "n_inner": c.NInner,
		"activation_function": c.Activation, "resid_pdrop": hf.PyFloat(c.ResidPdrop),
		"embd_pdrop": hf.PyFloat(c.EmbdPdrop), "attn_pdrop": hf.PyFloat(c.AttnPdrop),
		"layer_norm_epsilon": hf.PyFloat(c.LayerNormEps), "initializer_range": hf.PyFloat(c.InitRange),
		"bos_token_id": c.BosTokenID, "eos_token_id": c.EosTokenID,
		"tie_word_embeddings": c.TieEmbeddings, "scale_attn_weights": c.ScaleAttnWeights,
		"scale_attn_by_inverse_layer_idx": c.ScaleAttnByInverseLayer,
		"reorder_and_upcast_attn":         c.ReorderAndUpcastAttn, "model_type": modelType,
	})
	if c.PadTokenID != nil {
		m["pad_token_id"] = *c.PadTokenID
	}
	if len(c.Architectures) > 0 {
		m["architectures"] = c.Architectures
	}
	return hf.MarshalIndent(m)
}

// UnmarshalJSON decodes a config.json document into c (see ParseConfig).
func (c *Config) UnmarshalJSON(data []byte) error { return hf.Unmarshal(c, data, ParseConfig) }

// Save writes c as config.json at path (or inside path when it is a
// directory), atomically, ending with a newline as HF's file does.
func (c *Config) Save(path string) error {
	return hf.SaveJSON("gpt2 config", path, hf.ConfigFile, c)
}

// String summarises the config on one line.
func (c *Config) String() string {
	return fmt.Sprintf("GPT2Config(vocab=%d, n_positions=%d, n_embd=%d, n_layer=%d, n_head=%d, n_inner=%d, act=%s, tied=%v)",
		c.VocabSize, c.NPositions, c.NEmbd, c.NLayer, c.NHead, c.InnerDim(), c.Activation, c.TieEmbeddings)
}
