package peft

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/turinglab/turinglab/nn"
)

// injectLoRA wraps every target nn.Linear or nn.Conv1D in a LoraLinear (or
// adds a branch to one already wrapped) with the config's rank, scaling and
// init, honouring rank_pattern/alpha_pattern and bias. As PEFT does,
// fan_in_fan_out follows the target's layout: true for a Conv1D, false for a
// Linear, with a warning (Model.Warnings) when the config said otherwise.
// c is the adapter's own copy of the config (see AddAdapter), so filling in
// its defaults leaves the caller's config alone; the patterns are compiled
// once here, and a key that is not a valid regular expression is an error.
func (m *Model) injectLoRA(a *adapter, c *LoraConfig) error {
	if c.Bias == "" {
		c.Bias = "none"
	}
	if c.InitLoraWeights == "" {
		c.InitLoraWeights = LoraInitDefault
	}
	if err := c.validate(); err != nil {
		return err
	}
	ranks, err := compileKeyPatterns("LoraConfig.rank_pattern", c.RankPattern)
	if err != nil {
		return err
	}
	alphas, err := compileKeyPatterns("LoraConfig.alpha_pattern", c.AlphaPattern)
	if err != nil {
		return err
	}
	err = m.wrap(a, fmt.Sprintf("target_modules %v", c.TargetModules), c.TargetModules.Match, func(path string, mod nn.Module) (tunerLayer, error) {
		if !layerAllowed(path, c.LayersToTransform) {
			return nil, nil
		}
		var l *LoraLinear
		switch t := mod.(type) {
		case *LoraLinear:
			l = t
		case *nn.Linear, *nn.Conv1D:
			l = newLoraLinear(t.(nn.Layer))
		case tunerLayer:
			return nil, fmt.Errorf("peft: %s already carries a %T adapter; mixing methods on one layer is not supported", path, t)
		default:
			return nil, fmt.Errorf("peft: target module %s is a %T; LoRA supports nn.Linear and nn.Conv1D (GPT-2)", path, mod)
		}
		m.fanInFanOutRule(&c.FanInFanOut, l.FanInFanOut, path, "LoraConfig")
		r, alpha := c.R, c.LoraAlpha
		if v, ok := ranks.lookup(path); ok {
			r = v
		}
		if v, ok := alphas.lookup(path); ok {
			alpha = float64(v)
		}
		cc := *c
		cc.R, cc.LoraAlpha = r, alpha
		l.addBranch(a.name, r, cc.Scaling(), c.LoraDropout, c.InitLoraWeights, m.RNG)
		return l, nil
	})
	if err != nil {
		return err
	}
	// bias: "all" trains every bias of the base, "lora_only" those of the
	// adapted layers (PEFT's mark_only_lora_as_trainable).
	switch c.Bias {
	case "all":
		for _, p := range m.Base.NamedParameters("") {
			if strings.HasSuffix(p.Name, ".bias") && !strings.Contains(p.Name, "original_module") && !strings.Contains(p.Name, "modules_to_save") {
				a.extra = append(a.extra, p)
			}
		}
	case "lora_only":
		for _, l := range a.layers {
			if ll, ok := l.layer.(*LoraLinear); ok && ll.weights().bias != nil {
				a.extra = append(a.extra, nn.NamedParameter{Name: l.path + ".bias", Tensor: ll.weights().bias})
			}
		}
	}
	return nil
}

// layerIndex finds the layer number in a module path ("...layer.3....").
var layerIndex = regexp.MustCompile(`\.layer\.(\d+)\.`)

// layerAllowed applies layers_to_transform: a path "...layer.<i>...." is
// adapted only when i is listed (all when the list is empty).
func layerAllowed(path string, layers []int) bool {
	if len(layers) == 0 {
		return true
	}
	mm := layerIndex.FindStringSubmatch(path + ".")
	if mm == nil {
		return false
	}
	for _, i := range layers {
		if fmt.Sprint(i) == mm[1] {
			return true
		}
	}
	return false
}

// Merge adds the active adapter's update into the base weights of every
// layer it adapts (LoRA and AdaLoRA: W += scaling·BA; IA3: W scaled), so the
// model computes the same function without the extra branch (PEFT's
// merge_adapter). Unmerge undoes it.
func (m *Model) Merge() error {
	a := m.adapters[m.active]
	if a == nil {
		return fmt.Errorf("peft: no active adapter to merge")
	}
	if !mergeable(a) {
		return fmt.Errorf("peft: adapter %q (%s) cannot be merged into the weights", a.name, a.cfg.Common().PeftType)
	}
	for _, l := range a.layers {
		if mg, ok := l.layer.(merger); ok {
			if err := mg.merge(a.name); err != nil {
				return fmt.Errorf("peft: merge %s: %w", l.path, err)
			}
		}
	}
	return nil
}

// Unmerge subtracts merged updates from the base weights again (PEFT's
// unmerge_adapter).
func (m *Model) Unmerge() {
	for _, a := range m.adapters {
		for _, l := range a.layers {
			if mg, ok := l.layer.(merger); ok {
				mg.unmerge()
			}
		}
	}
}

// isMergedAny reports whether any layer holds a merged update.
func (m *Model) isMergedAny() bool {
	for _, a := range m.adapters {
		for _, l := range a.layers {
			if mg, ok := l.layer.(merger); ok && mg.isMerged(a.name) {
				return true
			}
		}
	}
	return false
}

// MergeAndUnload merges the active adapter into the base weights, removes
// every wrapper (the adapted layers become plain nn.Linear or nn.Conv1D again, the
// modules_to_save heads become the active adapter's trained copies) and
// returns the base model, now an ordinary model with no PEFT in it (PEFT's
// merge_and_unload). The Model must not be used afterwards.
func (m *Model) MergeAndUnload() (nn.Module, error) {
	a := m.adapters[m.active]
	if a == nil {
		return nil, fmt.Errorf("peft: no active adapter to merge")
	}
	for _, x := range m.adapters {
		if !mergeable(x) {
			return nil, fmt.Errorf("peft: adapter %q (%s) cannot be merged into the weights", x.name, x.cfg.Common().PeftType)
		}
	}
	if err := m.Merge(); err != nil {
		return nil, err
	}
	for _, x := range m.adapters {
		for _, l := range x.layers {
			cur, err := nn.GetModule(m.Base, l.path)
			if err != nil {
				return nil, fmt.Errorf("peft: MergeAndUnload: adapter %q: %w", x.name, err)
			}
			if cur != nn.Module(l.layer) {
				continue // already unwrapped through another adapter
			}
			var repl nn.Module = l.layer.inner()
			if w, ok := l.layer.(*ModulesToSave); ok && w.Copies[m.active] != nil {
				repl = w.Copies[m.active]
			}
			if err := nn.ReplaceModule(m.Base, l.path, repl); err != nil {
				return nil, err
			}
		}
	}
	nn.Unfreeze(m.Base)
	base := m.Base
	*m = Model{}
	return base, nil
}

// mergeable reports whether a's effect can live in the base weights: every
// tuner layer can merge (LoRA, AdaLoRA, IA3) or there is none (BitFit
// trains the base's own biases); prompts and bottleneck adapters cannot.
func mergeable(a *adapter) bool {
	if a.prompt != nil {
		return false
	}
	for _, l := range a.layers {
		if _, ok := l.layer.(merger); !ok {
			if _, mts := l.layer.(*ModulesToSave); !mts {
				return false
			}
		}
	}
	return true
}

// merger is a tuner layer whose update can be folded into the base weight.
type merger interface {
	merge(name string) error
	unmerge()
	isMerged(name string) bool
}
