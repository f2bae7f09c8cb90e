package peft

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// savedPrefix is what PEFT puts before every base-model name in an adapter
// file.
const savedPrefix = "base_model.model."

// AdapterStateDict returns adapter name's tensors under the keys PEFT writes
// to adapter_model.safetensors: "base_model.model.<module>.lora_A.weight"
// (no adapter name), "base_model.model.classifier.weight" for a
// modules_to_save head, "prompt_embeddings" for prompt learning. The tensors
// are the live ones, sorted by key.
func (m *Model) AdapterStateDict(name string) ([]nn.NamedParameter, error) {
	a := m.adapters[name]
	if a == nil {
		return nil, fmt.Errorf("peft: no adapter %q (have %v)", name, m.order)
	}
	var sd []nn.NamedParameter
	for _, l := range a.layers {
		for _, p := range l.layer.adapterParams(name) {
			sd = append(sd, nn.NamedParameter{Name: savedPrefix + l.path + "." + p.Name, Tensor: p.Tensor})
		}
	}
	for _, p := range a.extra {
		sd = append(sd, nn.NamedParameter{Name: savedPrefix + p.Name, Tensor: p.Tensor})
	}
	sd = append(sd, m.methodSaved(a)...)
	sort.Slice(sd, func(i, j int) bool { return sd[i].Name < sd[j].Name })
	return sd, nil
}

// SaveAdapter writes adapter name to dir as PEFT does: adapter_config.json
// (inference_mode set to true, as PEFT writes it) and
// adapter_model.safetensors. Both files are written atomically.
func (m *Model) SaveAdapter(name, dir string) error {
	a := m.adapters[name]
	if a == nil {
		return fmt.Errorf("peft: no adapter %q (have %v)", name, m.order)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	m.bitfitSwap(name) // a BitFit adapter's values must be the live ones
	defer m.apply()
	sd, err := m.AdapterStateDict(name)
	if err != nil {
		return err
	}
	if err := m.beforeSave(a, &sd); err != nil {
		return err
	}
	if err := nn.SaveStateDict(sd, filepath.Join(dir, WeightsFileName), map[string]string{"format": "pt"}); err != nil {
		return err
	}
	cc := a.cfg.Common()
	was := cc.InferenceMode
	cc.InferenceMode = true
	err = SaveConfig(a.cfg, dir)
	cc.InferenceMode = was
	return err
}

// SavePretrained writes every adapter as PEFT's save_pretrained does: the
// "default" adapter in dir itself, any other in dir/<name>.
func (m *Model) SavePretrained(dir string) error {
	for _, n := range m.order {
		d := dir
		if n != DefaultAdapterName {
			d = filepath.Join(dir, n)
		}
		if err := m.SaveAdapter(n, d); err != nil {
			return err
		}
	}
	return nil
}

// FromPretrained puts the adapter saved in dir (by this package or by HF
// PEFT) onto base as adapter "default" (PEFT's PeftModel.from_pretrained).
// Like PEFT, the loaded adapter is frozen when its config says
// inference_mode (as saved files do); set trainable to train it further.
func FromPretrained(base nn.Module, dir string, trainable bool) (*Model, error) {
	m := newModel(base)
	nn.Freeze(base)
	if err := m.LoadAdapter(dir, DefaultAdapterName, trainable); err != nil {
		return nil, err
	}
	return m, nil
}

// LoadAdapter reads the adapter in dir and adds it under name (PEFT's
// load_adapter). Every tensor the adapter needs must be in the file and the
// file must hold nothing else; shapes must match. The active adapter does
// not change (unless this is the first).
func (m *Model) LoadAdapter(dir, name string, trainable bool) error {
	cfg, err := LoadConfig(dir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, WeightsFileName)
	f, err := safetensors.Open(path)
	if err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	cfg.Common().InferenceMode = !trainable
	if err := m.beforeLoad(cfg, f); err != nil {
		return fmt.Errorf("peft: %s: %w", path, err)
	}
	if err := m.AddAdapter(name, cfg); err != nil {
		// A config value the method refuses: say which file holds it.
		return fmt.Errorf("%s: %w", filepath.Join(dir, ConfigFileName), err)
	}
	m.bitfitSwap(name)
	if err := m.copyIn(name, f); err != nil {
		_ = m.DeleteAdapter(name)
		return err
	}
	m.apply()
	return nil
}

// copyIn copies the file's tensors into adapter name's live tensors by key
// with nn's loader in strict mode: the file must hold every tensor of the
// adapter and nothing else, in the adapter's shapes; nothing is copied
// otherwise.
func (m *Model) copyIn(name string, f *safetensors.File) error {
	sd, err := m.AdapterStateDict(name)
	if err != nil {
		return err
	}
	if _, err := nn.LoadSafetensorsFrom(adapterTensors(sd), f, nn.LoadOptions{Strict: true}); err != nil {
		return fmt.Errorf("peft: adapter %q: %w", name, err)
	}
	return nil
}

// adapterTensors is an adapter's state dict as an nn.Module, so that nn's
// loader can fill it.
type adapterTensors []nn.NamedParameter

// NamedParameters returns the adapter's tensors under prefix.
func (a adapterTensors) NamedParameters(prefix string) []nn.NamedParameter {
	out := make([]nn.NamedParameter, len(a))
	for i, p := range a {
		out[i] = nn.NamedParameter{Name: prefix + p.Name, Tensor: p.Tensor}
	}
	return out
}

// SetTraining does nothing: the tensors are the adapter layers' own.
func (a adapterTensors) SetTraining(bool) {}

// keyLayer splits a saved key "base_model.model.<path>.<local>" at the given
// local suffix, returning the module path.
func keyLayer(key, local string) (string, bool) {
	if !strings.HasPrefix(key, savedPrefix) || !strings.HasSuffix(key, "."+local) {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(key, savedPrefix), "."+local), true
}
