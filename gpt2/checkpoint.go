package gpt2

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/hf"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
	"github.com/turinglab/turinglab/tokenizer"
)

// HF checkpoints, both directions. A checkpoint directory holds config.json,
// model.safetensors (HF state-dict names, F32), optionally
// generation_config.json and the tokenizer files (vocab.json, merges.txt,
// tokenizer_config.json, special_tokens_map.json). Loading goes through nn's
// one loader with GPT-2's conventions as its options (HFLoadOptions).

// WeightsFile is the name of the weights inside a checkpoint directory.
const WeightsFile = hf.WeightsFile

// BaseModelPrefix is HF's base_model_prefix for GPT-2: the name under which
// LMHeadModel holds the transformer.
const BaseModelPrefix = "transformer"

// HFLoadOptions returns opts with GPT-2's HF key conventions for m filled in
// (the caller's Strict and IgnoreMismatchedSizes are kept, and a Rename or
// BaseModelPrefix the caller set): the "transformer" prefix, added or
// stripped as from_pretrained does (so openai-community/gpt2's bare
// "h.0.attn..." names load into an LMHeadModel), and a Rename that drops HF's
// attn.bias and attn.masked_bias buffers (the causal mask, not parameters;
// _keys_to_ignore_on_load_unexpected) and, when m is an LMHeadModel with a
// tied head, reads a stored lm_head.weight as the transformer.wte.weight it
// is (used only when the file lacks wte itself).
func HFLoadOptions(m nn.Module, opts nn.LoadOptions) nn.LoadOptions {
	if opts.BaseModelPrefix == "" {
		opts.BaseModelPrefix = BaseModelPrefix
	}
	if opts.Rename != nil {
		return opts
	}
	lm, isLM := m.(*LMHeadModel)
	tied := isLM && lm.Tied()
	opts.Rename = func(key string) (string, bool) {
		if strings.HasSuffix(key, ".attn.bias") || strings.HasSuffix(key, ".attn.masked_bias") {
			return "", false
		}
		if tied && key == "lm_head.weight" {
			return BaseModelPrefix + ".wte.weight", true
		}
		return key, true
	}
	return opts
}

// LoadWeights loads the safetensors file at path (or a checkpoint directory's
// model.safetensors) into m with nn's loader and GPT-2's HF key conventions.
// Nothing is loaded on error (a shape mismatch, or with opts.Strict any
// missing or unexpected key).
func LoadWeights(m nn.Module, path string, opts nn.LoadOptions) (nn.LoadReport, error) {
	return nn.LoadSafetensors(m, hf.FileIn(path, WeightsFile), HFLoadOptions(m, opts))
}

// SaveWeights writes m's parameters to a safetensors file at path (or a
// directory's model.safetensors) atomically, as save_pretrained does: HF
// names, F32, sorted, metadata {"format": "pt"}, and a tied lm_head.weight
// left out (it is transformer.wte.weight).
func SaveWeights(m nn.Module, path string) error {
	return nn.SaveSafetensors(m, hf.FileIn(path, WeightsFile), map[string]string{"format": "pt"})
}

// SavePretrained writes a checkpoint directory HF's from_pretrained reads:
// config.json (architectures set from m), model.safetensors,
// generation_config.json when gen is not nil, and the tokenizer's files when
// tok is not nil. The directory is created if needed; each file is written
// atomically.
func SavePretrained(dir string, m nn.Module, c *Config, gen *GenerationConfig, tok *tokenizer.GPT2) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("gpt2: %w", err)
	}
	c = c.Clone()
	if arch := Architecture(m); arch != "" {
		c.Architectures = []string{arch}
	}
	if lm, ok := m.(*LMHeadModel); ok {
		c.TieEmbeddings = lm.Tied()
	}
	if err := c.Save(filepath.Join(dir, hf.ConfigFile)); err != nil {
		return err
	}
	if err := SaveWeights(m, filepath.Join(dir, WeightsFile)); err != nil {
		return err
	}
	if gen != nil {
		if err := gen.Save(filepath.Join(dir, GenerationConfigFile)); err != nil {
			return err
		}
	}
	if tok != nil {
		return tok.Save(dir)
	}
	return nil
}

