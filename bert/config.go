package bert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
)

// Config describes a BERT model's shape and behaviour. Its fields are the keys
// of HuggingFace's config.json (BertConfig plus the PretrainedConfig keys BERT
// uses), with HF's defaults, so a config.json written by transformers loads
// here unchanged and one written here loads in transformers.
//
// Classification labels follow HF: ID2Label and Label2ID are the source of
// truth and NumLabels is len(ID2Label). A config.json with only "num_labels"
// gets the HF default names LABEL_0, LABEL_1, ...; one with neither gets two
// labels, as in HF.
type Config struct {
	VocabSize                 int      // size of the word-piece vocabulary (HF default 30522)
	HiddenSize                int      // width of every hidden state (768)
	NumHiddenLayers           int      // number of encoder layers (12)
	NumAttentionHeads         int      // heads per self-attention; must divide HiddenSize (12)
	IntermediateSize          int      // width of the feed-forward inner layer (3072)
	HiddenAct                 string   // feed-forward activation: "gelu" (exact erf), "gelu_new" (tanh), "relu", ... (see nn.ActivationByName)
	HiddenDropoutProb         float64  // dropout after embeddings and after each dense sub-block (0.1)
	AttentionProbsDropoutProb float64  // dropout on the attention probabilities (0.1)
	MaxPositionEmbeddings     int      // number of learned positions (512)
	TypeVocabSize             int      // number of token types (segments A/B: 2)
	InitializerRange          float64  // std of the normal initialisation (0.02)
	LayerNormEps              float64  // LayerNorm epsilon (1e-12, not PyTorch's 1e-5)
	PadTokenID                int      // id of [PAD]; its word-embedding row is the padding row (0)
	PositionEmbeddingType     string   // only "absolute" is supported
	ClassifierDropout         *float64 // dropout before a classifier; nil means HiddenDropoutProb (HF null)

	ID2Label    map[int]string // label names by class id; NumLabels() == len(ID2Label)
	Label2ID    map[string]int // class id by label name
	ProblemType string         // "", "regression", "single_label_classification" or "multi_label_classification"

	Architectures []string // e.g. ["BertForPreTraining"], written back unchanged
	ModelType     string   // always "bert"

	// Extra holds the config.json keys this package does not interpret
	// (torch_dtype, transformers_version, use_cache, ...). They are written
	// back unchanged by Save so a round trip loses nothing.
	Extra map[string]json.RawMessage
}

// DefaultConfig returns HF's BertConfig defaults (the bert-base-uncased shape)
// with two labels.
func DefaultConfig() *Config {
	c := &Config{
		VocabSize:                 30522,
		HiddenSize:                768,
		NumHiddenLayers:           12,
		NumAttentionHeads:         12,
		IntermediateSize:          3072,
		HiddenAct:                 "gelu",
		HiddenDropoutProb:         0.1,
		AttentionProbsDropoutProb: 0.1,
		MaxPositionEmbeddings:     512,
		TypeVocabSize:             2,
		InitializerRange:          0.02,
		LayerNormEps:              1e-12,
		PadTokenID:                0,
		PositionEmbeddingType:     "absolute",
		ModelType:                 "bert",
	}
	c.SetNumLabels(2)
	return c
}

// NumLabels is the number of classification labels: len(ID2Label), as in HF.
func (c *Config) NumLabels() int { return len(c.ID2Label) }

// SetNumLabels replaces the label maps with n default labels LABEL_0..LABEL_{n-1},
// as HF does for a config created with num_labels=n.
func (c *Config) SetNumLabels(n int) {
	c.ID2Label = make(map[int]string, n)
	c.Label2ID = make(map[string]int, n)
	for i := 0; i < n; i++ {
		name := "LABEL_" + strconv.Itoa(i)
		c.ID2Label[i] = name
		c.Label2ID[name] = i
	}
}

// SetLabels sets the label names in class-id order (ID2Label and Label2ID).
func (c *Config) SetLabels(names ...string) {
	c.ID2Label = make(map[int]string, len(names))
	c.Label2ID = make(map[string]int, len(names))
	for i, name := range names {
		c.ID2Label[i] = name
		c.Label2ID[name] = i
	}
}

// HeadDim is the width of one attention head: HiddenSize / NumAttentionHeads.
func (c *Config) HeadDim() int { return c.HiddenSize / c.NumAttentionHeads }

// ClassifierDropoutProb is the dropout applied before a classification head:
// ClassifierDropout when set, HiddenDropoutProb otherwise (HF's rule).
func (c *Config) ClassifierDropoutProb() float64 {
	if c.ClassifierDropout != nil {
		return *c.ClassifierDropout
	}
	return c.HiddenDropoutProb
}

