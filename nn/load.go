package nn

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// LoadOptions says how the tensors of a state dict (in memory or a
// safetensors file) are matched to a module's parameters. The zero value is
// torch's load_state_dict(strict=False): names must match exactly, missing
// and unexpected keys are reported, a shape mismatch is an error.
//
// Rename and BaseModelPrefix give HF's from_pretrained conventions, so one
// loader serves every model family: BERT sets them to its legacy names and
// "bert", a GPT-2 model to its buffers and "transformer".
type LoadOptions struct {
	// Strict turns missing and unexpected keys into an error (shape
	// mismatches are always one unless IgnoreMismatchedSizes).
	Strict bool
	// IgnoreMismatchedSizes leaves parameters whose shape in the file
	// differs (a classifier with another number of labels) at their
	// initialisation, reported in Mismatched, instead of failing: HF's
	// ignore_mismatched_sizes.
	IgnoreMismatchedSizes bool
	// Rename maps a key of the file to the module's parameter name, or
	// returns false to drop the key (neither loaded nor reported): legacy
	// names (LayerNorm gamma/beta), a tied weight stored under its other
	// name (BERT's MLM decoder is the word-embedding matrix), buffers that
	// are not parameters (position_ids; GPT-2's attn.bias and
	// attn.masked_bias, HF's _keys_to_ignore_on_load_unexpected). It sees
	// each key as stored, before BaseModelPrefix is applied. When several
	// keys map to one parameter, a key Rename left unchanged wins over a
	// renamed one, so a file that stores a tied weight under both names
	// loads the canonical one. nil keeps every key as it is.
	Rename func(key string) (name string, keep bool)
	// BaseModelPrefix is HF's base_model_prefix ("bert", "transformer"):
	// the module name under which task models hold the bare model. As in
	// from_pretrained, when the file's keys carry it and the module's do
	// not (a task checkpoint into a bare model), it is stripped from the
	// keys and the keys without it (the heads) are unexpected; when the
	// module's names carry it and the file's keys do not (a bare
	// checkpoint into a task model), it is added. Empty: no prefix fix.
	BaseModelPrefix string
}

// ShapeMismatch is a state-dict entry whose shape differs from the module's
// parameter.
type ShapeMismatch struct {
	Name       string // the module's parameter name
	Checkpoint []int  // shape in the state dict being loaded
	Model      []int  // shape of the module's parameter
}

// LoadReport says what a load matched, like HF's loading info: which
// parameters were set (Loaded), which the source lacks and keep their
// initialisation (Missing), which keys of the source the module has no
// parameter for (Unexpected, as the source names them), the shape
// mismatches, and every key loaded under another name (Renamed, "key ->
// parameter"). Lists are sorted.
type LoadReport struct {
	Source     string // the file loaded, or "state dict"
	Loaded     []string
	Missing    []string
	Unexpected []string
	Mismatched []ShapeMismatch
	Renamed    []string
}

// OK reports whether every parameter was loaded and nothing was left over.
func (r LoadReport) OK() bool {
	return len(r.Missing) == 0 && len(r.Unexpected) == 0 && len(r.Mismatched) == 0
}

// String summarises the report with every name listed (and the file's base
// name; Source has its path).
func (r LoadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loaded %d tensors from %s", len(r.Loaded), filepath.Base(r.Source))
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "; missing keys (%d, newly initialised): %s", len(r.Missing), strings.Join(r.Missing, ", "))
	}
	if len(r.Unexpected) > 0 {
		fmt.Fprintf(&b, "; unexpected keys (%d, not used): %s", len(r.Unexpected), strings.Join(r.Unexpected, ", "))
	}
	for _, m := range r.Mismatched {
		fmt.Fprintf(&b, "; size mismatch for %s: checkpoint %v, model %v", m.Name, m.Checkpoint, m.Model)
	}
	return b.String()
}

// stateSource is a state dict being loaded: an in-memory list or a file.
type stateSource interface {
	// describe names the source for reports and errors.
	describe() string
	names() []string
	shape(key string) []int
	// check reports, before anything is copied, whether values(key) can succeed.
	check(key string) error
	values(key string) ([]float32, error)
}

