package peft

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
)

// DefaultAdapterName is the name New gives the first adapter, as PEFT does.
const DefaultAdapterName = "default"

// Model is a base model with named adapters, PEFT's PeftModel. The base is
// adapted in place (its layers are wrapped; its own weights are frozen through
// their requires-grad flags, never copied), so the base model value keeps
// working with the active adapter: a Trainer or a SequenceClassificationTask
// given the base sees the adapter. Only prompt tuning (which lengthens the
// input) and AdaLoRA's orthogonal regularisation need Model.Forward.
//
// Parameter names are PEFT's: "base_model.model.<base name>" for everything in
// the base, "...query.lora_A.<adapter>.weight" for LoRA, and
// "prompt_encoder.<adapter>.embedding.weight" for prefix and prompt tuning.
type Model struct {
	Base nn.Module   // the adapted task model (e.g. *bert.ForSequenceClassification, *gpt2.LMHeadModel)
	Bert *bert.Model // the BERT encoder in Base's module tree (nil if there is none)
	GPT2 *gpt2.Model // the GPT-2 transformer in Base's module tree (nil if there is none)
	// RNG initialises new adapters and drives their dropout.
	RNG *autograd.RNG

	adapters map[string]*adapter
	order    []string
	active   string
	disabled bool
	training bool

	// BitFit trains the base's own bias tensors: bitfitLive names the adapter
	// whose values they hold ("" = the base's), baseBiases keeps the base's.
	bitfitLive string
	baseBiases map[*autograd.Tensor][]float32

	warnings []string // warnings.go
}

// adapter is one named adapter: its config and everything it added.
type adapter struct {
	name   string
	cfg    Config
	layers []adapterLayer // wrapped layers (tuners and modules_to_save)
	// extra are base tensors the adapter trains and saves (LoRA bias
	// "all"/"lora_only", BitFit's biases), under their base names.
	extra     []nn.NamedParameter
	unhook    func() // removes an encoder hook (prefix tuning)
	bitfit    *bitfitState
	prompt    *PromptEncoder // prefix and prompt tuning
	allocator *RankAllocator // AdaLoRA
}

// adapterLayer is a wrapped module and its dotted path in the base.
type adapterLayer struct {
	path  string
	layer tunerLayer
}

// tunerLayer is a layer that a method wrapped around a base layer.
type tunerLayer interface {
	nn.Layer
	setActive(name string)
	removeAdapter(name string) (empty bool)
	inner() nn.Layer
	adapterParams(name string) []nn.NamedParameter
}

// New wraps base with one adapter called "default" made from cfg (PEFT's
// get_peft_model). The base's parameters are frozen; the adapter's are
// trainable; for a sequence classifier the classifier is added to
// modules_to_save so it is trained and saved with the adapter.
func New(base nn.Module, cfg Config) (*Model, error) {
	return NewNamed(base, DefaultAdapterName, cfg)
}

// NewNamed is New with the first adapter's name given.
func NewNamed(base nn.Module, name string, cfg Config) (*Model, error) {
	if base == nil {
		return nil, fmt.Errorf("peft: base model is nil")
	}
	m := newModel(base)
	nn.Freeze(base)
	if err := m.AddAdapter(name, cfg); err != nil {
		return nil, err
	}
	return m, nil
}

// bertWithoutClassifier reports whether base is one of package bert's
// models that has no sequence classifier (the bare encoder, the token
// classifier, the masked-LM and pretraining models): for those a SEQ_CLS
// config does not add "classifier" and "score" to modules_to_save.
func bertWithoutClassifier(base nn.Module) bool {
	switch base.(type) {
	case *bert.Model, *bert.ForTokenClassification, *bert.ForMaskedLM, *bert.ForPreTraining:
		return true
	}
	return false
}

// AddAdapter adds a new adapter made from cfg under name (PEFT's
// add_adapter). The active adapter does not change, except that the first
// adapter becomes active. cfg itself is left as it was: the adapter keeps a
// copy with the defaults filled in (peft_type, bias, the classifier in
// modules_to_save), which AdapterConfig returns and SavePretrained writes.
func (m *Model) AddAdapter(name string, cfg Config) error {
	if name == "" || strings.ContainsAny(name, ". ") {
		return fmt.Errorf("peft: adapter name %q must be non-empty without dots or spaces", name)
	}
	if _, ok := m.adapters[name]; ok {
		return fmt.Errorf("peft: adapter %q already exists (have %v)", name, m.order)
	}
	if cfg == nil || reflect.ValueOf(cfg).IsNil() {
		return fmt.Errorf("peft: adapter %q: config is nil", name)
	}
	cfg = copyConfig(cfg)
	cc := cfg.Common()
	if cc.TaskType == TaskSeqCls {
		if !bertWithoutClassifier(m.Base) {
			cc.ModulesToSave = addMissing(cc.ModulesToSave, "classifier", "score")
		}
	}
	a := &adapter{name: name, cfg: cfg}
	// The heads first, so that no method adapts (or BitFit trains) what
	// modules_to_save already copies.
	err := m.injectModulesToSave(a, cc.ModulesToSave)
	if err == nil {
		err = m.injectMethod(a, cfg)
	}
	if err != nil {
		m.undo(a)
		return err
	}
	m.adapters[name] = a
	m.order = append(m.order, name)
	if m.active == "" {
		m.active = name
	}
	m.apply()
	return nil
}

