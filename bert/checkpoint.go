package bert

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// HF checkpoints, both directions. A checkpoint directory holds config.json,
// vocab.txt (+ tokenizer_config.json) and model.safetensors whose tensor names
// are HF state-dict names. Loading maps names one to one, with HF's
// conveniences: the MLM decoder weight may be absent (it is the word-embedding
// matrix), legacy LayerNorm.gamma/beta names, files with or without the
// "bert." prefix, and the position_ids buffer, which is not a parameter.

// WeightsFile is the name of the weights inside a checkpoint directory.
const WeightsFile = "model.safetensors"

// LoadOptions says how strict weight loading is.
type LoadOptions struct {
	// Strict turns missing and unexpected keys into an error (shape
	// mismatches are always an error unless IgnoreMismatchedSizes).
	Strict bool
	// IgnoreMismatchedSizes leaves parameters whose checkpoint shape differs
	// (e.g. a classifier with another number of labels) at their
	// initialisation instead of failing, like HF's ignore_mismatched_sizes.
	IgnoreMismatchedSizes bool
}

// LoadReport says what a load did, like HF's loading-info dictionary.
type LoadReport struct {
	Loaded     []string           // model parameters set from the file
	Missing    []string           // model parameters the file does not have (left at their initialisation)
	Unexpected []string           // file tensors the model has no parameter for (ignored)
	Mismatched []nn.ShapeMismatch // file tensors whose shape differs from the model's parameter
	Renamed    []string           // "file name -> model name" for legacy names and prefix fixes
	Tied       []string           // parameters taken from a tied tensor (the MLM decoder weight)
}

// OK reports whether every parameter was loaded and nothing was left over.
func (r *LoadReport) OK() bool {
	return len(r.Missing) == 0 && len(r.Unexpected) == 0 && len(r.Mismatched) == 0
}

// String summarises the report in HF's words.
func (r *LoadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loaded %d parameters", len(r.Loaded))
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "; missing (newly initialised): %s", strings.Join(r.Missing, ", "))
	}
	if len(r.Unexpected) > 0 {
		fmt.Fprintf(&b, "; unexpected (not used): %s", strings.Join(r.Unexpected, ", "))
	}
	for _, m := range r.Mismatched {
		fmt.Fprintf(&b, "; size mismatch for %s: checkpoint %v, model %v", m.Name, m.Checkpoint, m.Model)
	}
	return b.String()
}

// ignoredBuffers are tensor names (suffixes) HF files may carry that are
// buffers, not parameters.
var ignoredBuffers = []string{"embeddings.position_ids", "embeddings.token_type_ids"}

// LoadWeights loads the safetensors file at path (or a checkpoint directory's
// model.safetensors) into m. It returns the report, and an error for a shape
// mismatch, or in strict mode for any missing or unexpected key.
func LoadWeights(m nn.Module, path string, opts LoadOptions) (*LoadReport, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, WeightsFile)
	}
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	return LoadWeightsFrom(m, f, opts)
}