// listSource is a []NamedParameter as a stateSource.
type listSource struct {
	order   []string
	tensors map[string]*autograd.Tensor
}

func (s listSource) describe() string       { return "state dict" }
func (s listSource) names() []string        { return s.order }
func (s listSource) shape(key string) []int { return s.tensors[key].Shape() }
func (s listSource) check(string) error     { return nil }
func (s listSource) values(key string) ([]float32, error) {
	return s.tensors[key].Data(), nil
}

// LoadStateDict copies the tensors of sd into the module's parameters with the
// same names (after opts' renaming), in place, so optimizers holding the
// parameters see the new values.
//
// Like torch's load_state_dict: with opts.Strict, any missing or unexpected
// key is an error; a shape mismatch is always one (unless
// opts.IgnoreMismatchedSizes). Unlike torch, nothing is copied when there is
// an error, so a failed load leaves the module untouched. The report is
// returned in every case, and the error lists every offending name.
func LoadStateDict(m Module, sd []NamedParameter, opts LoadOptions) (LoadReport, error) {
	src := listSource{tensors: map[string]*autograd.Tensor{}}
	for _, p := range sd {
		if p.Tensor == nil {
			return LoadReport{Source: src.describe()}, fmt.Errorf("nn.LoadStateDict: state dict entry %q is nil", p.Name)
		}
		if _, dup := src.tensors[p.Name]; dup {
			return LoadReport{Source: src.describe()}, fmt.Errorf("nn.LoadStateDict: state dict has two entries named %q", p.Name)
		}
		src.tensors[p.Name] = p.Tensor
		src.order = append(src.order, p.Name)
	}
	return load("nn.LoadStateDict", m, src, opts)
}

// match is a key of the source matched to a parameter name.
type match struct {
	key     string // as the source names it
	name    string // the module's parameter name it maps to
	renamed bool   // whether opts.Rename changed the key
}

// matchKeys maps the source's keys to parameter names with opts.Rename and
// opts.BaseModelPrefix. Keys Rename drops are left out; keys that cannot
// match (no base-model prefix when it is being stripped) get name "".
func matchKeys(keys []string, params []NamedParameter, opts LoadOptions) []match {
	var out []match
	for _, k := range keys {
		name, keep := k, true
		if opts.Rename != nil {
			name, keep = opts.Rename(k)
		}
		if keep {
			out = append(out, match{key: k, name: name, renamed: name != k})
		}
	}
	prefix := opts.BaseModelPrefix + "."
	if opts.BaseModelPrefix == "" {
		return out
	}
	hasPrefix, expectsPrefix := false, false
	for _, e := range out {
		hasPrefix = hasPrefix || strings.HasPrefix(e.name, prefix)
	}
	for _, p := range params {
		expectsPrefix = expectsPrefix || strings.HasPrefix(p.Name, prefix)
	}
	switch {
	case expectsPrefix && !hasPrefix: // a bare model's file into a task model
		for i := range out {
			out[i].name = prefix + out[i].name
		}
	case hasPrefix && !expectsPrefix: // a task model's file into a bare model
		for i := range out {
			if strings.HasPrefix(out[i].name, prefix) {
				out[i].name = strings.TrimPrefix(out[i].name, prefix)
			} else {
				out[i].name = "" // a head: HF reports it unexpected
			}
		}
	}
	return out
}