// copyConfig returns a copy of cfg for an adapter to fill in and update
// (AdaLoRA's rank_pattern changes as it trains) without touching the
// caller's value. Maps and slices the adapter only replaces are shared; the
// list that is appended to (modules_to_save) is copied.
func copyConfig(cfg Config) Config {
	v := reflect.ValueOf(cfg).Elem()
	cp := reflect.New(v.Type())
	cp.Elem().Set(v)
	out := cp.Interface().(Config)
	cc := out.Common()
	cc.ModulesToSave = append([]string(nil), cc.ModulesToSave...)
	return out
}

// injectMethod adds what cfg's method needs to the base for adapter a.
func (m *Model) injectMethod(a *adapter, cfg Config) error {
	switch c := cfg.(type) {
	case *LoraConfig:
		c.PeftType = TypeLoRA
		return m.injectLoRA(a, c)
	case *AdaLoraConfig:
		c.PeftType = TypeAdaLoRA
		return m.injectAdaLoRA(a, c)
	case *IA3Config:
		c.PeftType = TypeIA3
		return m.injectIA3(a, c)
	case *BitFitConfig:
		c.PeftType = TypeBitFit
		return m.injectBitFit(a, c)
	case *BottleneckConfig:
		c.PeftType = TypeBottleneck
		return m.injectBottleneck(a, c)
	case *PrefixTuningConfig:
		c.PeftType = TypePrefixTuning
		return m.injectPrefix(a, c)
	case *PromptTuningConfig:
		c.PeftType = TypePromptTuning
		return m.injectPrompt(a, c)
	default:
		return fmt.Errorf("peft: unsupported config type %T", cfg)
	}
}

// addMissing appends the names list lacks.
func addMissing(list []string, names ...string) []string {
	for _, n := range names {
		found := false
		for _, x := range list {
			found = found || x == n
		}
		if !found {
			list = append(list, n)
		}
	}
	return list
}

// wrap finds the layers of the base whose paths match and calls build for
// each: build returns the tuner layer to use (a new wrapper, or the existing
// one when the module is already wrapped by the same method). It fails when no
// module matched, as PEFT does.
func (m *Model) wrap(a *adapter, what string, match func(path string) (bool, error), build func(path string, mod nn.Module) (tunerLayer, error)) error {
	found := 0
	for _, nm := range nn.NamedModules(m.Base, "") {
		if nm.Name == "" {
			continue
		}
		ok, err := match(nm.Name)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		t, err := build(nm.Name, nm.Module)
		if err != nil {
			return err
		}
		if t == nil {
			continue
		}
		if t != nm.Module {
			if err := nn.ReplaceModule(m.Base, nm.Name, t); err != nil {
				return fmt.Errorf("peft: cannot wrap %s: %w", nm.Name, err)
			}
		}
		a.layers = append(a.layers, adapterLayer{path: nm.Name, layer: t})
		found++
	}
	if found == 0 {
		return fmt.Errorf("peft: adapter %q: %s not found in the base model", a.name, what)
	}
	return nil
}

// injectModulesToSave wraps every module whose path ends with one of names
// (PEFT's rule: a plain suffix test) and gives the adapter its own copy.
func (m *Model) injectModulesToSave(a *adapter, names []string) error {
	for _, nm := range nn.NamedModules(m.Base, "") {
		hit := false
		for _, n := range names {
			hit = hit || (nm.Name != "" && strings.HasSuffix(nm.Name, n))
		}
		if !hit {
			continue
		}
		w, ok := nm.Module.(*ModulesToSave)
		if !ok {
			var err error
			if w, err = newModulesToSave(nm.Name, nm.Module); err != nil {
				return err
			}
			if err := nn.ReplaceModule(m.Base, nm.Name, w); err != nil {
				return fmt.Errorf("peft: modules_to_save %s: %w", nm.Name, err)
			}
		}
		w.addCopy(a.name)
		a.layers = append(a.layers, adapterLayer{path: nm.Name, layer: w})
	}
	return nil
}

// undo removes whatever a half-built adapter added.
func (m *Model) undo(a *adapter) {
	for _, l := range a.layers {
		if l.layer.removeAdapter(a.name) {
			_ = nn.ReplaceModule(m.Base, l.path, l.layer.inner())
		}
	}
	if a.unhook != nil {
		a.unhook()
		a.unhook = nil
	}
}

