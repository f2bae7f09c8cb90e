package peft

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/nn"
)

// TestEveryMethodAddsAndDeletesCleanly adds each method with random-ish
// weights, checks that it changes the output and prints, merges and unmerges
// where it can, then deletes it and checks that the base is exactly back.
func TestEveryMethodAddsAndDeletesCleanly(t *testing.T) {
	ada := NewAdaLoraConfig(10)
	ada.InitLoraWeights = LoraInitRandom
	ia3 := NewIA3Config()
	ia3.InitIA3Weights = false
	lora := NewLoraConfig()
	lora.InitLoraWeights, lora.LayersToTransform = LoraInitRandom, []int{1}
	for _, cfg := range []Config{lora, ada, ia3, NewHoulsbyConfig(), NewPfeifferConfig(), NewPrefixTuningConfig(2)} {
		name := cfg.Common().PeftType
		m, in := tinyBert(t, 51)
		plain := logits(t, m, in)
		saveBefore := len(cfg.Common().ModulesToSave)
		pm, err := New(m, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := pm.String(); !strings.Contains(s, "PeftModel(adapters=[default]") {
			t.Errorf("%s: String() = %q", name, s)
		}
		got := pm.AdapterConfig(DefaultAdapterName)
		if got == cfg || reflect.TypeOf(got) != reflect.TypeOf(cfg) || got.Common().PeftType != name || pm.AdaptersDisabled() {
			t.Errorf("%s: config (want the adapter's own copy) or disabled flag wrong", name)
		}
		if n := len(cfg.Common().ModulesToSave); n != saveBefore || len(got.Common().ModulesToSave) == 0 {
			t.Errorf("%s: modules_to_save: the caller's has %d entries (had %d), the adapter's %v", name, n, saveBefore, got.Common().ModulesToSave)
		}
		adapted := logits(t, m, in)
		if maxDiff(plain, adapted) == 0 {
			t.Errorf("%s: the adapter does not change the output", name)
		}
		for _, nm := range nn.NamedModules(m, "") {
			if l, ok := nm.Module.(tunerLayer); ok {
				if fmt.Sprint(l) == "" {
					t.Errorf("%s: %s prints empty", name, nm.Name)
				}
				if lora == cfg && strings.Contains(nm.Name, "layer.0.") {
					t.Errorf("layers_to_transform [1] adapted %s", nm.Name)
				}
			}
		}
		if mergeable(pm.adapters[DefaultAdapterName]) {
			if err := pm.Merge(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if d := maxDiff(adapted, logits(t, m, in)); d > 1e-4 {
				t.Errorf("%s: merged output differs by %g", name, d)
			}
			if err := pm.SetAdapter(DefaultAdapterName); err == nil {
				t.Errorf("%s: switching adapters while merged must fail", name)
			}
			pm.Unmerge()
			if d := maxDiff(adapted, logits(t, m, in)); d > 1e-4 {
				t.Errorf("%s: unmerged output differs by %g", name, d)
			}
		} else {
			if _, err := pm.MergeAndUnload(); err == nil {
				t.Errorf("%s cannot be merged, MergeAndUnload must fail", name)
			}
			if err := pm.Merge(); err == nil {
				t.Errorf("%s cannot be merged, Merge must fail", name)
			}
		}
		if err := pm.DeleteAdapter(DefaultAdapterName); err != nil {
			t.Fatal(err)
		}
		for _, nm := range nn.NamedModules(m, "") {
			if _, ok := nm.Module.(tunerLayer); ok {
				t.Errorf("%s: %s still wrapped after delete", name, nm.Name)
			}
		}
		if d := maxDiff(plain, logits(t, m, in)); d > 1e-6 {
			t.Errorf("%s: after delete the output differs from the base by %g", name, d)
		}
	}
}

// TestConfigValidation checks that bad settings are errors naming the field.
func TestConfigValidation(t *testing.T) {
	bad := []struct {
		cfg  Config
		want string
	}{
		{&LoraConfig{R: 0, TargetModules: TargetNames("query")}, "r is 0"},
		{&LoraConfig{R: 2, LoraDropout: 1, TargetModules: TargetNames("query")}, "lora_dropout"},
		{&LoraConfig{R: 2, Bias: "some", TargetModules: TargetNames("query")}, "bias"},
		{&LoraConfig{R: 2, UseDoRA: true, TargetModules: TargetNames("query")}, "use_dora"},
		{&LoraConfig{R: 2}, "target_modules is empty"},
		{&LoraConfig{R: 2, TargetModules: TargetRegex("(")}, "regex"},
		{&LoraConfig{R: 2, TargetModules: TargetNames("attention")}, "supports nn.Linear and nn.Conv1D"},
		{func() Config { c := NewAdaLoraConfig(10); c.Tinit = 10; return c }(), "no budgeting phase"},
		{NewAdaLoraConfig(0), "total_step"},
		{func() Config { c := NewHoulsbyConfig(); c.NonLinearity = "cube"; return c }(), "non_linearity"},
		{NewPromptTuningConfig(0), "num_virtual_tokens"},
		{func() Config { c := NewPromptTuningConfig(2); c.PromptTuningInit = PromptInitText; return c }(), "prompt_tuning_init_text"},
		{func() Config { c := NewPrefixTuningConfig(2); c.NumLayers = 7; return c }(), "do not fit the model"},
		{func() Config { c := NewBitFitConfig(); c.BiasPattern = "nothing"; return c }(), "no bias matches"},
	}
	for _, tc := range bad {
		m, in := tinyBert(t, 52)
		plain := logits(t, m, in)
		_, err := New(m, tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: error %v, want one mentioning %q", tc.cfg, err, tc.want)
		}
		for _, nm := range nn.NamedModules(m, "") {
			if _, ok := nm.Module.(tunerLayer); ok {
				t.Errorf("%T: %s left wrapped after a failed New", tc.cfg, nm.Name)
			}
		}
		if d := maxDiff(plain, logits(t, m, in)); d != 0 {
			t.Errorf("%T: a failed New changed the model by %g", tc.cfg, d)
		}
	}
	if _, err := New(nil, NewLoraConfig()); err == nil {
		t.Error("New(nil) did not fail")
	}
	m, _ := tinyBert(t, 53)
	pm, _ := New(m, NewLoraConfig())
	for _, name := range []string{"", "a.b", DefaultAdapterName} {
		if err := pm.AddAdapter(name, NewLoraConfig()); err == nil {
			t.Errorf("adapter name %q accepted", name)
		}
	}
	if err := pm.DeleteAdapter("nope"); err == nil {
		t.Error("deleting an unknown adapter did not fail")
	}
}
