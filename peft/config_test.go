package peft

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// TestConfigFieldNames checks that every config writes PEFT's field names
// and decodes back by its peft_type.
func TestConfigFieldNames(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		keys []string
	}{
		{NewLoraConfig(), []string{"r", "lora_alpha", "lora_dropout", "target_modules", "bias", "use_rslora", "init_lora_weights", "modules_to_save", "layers_to_transform"}},
		{NewAdaLoraConfig(100), []string{"target_r", "init_r", "tinit", "tfinal", "deltaT", "beta1", "beta2", "orth_reg_weight", "total_step", "rank_pattern", "lora_alpha", "target_modules"}},
		{NewIA3Config(), []string{"target_modules", "feedforward_modules", "init_ia3_weights", "fan_in_fan_out"}},
		{NewPrefixTuningConfig(4), []string{"num_virtual_tokens", "token_dim", "num_transformer_submodules", "num_attention_heads", "num_layers", "encoder_hidden_size", "prefix_projection"}},
		{NewPromptTuningConfig(4), []string{"num_virtual_tokens", "prompt_tuning_init", "prompt_tuning_init_text", "tokenizer_name_or_path"}},
		{NewBitFitConfig(), []string{"bias_pattern"}},
		{NewHoulsbyConfig(), []string{"mh_adapter", "output_adapter", "reduction_factor", "non_linearity", "residual"}},
	} {
		dir := t.TempDir()
		if err := SaveConfig(tc.cfg, dir); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, ConfigFileName))
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range append(tc.keys, "peft_type", "task_type", "inference_mode", "base_model_name_or_path") {
			if _, ok := m[k]; !ok {
				t.Errorf("%s config lacks %q", tc.cfg.Common().PeftType, k)
			}
		}
		back, err := LoadConfig(dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.Common().PeftType != tc.cfg.Common().PeftType {
			t.Errorf("decoded %T for %s", back, tc.cfg.Common().PeftType)
		}
	}
	if _, err := ParseConfig([]byte(`{"peft_type": "LOHA"}`), "x.json"); err == nil || !strings.Contains(err.Error(), "LOHA") {
		t.Errorf("unknown peft_type gave %v", err)
	}
	var tg Targets
	if err := json.Unmarshal([]byte(`".*query"`), &tg); err != nil || tg.Regex != ".*query" {
		t.Errorf("regex target_modules decoded as %+v (%v)", tg, err)
	}
}

// TestLoadRejectsMismatchedFiles checks that a wrong shape or an extra tensor
// in adapter_model.safetensors is an error naming it, and leaves no adapter.
func TestLoadRejectsMismatchedFiles(t *testing.T) {
	m, _ := tinyBert(t, 41)
	pm, err := New(m, NewLoraConfig())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	sd, _, err := nn.ReadSafetensors(filepath.Join(dir, WeightsFileName))
	if err != nil {
		t.Fatal(err)
	}
	var entries []safetensors.Entry
	for _, p := range sd {
		shape, data := p.Tensor.Shape(), p.Tensor.Data()
		if strings.HasSuffix(p.Name, "layer.0.attention.self.query.lora_A.weight") {
			shape, data = []int{shape[0] - 1, shape[1]}, data[:len(data)-shape[1]]
		}
		entries = append(entries, safetensors.F32Entry(p.Name, shape, data))
	}
	entries = append(entries, safetensors.F32Entry("base_model.model.extra.weight", []int{1}, []float32{1}))
	if err := safetensors.Save(filepath.Join(dir, WeightsFileName), entries, nil); err != nil {
		t.Fatal(err)
	}
	fresh, _ := tinyBert(t, 41)
	_, err = FromPretrained(fresh, dir, false)
	if err == nil || !strings.Contains(err.Error(), "query.lora_A.weight: copying a param with shape [7 16] from checkpoint, the shape in current model is [8 16]") || !strings.Contains(err.Error(), "extra.weight") {
		t.Fatalf("mismatched file gave %v", err)
	}
	for _, nm := range nn.NamedModules(fresh, "") {
		if _, ok := nm.Module.(tunerLayer); ok {
			t.Fatalf("%s left wrapped after a failed load", nm.Name)
		}
	}
}

// A config value the method refuses, found by FuzzLoadAdapter: the error
// named neither adapter_config.json nor its folder.
func TestLoadNamesTheConfigFileOfABadValue(t *testing.T) {
	m, _ := tinyBert(t, 41)
	pm, err := New(m, NewLoraConfig())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ConfigFileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(`"bias": "none"`), []byte(`"bias": "nonYYYYe"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh, _ := tinyBert(t, 41)
	_, err = FromPretrained(fresh, dir, false)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `bias is "nonYYYYe"`) {
		t.Fatalf("a bad bias value gave %v, want an error naming %s and the value", err, path)
	}
}