// SetAdapter makes adapter name the active one (PEFT's set_adapter): its
// parameters become the trainable ones and its layers run.
func (m *Model) SetAdapter(name string) error {
	if _, ok := m.adapters[name]; !ok {
		return fmt.Errorf("peft: no adapter %q (have %v)", name, m.order)
	}
	if m.isMergedAny() {
		return fmt.Errorf("peft: unmerge before switching adapters")
	}
	m.active = name
	m.apply()
	return nil
}

// ActiveAdapter is the name of the active adapter.
func (m *Model) ActiveAdapter() string { return m.active }

// Adapters lists the adapter names in the order they were added.
func (m *Model) Adapters() []string { return append([]string(nil), m.order...) }

// AdapterConfig returns adapter name's config (nil if there is none).
func (m *Model) AdapterConfig(name string) Config {
	if a := m.adapters[name]; a != nil {
		return a.cfg
	}
	return nil
}

// DisableAdapters makes the model compute as the base model (PEFT's
// disable_adapter context), until EnableAdapters.
func (m *Model) DisableAdapters() { m.disabled = true; m.apply() }

// EnableAdapters turns the active adapter back on.
func (m *Model) EnableAdapters() { m.disabled = false; m.apply() }

// AdaptersDisabled reports whether DisableAdapters is in effect.
func (m *Model) AdaptersDisabled() bool { return m.disabled }

// DeleteAdapter removes adapter name and everything it added; wrapped layers
// with no adapter left are put back as they were. Deleting the active adapter
// makes the first remaining one active.
func (m *Model) DeleteAdapter(name string) error {
	a, ok := m.adapters[name]
	if !ok {
		return fmt.Errorf("peft: no adapter %q (have %v)", name, m.order)
	}
	m.bitfitSwap("") // the base's biases back in the live tensors
	m.undo(a)
	delete(m.adapters, name)
	m.order = remove(m.order, name)
	if m.active == name {
		m.active = ""
		if len(m.order) > 0 {
			m.active = m.order[0]
		}
	}
	m.apply()
	return nil
}

// apply wires the active adapter in and every other one out, and sets which
// parameters are trainable: exactly the active adapter's.
func (m *Model) apply() {
	on := m.active
	if m.disabled {
		on = ""
	}
	for _, n := range m.order {
		a := m.adapters[n]
		for _, l := range a.layers {
			l.layer.setActive("")
		}
		if a.unhook != nil && n != on {
			a.unhook()
			a.unhook = nil
		}
	}
	m.bitfitSwap(on)
	if a := m.adapters[on]; a != nil {
		for _, l := range a.layers {
			l.layer.setActive(on)
		}
		if a.prompt != nil && a.prompt.Prefix && a.unhook == nil && m.Bert != nil {
			a.unhook = m.hookPrefix(a.prompt)
		}
	}
	nn.Freeze(m)
	if a := m.adapters[m.active]; a != nil && !a.cfg.Common().InferenceMode {
		for _, p := range m.adapterTrainables(a) {
			p.SetRequiresGrad(true)
		}
	}
}

// adapterTrainables lists the tensors adapter a trains.
func (m *Model) adapterTrainables(a *adapter) []*autograd.Tensor {
	var ts []*autograd.Tensor
	for _, l := range a.layers {
		for _, p := range l.layer.adapterParams(a.name) {
			ts = append(ts, p.Tensor)
		}
	}
	for _, p := range a.extra {
		ts = append(ts, p.Tensor)
	}
	if a.prompt != nil {
		for _, p := range a.prompt.NamedParameters("") {
			ts = append(ts, p.Tensor)
		}
	}
	return ts
}

// NamedParameters lists the base's parameters (with the wrapped layers' adapter
// parameters) under "base_model.model", then the prompt encoders under
// "prompt_encoder.<adapter>", PEFT's names.
func (m *Model) NamedParameters(prefix string) []nn.NamedParameter {
	ps := m.Base.NamedParameters(nn.Join(prefix, "base_model.model"))
	for _, n := range m.order {
		if a := m.adapters[n]; a.prompt != nil {
			ps = append(ps, a.prompt.NamedParameters(nn.Join(prefix, "prompt_encoder."+n))...)
		}
	}
	return ps
}

// SetTraining switches the base and the adapters between training and
// evaluation mode.
func (m *Model) SetTraining(train bool) {
	m.training = train
	m.Base.SetTraining(train)
}

// String prints the model with its adapters.
func (m *Model) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PeftModel(adapters=%v, active=%q, disabled=%v)\n", m.order, m.active, m.disabled)
	paths := []string{}
	for _, a := range m.adapters {
		for _, l := range a.layers {
			paths = append(paths, l.path)
		}
	}
	sort.Strings(paths)
	for i, p := range paths {
		if i == 0 || paths[i-1] != p {
			mod, err := nn.GetModule(m.Base, p)
			if err != nil {
				fmt.Fprintf(&b, "  %s: %v\n", p, err)
				continue
			}
			fmt.Fprintf(&b, "  %s: %v\n", p, mod)
		}
	}
	return b.String()
}
