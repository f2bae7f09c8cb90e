package bert

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
// vocab.txt (+ tokenizer_config.json) and model.safetensors whose tensor names
// are HF state-dict names. Loading goes through nn's one loader
// (nn.LoadSafetensors) with HF's conveniences as its options (HFLoadOptions):
// the MLM decoder weight may be absent (it is the word-embedding matrix),
// legacy LayerNorm.gamma/beta names, files with or without the "bert."
// prefix, and the position_ids buffer, which is not a parameter.

// WeightsFile is the name of the weights inside a checkpoint directory.
const WeightsFile = hf.WeightsFile

// BaseModelPrefix is HF's base_model_prefix for BERT: the name under which
// every task model holds its encoder.
const BaseModelPrefix = "bert"

// ignoredBuffers are tensor names (suffixes) HF files may carry that are
// buffers, not parameters.
var ignoredBuffers = []string{"embeddings.position_ids", "embeddings.token_type_ids"}

// HFLoadOptions returns opts with BERT's HF key conventions filled in (the
// caller's Strict and IgnoreMismatchedSizes are kept; a Rename or
// BaseModelPrefix the caller set is kept too): the "bert" base-model prefix,
// added or stripped as from_pretrained does, and a Rename that maps legacy
// LayerNorm gamma/beta names, drops the position_ids and token_type_ids
// buffers, and, when m has an MLM head, reads cls.predictions.decoder.bias as
// cls.predictions.bias and a stored decoder weight as the word embeddings it
// is tied to (used only when the file lacks the embeddings themselves).
func HFLoadOptions(m nn.Module, opts nn.LoadOptions) nn.LoadOptions {
	if opts.BaseModelPrefix == "" {
		opts.BaseModelPrefix = BaseModelPrefix
	}
	if opts.Rename != nil {
		return opts
	}
	hasMLMHead := false
	for _, p := range m.NamedParameters("") {
		hasMLMHead = hasMLMHead || p.Name == "cls.predictions.bias"
	}
	opts.Rename = func(key string) (string, bool) {
		if strings.HasSuffix(key, ".gamma") {
			key = strings.TrimSuffix(key, ".gamma") + ".weight"
		} else if strings.HasSuffix(key, ".beta") {
			key = strings.TrimSuffix(key, ".beta") + ".bias"
		}
		for _, b := range ignoredBuffers {
			if key == b || strings.HasSuffix(key, "."+b) {
				return "", false
			}
		}
		if hasMLMHead {
			switch key {
			case "cls.predictions.decoder.bias":
				return "cls.predictions.bias", true
			case "cls.predictions.decoder.weight":
				return "bert.embeddings.word_embeddings.weight", true
			}
		}
		return key, true
	}
	return opts
}

// LoadWeights loads the safetensors file at path (or a checkpoint directory's
// model.safetensors) into m with nn's loader and BERT's HF key conventions
// (see HFLoadOptions). It returns the report, and an error for a shape
// mismatch (unless opts.IgnoreMismatchedSizes), or with opts.Strict for any
// missing or unexpected key; nothing is loaded on error.
func LoadWeights(m nn.Module, path string, opts nn.LoadOptions) (nn.LoadReport, error) {
	return nn.LoadSafetensors(m, hf.FileIn(path, WeightsFile), HFLoadOptions(m, opts))
}

// SaveWeights writes m's parameters to a safetensors file at path (or a
// directory's model.safetensors) atomically, in the layout HF's save_pretrained
// writes: HF names, F32, sorted, metadata {"format": "pt"}, and the tied MLM
// decoder weight left out (HF re-ties it on load).
func SaveWeights(m nn.Module, path string) error {
	return nn.SaveSafetensors(m, hf.FileIn(path, WeightsFile), map[string]string{"format": "pt"})
}