// Architecture is the HF class name of a model (config.json's
// "architectures"), or "" for a value that is not one of this package's models.
func Architecture(m nn.Module) string {
	switch m.(type) {
	case *Model:
		return "GPT2Model"
	case *LMHeadModel:
		return "GPT2LMHeadModel"
	}
	return ""
}

// Checkpoint is a loaded HF checkpoint directory: its config, generation
// config and tokenizer (nil when the directory lacks their files) and its
// weights, ready to be put into a model.
type Checkpoint struct {
	Dir        string
	Config     *Config
	Generation *GenerationConfig
	Tokenizer  *tokenizer.GPT2
	Weights    *safetensors.File
}

// OpenCheckpoint reads config.json, generation_config.json and the tokenizer
// files (when present) and model.safetensors from dir.
func OpenCheckpoint(dir string) (*Checkpoint, error) {
	c, err := LoadConfig(filepath.Join(dir, hf.ConfigFile))
	if err != nil {
		return nil, err
	}
	ck := &Checkpoint{Dir: dir, Config: c}
	if hf.Exists(dir, GenerationConfigFile) {
		if ck.Generation, err = LoadGenerationConfig(filepath.Join(dir, GenerationConfigFile)); err != nil {
			return nil, err
		}
	}
	if hf.Exists(dir, tokenizer.VocabFileName) {
		if ck.Tokenizer, err = tokenizer.LoadGPT2(dir); err != nil {
			return nil, err
		}
		if n := ck.Tokenizer.Len(); n > c.VocabSize {
			return nil, fmt.Errorf("gpt2: %s: the tokenizer has %d tokens but config vocab_size is %d", dir, n, c.VocabSize)
		}
	}
	if ck.Weights, err = safetensors.Open(filepath.Join(dir, WeightsFile)); err != nil {
		return nil, err
	}
	return ck, nil
}

// Load copies the checkpoint's weights into m (see LoadWeights).
func (ck *Checkpoint) Load(m nn.Module, opts nn.LoadOptions) (nn.LoadReport, error) {
	return nn.LoadSafetensorsFrom(m, ck.Weights, HFLoadOptions(m, opts))
}

// LMHeadModel builds a language model from the checkpoint's config and loads
// its weights. Like from_pretrained, the model comes back in evaluation mode;
// rng initialises whatever the file lacks and drives dropout once training is
// switched on.
func (ck *Checkpoint) LMHeadModel(rng *autograd.RNG, opts nn.LoadOptions) (*LMHeadModel, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*LMHeadModel, error) { return NewLMHeadModel(ck.Config, rng) })
}

// Model builds a bare transformer (no LM head) from the checkpoint (see
// LMHeadModel).
func (ck *Checkpoint) Model(rng *autograd.RNG, opts nn.LoadOptions) (*Model, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*Model, error) { return NewModel(ck.Config, rng) })
}

// LoadLMHeadModel opens the checkpoint directory dir and returns its language
// model in evaluation mode: HF's GPT2LMHeadModel.from_pretrained(dir) in one
// line. seed initialises whatever weights the file lacks (HF's warning about
// newly initialised weights lists them on stderr, once per process) and drives dropout once
// training is switched on. The long form, for when the parts matter (the
// load report, the RNG object a resumable Trainer saves), is OpenCheckpoint
// then Checkpoint.LMHeadModel.
func LoadLMHeadModel(dir string, seed uint64) (*LMHeadModel, error) {
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		return nil, err
	}
	m, report, err := ck.LMHeadModel(autograd.NewRNG(seed), nn.LoadOptions{})
	if err != nil {
		return nil, err
	}
	hf.WarnNewlyInitialized(os.Stderr, Architecture(m), dir, report.Missing)
	return m, nil
}