// LoadWeightsFrom loads an opened safetensors file into m (see LoadWeights).
func LoadWeightsFrom(m nn.Module, f *safetensors.File, opts LoadOptions) (*LoadReport, error) {
	params := m.NamedParameters("")
	byName := make(map[string]*autograd.Tensor, len(params))
	expectsPrefix := false
	for _, p := range params {
		byName[p.Name] = p.Tensor
		if strings.HasPrefix(p.Name, "bert.") {
			expectsPrefix = true
		}
	}
	fileNames := f.Names()
	hasPrefix := false
	for _, n := range fileNames {
		if strings.HasPrefix(n, "bert.") {
			hasPrefix = true
		}
	}

	report := &LoadReport{}
	// Map each file name to the model's name: legacy gamma/beta, then the
	// "bert." prefix (HF: add it to every key when the file is a bare
	// BertModel and the model is a task model; strip it in the other case).
	source := map[string]string{} // model name -> file name
	var unexpected []string
	for _, fn := range fileNames {
		name := fn
		if strings.HasSuffix(name, ".gamma") {
			name = strings.TrimSuffix(name, ".gamma") + ".weight"
		} else if strings.HasSuffix(name, ".beta") {
			name = strings.TrimSuffix(name, ".beta") + ".bias"
		}
		switch {
		case expectsPrefix && !hasPrefix:
			name = "bert." + name
		case !expectsPrefix && hasPrefix && strings.HasPrefix(name, "bert."):
			name = strings.TrimPrefix(name, "bert.")
		}
		if name == "cls.predictions.decoder.bias" { // the same parameter as cls.predictions.bias
			name = "cls.predictions.bias"
		}
		if isIgnoredBuffer(name) {
			continue
		}
		if _, ok := byName[name]; !ok {
			if _, hasMLM := byName["cls.predictions.bias"]; hasMLM && name == "cls.predictions.decoder.weight" {
				continue // the tied word embeddings: handled below
			}
			unexpected = append(unexpected, fn)
			continue
		}
		if prev, dup := source[name]; dup && prev != fn {
			// Keep the canonical name (e.g. cls.predictions.bias over decoder.bias).
			if fn != name {
				continue
			}
		}
		source[name] = fn
		if fn != name {
			report.Renamed = append(report.Renamed, fn+" -> "+name)
		}
	}
	// The MLM decoder is tied to the word embeddings: a file that stores only
	// the decoder weight still sets them.
	const word, decoder = "bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.weight"
	if _, wanted := byName[word]; wanted {
		if _, have := source[word]; !have {
			if _, inFile := f.Info(decoder); inFile {
				source[word] = decoder
				report.Tied = append(report.Tied, decoder+" -> "+word)
			}
		}
	}

	// Check everything before copying anything, so a failed load leaves the
	// model untouched.
	type copyJob struct {
		param  *autograd.Tensor
		name   string
		values []float32
	}
	var jobs []copyJob
	for _, p := range params {
		fn, ok := source[p.Name]
		if !ok {
			report.Missing = append(report.Missing, p.Name)
			continue
		}
		values, shape, err := f.Float32(fn)
		if err != nil {
			return report, fmt.Errorf("bert: loading %s from %s: %w", p.Name, f.Source(), err)
		}
		if !autograd.SameShape(shape, p.Tensor.Shape()) {
			report.Mismatched = append(report.Mismatched, nn.ShapeMismatch{Name: fn, Checkpoint: shape, Model: p.Tensor.Shape()})
			if opts.IgnoreMismatchedSizes {
				report.Missing = append(report.Missing, p.Name) // newly initialised, as HF reports it
			}
			continue
		}
		jobs = append(jobs, copyJob{p.Tensor, p.Name, values})
	}
	report.Unexpected = unexpected
	sort.Strings(report.Unexpected)
	sort.Strings(report.Missing)

	if len(report.Mismatched) > 0 && !opts.IgnoreMismatchedSizes {
		var parts []string
		for _, m := range report.Mismatched {
			parts = append(parts, fmt.Sprintf("%s: checkpoint %v, model %v", m.Name, m.Checkpoint, m.Model))
		}
		return report, fmt.Errorf("bert: %s does not fit the model (nothing loaded): size mismatch for %s (set IgnoreMismatchedSizes to keep those parameters at their initialisation)",
			f.Source(), strings.Join(parts, "; "))
	}
	if opts.Strict && (len(report.Missing) > 0 || len(report.Unexpected) > 0) {
		var parts []string
		if len(report.Missing) > 0 {
			parts = append(parts, "missing keys: "+strings.Join(report.Missing, ", "))
		}
		if len(report.Unexpected) > 0 {
			parts = append(parts, "unexpected keys: "+strings.Join(report.Unexpected, ", "))
		}
		return report, fmt.Errorf("bert: error loading %s in strict mode (nothing loaded): %s", f.Source(), strings.Join(parts, "; "))
	}
	for _, j := range jobs {
		copy(j.param.Data(), j.values)
		report.Loaded = append(report.Loaded, j.name)
	}
	return report, nil
}

// isIgnoredBuffer reports whether name is a buffer HF stores that is not a parameter.
func isIgnoredBuffer(name string) bool {
	for _, b := range ignoredBuffers {
		if name == b || strings.HasSuffix(name, "."+b) {
			return true
		}
	}
	return false
}