// load matches src against m's parameters, reports, and copies if all is well.
func load(op string, m Module, src stateSource, opts LoadOptions) (LoadReport, error) {
	r := LoadReport{Source: src.describe()}
	params := m.NamedParameters("")
	isParam := map[string]bool{}
	for _, p := range params {
		isParam[p.Name] = true
	}
	// One key per parameter: a key Rename left alone wins over a renamed one.
	chosen := map[string]match{}
	for _, e := range matchKeys(src.names(), params, opts) {
		if !isParam[e.name] {
			r.Unexpected = append(r.Unexpected, e.key)
			continue
		}
		if prev, dup := chosen[e.name]; dup && (!prev.renamed || e.renamed) {
			continue
		}
		chosen[e.name] = e
	}
	type job struct {
		param NamedParameter
		key   string
	}
	var jobs []job
	var loaded []NamedParameter
	for _, p := range params {
		e, ok := chosen[p.Name]
		if !ok {
			r.Missing = append(r.Missing, p.Name)
			continue
		}
		if got, want := src.shape(e.key), p.Tensor.Shape(); !shapesFit(got, want) {
			r.Mismatched = append(r.Mismatched, ShapeMismatch{Name: p.Name, Checkpoint: got, Model: want})
			continue
		}
		jobs = append(jobs, job{p, e.key})
		loaded = append(loaded, p)
		if e.key != p.Name {
			r.Renamed = append(r.Renamed, e.key+" -> "+p.Name)
		}
	}
	r.Missing = dropTied(r.Missing, params, loaded)
	sort.Strings(r.Missing)
	sort.Strings(r.Unexpected)
	sort.Strings(r.Renamed)
	sort.Slice(r.Mismatched, func(i, j int) bool { return r.Mismatched[i].Name < r.Mismatched[j].Name })

	if len(r.Mismatched) > 0 && !opts.IgnoreMismatchedSizes || opts.Strict && (len(r.Missing) > 0 || len(r.Unexpected) > 0) {
		return r, fmt.Errorf("%s: error(s) loading %s into %s (nothing loaded): %s", op, r.Source, typeName(m), r.problems(opts))
	}
	for _, j := range jobs {
		if !j.param.Tensor.IsContiguous() {
			return r, fmt.Errorf("%s: parameter %q (shape %v) is not contiguous and cannot be loaded in place", op, j.param.Name, j.param.Tensor.Shape())
		}
		if err := src.check(j.key); err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
	}
	for _, j := range jobs {
		vals, err := src.values(j.key)
		if err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
		copy(j.param.Tensor.Data(), vals)
		r.Loaded = append(r.Loaded, j.param.Name)
	}
	sort.Strings(r.Loaded)
	return r, nil
}

// shapesFit reports whether a stored tensor of shape got fits a parameter of
// shape want: the same shape, or one value stored as [] for [1] or the other
// way round (torch writes a one-element parameter either way, and its
// load_state_dict takes a 1-d tensor for a 0-d parameter).
func shapesFit(got, want []int) bool {
	oneValue := func(s []int) bool { return len(s) == 0 || len(s) == 1 && s[0] == 1 }
	return autograd.SameShape(got, want) || oneValue(got) && oneValue(want)
}

// dropTied removes from missing the names of tied parameters: a tensor listed
// under several names (an MLM decoder tied to the word embeddings) is loaded as
// soon as one of its names is, as HF checkpoints store it once.
func dropTied(missing []string, params, loaded []NamedParameter) []string {
	if len(missing) == 0 {
		return missing
	}
	isLoaded := map[*autograd.Tensor]bool{}
	for _, p := range loaded {
		isLoaded[p.Tensor] = true
	}
	tensorOf := map[string]*autograd.Tensor{}
	for _, p := range params {
		tensorOf[p.Name] = p.Tensor
	}
	var out []string
	for _, n := range missing {
		if !isLoaded[tensorOf[n]] {
			out = append(out, n)
		}
	}
	return out
}

// problems lists what makes a load fail, for the error message, in torch's
// words (and HF's hint for size mismatches).
func (r LoadReport) problems(opts LoadOptions) string {
	var parts []string
	if opts.Strict && len(r.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("missing key(s) in state dict: %s", quoteAll(r.Missing)))
	}
	if opts.Strict && len(r.Unexpected) > 0 {
		parts = append(parts, fmt.Sprintf("unexpected key(s) in state dict: %s", quoteAll(r.Unexpected)))
	}
	if !opts.IgnoreMismatchedSizes && len(r.Mismatched) > 0 {
		for _, m := range r.Mismatched {
			parts = append(parts, fmt.Sprintf("size mismatch for %s: copying a param with shape %v from checkpoint, the shape in current model is %v", m.Name, m.Checkpoint, m.Model))
		}
		parts = append(parts, "set IgnoreMismatchedSizes to keep those parameters at their initialisation")
	}
	return strings.Join(parts, "; ")
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
