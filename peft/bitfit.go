package peft

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/autograd"
)

// BitFitConfig configures BitFit (Ben Zaken et al. 2022): train only the bias
// terms of the base model (every Linear bias and every LayerNorm β) plus the
// task head, and nothing else. HF PEFT has no BitFit; this config is saved with
// peft_type "BITFIT" in PEFT's layout, the biases under their base names
// ("base_model.model.bert.encoder.layer.0.attention.self.query.bias").
type BitFitConfig struct {
	CommonConfig
	// BiasPattern, if set, is a regular expression a bias's module path must
	// fully match to be trained (default: every bias).
	BiasPattern string `json:"bias_pattern"`
}

// NewBitFitConfig trains every bias of a sequence classifier and its head.
func NewBitFitConfig() *BitFitConfig {
	return &BitFitConfig{CommonConfig: CommonConfig{PeftType: TypeBitFit, TaskType: TaskSeqCls}}
}

// bitfitState keeps one BitFit adapter's bias values while another adapter
// (or the plain base) has the live tensors. The biases are the base's own
// tensors, so only one set of values can be live at a time; switching
// adapters swaps values in and out.
type bitfitState struct {
	store map[*autograd.Tensor][]float32
}

// injectBitFit selects the base's biases; their current values start the
// adapter.
func (m *Model) injectBitFit(a *adapter, c *BitFitConfig) error {
	m.bitfitSwap("")
	match := func(string) (bool, error) { return true, nil }
	if c.BiasPattern != "" {
		match = TargetRegex(c.BiasPattern).Match
	}
	a.bitfit = &bitfitState{store: map[*autograd.Tensor][]float32{}}
	if m.baseBiases == nil {
		m.baseBiases = map[*autograd.Tensor][]float32{}
	}
	for _, p := range m.Base.NamedParameters("") {
		if !strings.HasSuffix(p.Name, ".bias") || strings.Contains(p.Name, "original_module") || strings.Contains(p.Name, "modules_to_save") {
			continue
		}
		ok, err := match(strings.TrimSuffix(p.Name, ".bias"))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		a.extra = append(a.extra, p)
		if _, ok := m.baseBiases[p.Tensor]; !ok {
			m.baseBiases[p.Tensor] = append([]float32(nil), p.Tensor.Data()...)
		}
		a.bitfit.store[p.Tensor] = append([]float32(nil), m.baseBiases[p.Tensor]...)
	}
	if len(a.extra) == 0 {
		return fmt.Errorf("peft: BitFit adapter %q: no bias matches bias_pattern %q", a.name, c.BiasPattern)
	}
	return nil
}

// bitfitSwap makes the live bias tensors hold adapter to's values ("" = the
// base's), saving the values that were live into their owner's store.
func (m *Model) bitfitSwap(to string) {
	if to == m.bitfitLive {
		return
	}
	storeOf := func(name string) map[*autograd.Tensor][]float32 {
		if a := m.adapters[name]; a != nil && a.bitfit != nil {
			return a.bitfit.store
		}
		return m.baseBiases
	}
	from := storeOf(m.bitfitLive)
	for t := range from {
		copy(from[t], t.Data())
	}
	// Tensors the new owner does not cover get the base values back.
	into := storeOf(to)
	for t, base := range m.baseBiases {
		if v, ok := into[t]; ok {
			copy(t.Data(), v)
		} else {
			copy(t.Data(), base)
		}
	}
	m.bitfitLive = to
	if m.adapters[to] == nil || m.adapters[to].bitfit == nil {
		m.bitfitLive = ""
	}
}