// SavePretrained writes a checkpoint directory HF's from_pretrained reads:
// config.json (with architectures set from m), model.safetensors and, when tok
// is not nil, the tokenizer's vocab.txt and tokenizer_config.json. The
// directory is created if needed; each file is written atomically.
func SavePretrained(dir string, m nn.Module, c *Config, tok *tokenizer.BertTokenizer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	c = c.Clone()
	if arch := Architecture(m); arch != "" {
		c.Architectures = []string{arch}
	}
	if err := c.Save(filepath.Join(dir, hf.ConfigFile)); err != nil {
		return err
	}
	if err := SaveWeights(m, filepath.Join(dir, WeightsFile)); err != nil {
		return err
	}
	if tok != nil {
		return tok.Save(dir)
	}
	return nil
}

// Architecture is the HF class name of a model (written to config.json's
// "architectures"), or "" for a value that is not one of this package's models.
func Architecture(m nn.Module) string {
	switch m.(type) {
	case *Model:
		return "BertModel"
	case *ForPreTraining:
		return "BertForPreTraining"
	case *ForMaskedLM:
		return "BertForMaskedLM"
	case *ForSequenceClassification:
		return "BertForSequenceClassification"
	case *ForTokenClassification:
		return "BertForTokenClassification"
	}
	return ""
}

// Checkpoint is a loaded HF checkpoint directory: its config, its tokenizer
// (nil when the directory has no vocab.txt) and its weights, ready to be put
// into any of the task models.
type Checkpoint struct {
	Dir       string
	Config    *Config
	Tokenizer *tokenizer.BertTokenizer
	Weights   *safetensors.File
}

// OpenCheckpoint reads config.json, vocab.txt (when present) and
// model.safetensors from dir.
func OpenCheckpoint(dir string) (*Checkpoint, error) {
	c, err := LoadConfig(filepath.Join(dir, hf.ConfigFile))
	if err != nil {
		return nil, err
	}
	ck := &Checkpoint{Dir: dir, Config: c}
	if hf.Exists(dir, tokenizer.BertVocabFileName) {
		if ck.Tokenizer, err = tokenizer.LoadBertTokenizer(dir); err != nil {
			return nil, err
		}
		if n := ck.Tokenizer.Vocab.Size(); n > c.VocabSize {
			return nil, fmt.Errorf("bert: %s: vocab.txt has %d tokens but config vocab_size is %d", dir, n, c.VocabSize)
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

// ForPreTraining builds a pre-training model from the checkpoint's config and
// loads its weights. Like HF's from_pretrained, the model is returned in
// evaluation mode; rng initialises whatever the file lacks and drives dropout
// once training is switched on.
func (ck *Checkpoint) ForPreTraining(rng *autograd.RNG, opts nn.LoadOptions) (*ForPreTraining, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*ForPreTraining, error) { return NewForPreTraining(ck.Config, rng) })
}

// ForMaskedLM builds a masked-LM model from the checkpoint (see ForPreTraining).
func (ck *Checkpoint) ForMaskedLM(rng *autograd.RNG, opts nn.LoadOptions) (*ForMaskedLM, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*ForMaskedLM, error) { return NewForMaskedLM(ck.Config, rng) })
}

// ForSequenceClassification builds a sequence classifier from the checkpoint
// (see ForPreTraining).
func (ck *Checkpoint) ForSequenceClassification(rng *autograd.RNG, opts nn.LoadOptions) (*ForSequenceClassification, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*ForSequenceClassification, error) { return NewForSequenceClassification(ck.Config, rng) })
}

// ForTokenClassification builds a token classifier from the checkpoint (see
// ForPreTraining).
func (ck *Checkpoint) ForTokenClassification(rng *autograd.RNG, opts nn.LoadOptions) (*ForTokenClassification, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*ForTokenClassification, error) { return NewForTokenClassification(ck.Config, rng) })
}

// Model builds a bare encoder (with pooler) from the checkpoint (see ForPreTraining).
func (ck *Checkpoint) Model(rng *autograd.RNG, opts nn.LoadOptions) (*Model, nn.LoadReport, error) {
	return hf.FromCheckpoint(ck.Weights, opts, HFLoadOptions, func() (*Model, error) { return NewModel(ck.Config, rng, true) })
}