// SaveWeights writes m's parameters to a safetensors file at path (or a
// directory's model.safetensors) atomically, in the layout HF's save_pretrained
// writes: HF names, F32, sorted, metadata {"format": "pt"}, and the tied MLM
// decoder weight left out (HF re-ties it on load).
func SaveWeights(m nn.Module, path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, WeightsFile)
	}
	return nn.SaveSafetensors(m, path, map[string]string{"format": "pt"})
}

// SavePretrained writes a checkpoint directory HF's from_pretrained reads:
// config.json (with architectures set from m), model.safetensors and, when tok
// is not nil, the tokenizer's vocab.txt and tokenizer_config.json. The
// directory is created if needed; each file is written atomically.
func SavePretrained(dir string, m nn.Module, c *Config, tok *Tokenizer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	c = c.Clone()
	if arch := Architecture(m); arch != "" {
		c.Architectures = []string{arch}
	}
	if err := c.Save(filepath.Join(dir, "config.json")); err != nil {
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
	Tokenizer *Tokenizer
	Weights   *safetensors.File
}

// OpenCheckpoint reads config.json, vocab.txt (when present) and
// model.safetensors from dir.
func OpenCheckpoint(dir string) (*Checkpoint, error) {
	c, err := LoadConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	ck := &Checkpoint{Dir: dir, Config: c}
	if _, err := os.Stat(filepath.Join(dir, "vocab.txt")); err == nil {
		if ck.Tokenizer, err = LoadTokenizer(dir); err != nil {
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
func (ck *Checkpoint) Load(m nn.Module, opts LoadOptions) (*LoadReport, error) {
	return LoadWeightsFrom(m, ck.Weights, opts)
}

// ForPreTraining builds a pre-training model from the checkpoint's config and
// loads its weights. Like HF's from_pretrained, the model is returned in
// evaluation mode; rng initialises whatever the file lacks and drives dropout
// once training is switched on.
func (ck *Checkpoint) ForPreTraining(rng *autograd.RNG, opts LoadOptions) (*ForPreTraining, *LoadReport, error) {
	m, err := NewForPreTraining(ck.Config, rng)
	if err != nil {
		return nil, nil, err
	}
	m.SetTraining(false)
	r, err := ck.Load(m, opts)
	return m, r, err
}

// ForMaskedLM builds a masked-LM model from the checkpoint (see ForPreTraining).
func (ck *Checkpoint) ForMaskedLM(rng *autograd.RNG, opts LoadOptions) (*ForMaskedLM, *LoadReport, error) {
	m, err := NewForMaskedLM(ck.Config, rng)
	if err != nil {
		return nil, nil, err
	}
	m.SetTraining(false)
	r, err := ck.Load(m, opts)
	return m, r, err
}

// ForSequenceClassification builds a sequence classifier from the checkpoint
// (see ForPreTraining).
func (ck *Checkpoint) ForSequenceClassification(rng *autograd.RNG, opts LoadOptions) (*ForSequenceClassification, *LoadReport, error) {
	m, err := NewForSequenceClassification(ck.Config, rng)
	if err != nil {
		return nil, nil, err
	}
	m.SetTraining(false)
	r, err := ck.Load(m, opts)
	return m, r, err
}

// ForTokenClassification builds a token classifier from the checkpoint (see
// ForPreTraining).
func (ck *Checkpoint) ForTokenClassification(rng *autograd.RNG, opts LoadOptions) (*ForTokenClassification, *LoadReport, error) {
	m, err := NewForTokenClassification(ck.Config, rng)
	if err != nil {
		return nil, nil, err
	}
	m.SetTraining(false)
	r, err := ck.Load(m, opts)
	return m, r, err
}

// Model builds a bare encoder (with pooler) from the checkpoint (see ForPreTraining).
func (ck *Checkpoint) Model(rng *autograd.RNG, opts LoadOptions) (*Model, *LoadReport, error) {
	m, err := NewModel(ck.Config, rng, true)
	if err != nil {
		return nil, nil, err
	}
	m.SetTraining(false)
	r, err := ck.Load(m, opts)
	return m, r, err
}