// Clone returns a deep copy of c, so a notebook can derive a variant of a
// config without changing the original.
func (c *Config) Clone() *Config {
	d := *c
	if c.ClassifierDropout != nil {
		v := *c.ClassifierDropout
		d.ClassifierDropout = &v
	}
	d.ID2Label = make(map[int]string, len(c.ID2Label))
	for k, v := range c.ID2Label {
		d.ID2Label[k] = v
	}
	d.Label2ID = make(map[string]int, len(c.Label2ID))
	for k, v := range c.Label2ID {
		d.Label2ID[k] = v
	}
	d.Architectures = append([]string(nil), c.Architectures...)
	d.Extra = hf.CloneExtra(c.Extra)
	return &d
}

// Validate checks that the config describes a model this package can build and
// returns an error naming the offending field otherwise.
func (c *Config) Validate() error {
	positive := []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"intermediate_size", c.IntermediateSize}, {"max_position_embeddings", c.MaxPositionEmbeddings},
		{"type_vocab_size", c.TypeVocabSize},
	}
	for _, p := range positive {
		if p.v <= 0 {
			return fmt.Errorf("bert config: %s must be positive, got %d", p.name, p.v)
		}
	}
	if c.HiddenSize%c.NumAttentionHeads != 0 {
		return fmt.Errorf("bert config: hidden_size (%d) is not a multiple of num_attention_heads (%d)", c.HiddenSize, c.NumAttentionHeads)
	}
	if _, err := nn.ActivationByName(c.HiddenAct); err != nil {
		return fmt.Errorf("bert config: hidden_act: %w", err)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"hidden_dropout_prob", c.HiddenDropoutProb}, {"attention_probs_dropout_prob", c.AttentionProbsDropoutProb}, {"classifier_dropout", c.ClassifierDropoutProb()}} {
		if p.v < 0 || p.v >= 1 || math.IsNaN(p.v) {
			return fmt.Errorf("bert config: %s must be in [0, 1), got %v", p.name, p.v)
		}
	}
	if c.LayerNormEps <= 0 {
		return fmt.Errorf("bert config: layer_norm_eps must be positive, got %v", c.LayerNormEps)
	}
	if c.InitializerRange < 0 {
		return fmt.Errorf("bert config: initializer_range must not be negative, got %v", c.InitializerRange)
	}
	if c.PadTokenID < 0 || c.PadTokenID >= c.VocabSize {
		return fmt.Errorf("bert config: pad_token_id %d is outside the vocabulary [0, %d)", c.PadTokenID, c.VocabSize)
	}
	if c.PositionEmbeddingType != "absolute" && c.PositionEmbeddingType != "" {
		return fmt.Errorf("bert config: position_embedding_type %q is not supported (only \"absolute\")", c.PositionEmbeddingType)
	}
	switch c.ProblemType {
	case "", "regression", "single_label_classification", "multi_label_classification":
	default:
		return fmt.Errorf("bert config: problem_type %q is not one of regression, single_label_classification, multi_label_classification", c.ProblemType)
	}
	for i := 0; i < len(c.ID2Label); i++ {
		if _, ok := c.ID2Label[i]; !ok {
			return fmt.Errorf("bert config: id2label has %d entries but no id %d (ids must be 0..n-1)", len(c.ID2Label), i)
		}
	}
	for _, key := range []string{"is_decoder", "add_cross_attention"} {
		if raw, ok := c.Extra[key]; ok && string(bytes.TrimSpace(raw)) == "true" {
			return fmt.Errorf("bert config: %s=true is not supported (encoder-only BERT)", key)
		}
	}
	return nil
}

// configKeys are the config.json keys that map to Config fields; every other key
// goes to Extra.
var configKeys = map[string]bool{
	"vocab_size": true, "hidden_size": true, "num_hidden_layers": true, "num_attention_heads": true,
	"intermediate_size": true, "hidden_act": true, "hidden_dropout_prob": true,
	"attention_probs_dropout_prob": true, "max_position_embeddings": true, "type_vocab_size": true,
	"initializer_range": true, "layer_norm_eps": true, "pad_token_id": true,
	"position_embedding_type": true, "classifier_dropout": true, "id2label": true, "label2id": true,
	"num_labels": true, "problem_type": true, "architectures": true, "model_type": true,
}

