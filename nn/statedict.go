package nn

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// StateDict returns the model's parameters under their state-dict names, in the
// module's order. The tensors are the live parameters, not copies (as in torch):
// save them before training further if you need a snapshot.
func StateDict(m Module) []NamedParameter {
	return m.NamedParameters("")
}

// ShapeMismatch is a state-dict entry whose shape differs from the model's parameter.
type ShapeMismatch struct {
	Name       string
	Checkpoint []int // shape in the state dict being loaded
	Model      []int // shape of the model's parameter
}

// LoadReport says what LoadStateDict matched: how many tensors were copied, which
// model parameters the state dict lacked (Missing), which state-dict entries the
// model has no parameter for (Unexpected), and shape mismatches. Lists are sorted.
type LoadReport struct {
	Loaded     int
	Missing    []string
	Unexpected []string
	Mismatched []ShapeMismatch
}

// OK reports whether every parameter was loaded and nothing was left over.
func (r LoadReport) OK() bool {
	return len(r.Missing) == 0 && len(r.Unexpected) == 0 && len(r.Mismatched) == 0
}

// String summarises the report with every name listed.
func (r LoadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loaded %d tensors", r.Loaded)
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, "; missing keys (%d): %s", len(r.Missing), strings.Join(r.Missing, ", "))
	}
	if len(r.Unexpected) > 0 {
		fmt.Fprintf(&b, "; unexpected keys (%d): %s", len(r.Unexpected), strings.Join(r.Unexpected, ", "))
	}
	for _, m := range r.Mismatched {
		fmt.Fprintf(&b, "; size mismatch for %s: checkpoint %v, model %v", m.Name, m.Checkpoint, m.Model)
	}
	return b.String()
}

// stateSource is a state dict being loaded: an in-memory list or a file.
type stateSource interface {
	names() []string
	shape(name string) []int
	// check reports, before anything is copied, whether values(name) can succeed.
	check(name string) error
	values(name string) ([]float32, error)
}

// listSource is a []NamedParameter as a stateSource.
type listSource struct {
	order   []string
	tensors map[string]*autograd.Tensor
}

func (s listSource) names() []string         { return s.order }
func (s listSource) shape(name string) []int { return s.tensors[name].Shape() }
func (s listSource) check(string) error      { return nil }
func (s listSource) values(name string) ([]float32, error) {
	return s.tensors[name].Data(), nil
}

// LoadStateDict copies the tensors of sd into the model's parameters with the
// same names, in place (so optimizers holding the parameters see the new values).
//
// Like torch's load_state_dict: with strict, any missing or unexpected key is an
// error; a shape mismatch is always an error. Unlike torch, nothing is copied when
// there is an error, so a failed load leaves the model untouched. The report is
// returned in every case, and the error message lists every offending name.
func LoadStateDict(m Module, sd []NamedParameter, strict bool) (LoadReport, error) {
	src := listSource{tensors: map[string]*autograd.Tensor{}}
	for _, p := range sd {
		if p.Tensor == nil {
			return LoadReport{}, fmt.Errorf("nn.LoadStateDict: state dict entry %q is nil", p.Name)
		}
		if _, dup := src.tensors[p.Name]; dup {
			return LoadReport{}, fmt.Errorf("nn.LoadStateDict: state dict has two entries named %q", p.Name)
		}
		src.tensors[p.Name] = p.Tensor
		src.order = append(src.order, p.Name)
	}
	return load("nn.LoadStateDict", m, src, strict)
}

// load matches src against m's parameters, reports, and copies if all is well.
func load(op string, m Module, src stateSource, strict bool) (LoadReport, error) {
	var r LoadReport
	params := m.NamedParameters("")
	have := map[string]bool{}
	for _, n := range src.names() {
		have[n] = true
	}
	want := map[string]bool{}
	var toLoad []NamedParameter
	for _, p := range params {
		want[p.Name] = true
		if !have[p.Name] {
			r.Missing = append(r.Missing, p.Name)
			continue
		}
		if got, exp := src.shape(p.Name), p.Tensor.Shape(); !sameShape(got, exp) {
			r.Mismatched = append(r.Mismatched, ShapeMismatch{Name: p.Name, Checkpoint: got, Model: exp})
			continue
		}
		toLoad = append(toLoad, p)
	}
	for _, n := range src.names() {
		if !want[n] {
			r.Unexpected = append(r.Unexpected, n)
		}
	}
	r.Missing = dropTied(r.Missing, params, toLoad)
	sort.Strings(r.Missing)
	sort.Strings(r.Unexpected)
	sort.Slice(r.Mismatched, func(i, j int) bool { return r.Mismatched[i].Name < r.Mismatched[j].Name })

	if len(r.Mismatched) > 0 || strict && (len(r.Missing) > 0 || len(r.Unexpected) > 0) {
		return r, fmt.Errorf("%s: error(s) loading state dict into %s: %s", op, typeName(m), r.problems(strict))
	}
	for _, p := range toLoad {
		if !p.Tensor.IsContiguous() {
			return r, fmt.Errorf("%s: parameter %q (shape %v) is not contiguous and cannot be loaded in place", op, p.Name, p.Tensor.Shape())
		}
		if err := src.check(p.Name); err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
	}
	for _, p := range toLoad {
		vals, err := src.values(p.Name)
		if err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
		copy(p.Tensor.Data(), vals)
		r.Loaded++
	}
	return r, nil
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

// WithPrefix returns sd with every name prefixed (Join(prefix, name)), e.g. to
// load a bare BertModel checkpoint into a model that holds it under "bert".
func WithPrefix(sd []NamedParameter, prefix string) []NamedParameter {
	out := make([]NamedParameter, len(sd))
	for i, p := range sd {
		out[i] = NamedParameter{Join(prefix, p.Name), p.Tensor}
	}
	return out
}

// StripPrefix returns the entries of sd whose names start with prefix + ".",
// with that prefix removed, e.g. the "bert." part of a BertForPreTraining
// checkpoint for a bare BertModel. Other entries are dropped.
func StripPrefix(sd []NamedParameter, prefix string) []NamedParameter {
	var out []NamedParameter
	for _, p := range sd {
		if strings.HasPrefix(p.Name, prefix+".") {
			out = append(out, NamedParameter{p.Name[len(prefix)+1:], p.Tensor})
		}
	}
	return out
}

// problems lists what makes a load fail, for the error message.
func (r LoadReport) problems(strict bool) string {
	var parts []string
	if strict && len(r.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("missing key(s) in state dict: %s", quoteAll(r.Missing)))
	}
	if strict && len(r.Unexpected) > 0 {
		parts = append(parts, fmt.Sprintf("unexpected key(s) in state dict: %s", quoteAll(r.Unexpected)))
	}
	for _, m := range r.Mismatched {
		parts = append(parts, fmt.Sprintf("size mismatch for %s: copying a param with shape %v from checkpoint, the shape in current model is %v", m.Name, m.Checkpoint, m.Model))
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

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
