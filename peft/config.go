package peft

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// ConfigFileName is the name PEFT gives an adapter's configuration file.
const ConfigFileName = "adapter_config.json"

// WeightsFileName is the name PEFT gives an adapter's weights file.
const WeightsFileName = "adapter_model.safetensors"

// PEFT's peft_type values, as written in adapter_config.json. BITFIT and
// BOTTLENECK are this package's own (HF PEFT has neither method).
const (
	TypeLoRA         = "LORA"
	TypeAdaLoRA      = "ADALORA"
	TypeIA3          = "IA3"
	TypePrefixTuning = "PREFIX_TUNING"
	TypePromptTuning = "PROMPT_TUNING"
	TypeBitFit       = "BITFIT"
	TypeBottleneck   = "BOTTLENECK"
)

// PEFT's task_type values this package knows. SEQ_CLS adds the classifier to
// modules_to_save automatically, as PEFT does.
const (
	TaskSeqCls      = "SEQ_CLS"
	TaskTokenCls    = "TOKEN_CLS"
	TaskFeatureExtr = "FEATURE_EXTRACTION"
	TaskCausalLM    = "CAUSAL_LM" // a GPT-2 language model (Model.ForwardCausalLM)
)

// Config is one adapter's configuration: a LoraConfig, AdaLoraConfig,
// IA3Config, PrefixTuningConfig, PromptTuningConfig, BitFitConfig or
// BottleneckConfig. It exists so that Model.AddAdapter takes any method, and so
// that adapter_config.json decodes into the right type by its peft_type.
type Config interface {
	// Common returns the fields every method shares (peft_type, task_type,
	// modules_to_save, ...), so the model can read and fill them.
	Common() *CommonConfig
}

// CommonConfig holds the adapter_config.json fields every PEFT method has,
// under PEFT's names. It is embedded in every method's config.
type CommonConfig struct {
	PeftType            string   `json:"peft_type"`
	TaskType            string   `json:"task_type"`
	BaseModelNameOrPath *string  `json:"base_model_name_or_path"`
	Revision            *string  `json:"revision"`
	InferenceMode       bool     `json:"inference_mode"`
	ModulesToSave       []string `json:"modules_to_save"`
}

// Common returns c itself (the Config interface).
func (c *CommonConfig) Common() *CommonConfig { return c }

// SaveConfig writes cfg as dir/adapter_config.json, atomically, with PEFT's
// field names (sorted keys, two-space indent, as PEFT writes them).
func SaveConfig(cfg Config, dir string) error {
	raw, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("peft: encode %s: %w", ConfigFileName, err)
	}
	var m map[string]any // re-decode so keys come out sorted, as PEFT's json.dumps(sort_keys=True)
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, ConfigFileName), append(out, '\n')); err != nil {
		return fmt.Errorf("peft: %w", err)
	}
	return nil
}

// LoadConfig reads dir/adapter_config.json (or the file itself when path is a
// file) and returns the config of the method its peft_type names.
func LoadConfig(path string) (Config, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, ConfigFileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("peft: %w", err)
	}
	return ParseConfig(data, path)
}

// ParseConfig decodes an adapter_config.json document; source names it in
// errors.
func ParseConfig(data []byte, source string) (Config, error) {
	var head struct {
		PeftType string `json:"peft_type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("peft: %s: %w", source, err)
	}
	var cfg Config
	switch head.PeftType {
	case TypeLoRA:
		cfg = &LoraConfig{}
	case TypeAdaLoRA:
		cfg = &AdaLoraConfig{}
	case TypeIA3:
		cfg = &IA3Config{}
	case TypePrefixTuning:
		cfg = &PrefixTuningConfig{}
	case TypePromptTuning:
		cfg = &PromptTuningConfig{}
	case TypeBitFit:
		cfg = &BitFitConfig{}
	case TypeBottleneck:
		cfg = &BottleneckConfig{}
	default:
		return nil, fmt.Errorf("peft: %s: field peft_type is %q, want one of LORA, ADALORA, IA3, PREFIX_TUNING, PROMPT_TUNING, BITFIT, BOTTLENECK", source, head.PeftType)
	}
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("peft: %s: %w", source, err)
	}
	return cfg, nil
}