// ParseConfig decodes a config.json document. Keys that are absent take HF's
// defaults; unknown keys are kept in Extra. The result is validated.
func ParseConfig(data []byte) (*Config, error) {
	raw, err := hf.DecodeObject("bert config", data)
	if err != nil {
		return nil, err
	}
	c := DefaultConfig()
	c.ID2Label, c.Label2ID = nil, nil
	var numLabels *int
	var id2label map[string]string
	var label2id map[string]int
	var classifierDropout *float64
	if err := hf.DecodeFields("bert config", raw, map[string]any{
		"vocab_size": &c.VocabSize, "hidden_size": &c.HiddenSize,
		"num_hidden_layers": &c.NumHiddenLayers, "num_attention_heads": &c.NumAttentionHeads,
		"intermediate_size": &c.IntermediateSize, "hidden_act": &c.HiddenAct,
		"hidden_dropout_prob": &c.HiddenDropoutProb, "attention_probs_dropout_prob": &c.AttentionProbsDropoutProb,
		"max_position_embeddings": &c.MaxPositionEmbeddings, "type_vocab_size": &c.TypeVocabSize,
		"initializer_range": &c.InitializerRange, "layer_norm_eps": &c.LayerNormEps,
		"pad_token_id": &c.PadTokenID, "position_embedding_type": &c.PositionEmbeddingType,
		"classifier_dropout": &classifierDropout, "num_labels": &numLabels,
		"problem_type": &c.ProblemType, "architectures": &c.Architectures,
		"id2label": &id2label, "label2id": &label2id, "model_type": &c.ModelType,
	}); err != nil {
		return nil, err
	}
	c.ClassifierDropout = classifierDropout
	if c.ModelType != "bert" {
		return nil, fmt.Errorf("bert config: model_type is %q, expected \"bert\"", c.ModelType)
	}

	// Labels, as PretrainedConfig does it: id2label wins; num_labels alone makes
	// LABEL_i names; neither means two labels.
	switch {
	case id2label != nil:
		c.ID2Label = make(map[int]string, len(id2label))
		for k, v := range id2label {
			id, err := strconv.Atoi(k)
			if err != nil {
				return nil, fmt.Errorf("bert config: id2label key %q is not an integer", k)
			}
			c.ID2Label[id] = v
		}
		if label2id != nil {
			c.Label2ID = label2id
		} else {
			c.Label2ID = make(map[string]int, len(c.ID2Label))
			for id, name := range c.ID2Label {
				c.Label2ID[name] = id
			}
		}
	case numLabels != nil:
		if *numLabels < 0 {
			return nil, fmt.Errorf("bert config: num_labels must not be negative, got %d", *numLabels)
		}
		c.SetNumLabels(*numLabels)
	default:
		c.SetNumLabels(2)
	}

	c.Extra = hf.Extra(raw, configKeys)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadConfig reads and validates a config.json file (or the config.json inside
// a checkpoint directory when path is a directory).
func LoadConfig(path string) (*Config, error) {
	return hf.ReadJSON("bert config", path, hf.ConfigFile, ParseConfig)
}

// MarshalJSON renders c as HF writes config.json: every key, sorted, with
// id2label keys as strings, classifier_dropout null when unset and no
// num_labels key (HF derives it from id2label).
func (c *Config) MarshalJSON() ([]byte, error) {
	id2label := make(map[string]string, len(c.ID2Label))
	for id, name := range c.ID2Label {
		id2label[strconv.Itoa(id)] = name
	}
	label2id := c.Label2ID
	if label2id == nil {
		label2id = map[string]int{}
	}
	var problemType any
	if c.ProblemType != "" {
		problemType = c.ProblemType
	}
	modelType := c.ModelType
	if modelType == "" {
		modelType = "bert"
	}
	positionType := c.PositionEmbeddingType
	if positionType == "" {
		positionType = "absolute"
	}
	m := hf.WithExtra(c.Extra, map[string]any{
		"vocab_size": c.VocabSize, "hidden_size": c.HiddenSize,
		"num_hidden_layers": c.NumHiddenLayers, "num_attention_heads": c.NumAttentionHeads,
		"intermediate_size": c.IntermediateSize, "hidden_act": c.HiddenAct,
		"hidden_dropout_prob": c.HiddenDropoutProb, "attention_probs_dropout_prob": c.AttentionProbsDropoutProb,
		"max_position_embeddings": c.MaxPositionEmbeddings, "type_vocab_size": c.TypeVocabSize,
		"initializer_range": c.InitializerRange, "layer_norm_eps": c.LayerNormEps,
		"pad_token_id": c.PadTokenID, "position_embedding_type": positionType,
		"classifier_dropout": c.ClassifierDropout, "id2label": id2label, "label2id": label2id,
		"model_type": modelType,
	})
	if problemType != nil {
		m["problem_type"] = problemType
	}
	if len(c.Architectures) > 0 {
		m["architectures"] = c.Architectures
	}
	return hf.MarshalIndent(m)
}

// UnmarshalJSON decodes a config.json document into c (see ParseConfig).
func (c *Config) UnmarshalJSON(data []byte) error { return hf.Unmarshal(c, data, ParseConfig) }

// Save writes c as config.json at path (or inside path when it is a
// directory), atomically: a crash never leaves a half-written file.
func (c *Config) Save(path string) error {
	return hf.SaveJSON("bert config", path, hf.ConfigFile, c)
}

// LabelNames returns the label names in class-id order.
func (c *Config) LabelNames() []string {
	ids := make([]int, 0, len(c.ID2Label))
	for id := range c.ID2Label {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = c.ID2Label[id]
	}
	return names
}

// String summarises the config on one line (the shape a student cares about).
func (c *Config) String() string {
	return fmt.Sprintf("BertConfig(vocab=%d, hidden=%d, layers=%d, heads=%d, intermediate=%d, act=%s, max_pos=%d, labels=%d)",
		c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize, c.HiddenAct, c.MaxPositionEmbeddings, c.NumLabels())
}
