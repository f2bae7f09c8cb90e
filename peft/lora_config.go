package peft

import (
	"fmt"
	"math"
)

// LoraInit is PEFT's init_lora_weights: "true" (A kaiming-uniform with a=√5,
// B zero: the adapted model starts equal to the base), "gaussian" (A normal
// with std 1/r, B zero) or "false" (both random, for tests: the adapter then
// changes the output from the start). In JSON it is true, "gaussian" or false.
type LoraInit string

// The init_lora_weights choices.
const (
	LoraInitDefault  LoraInit = "true"
	LoraInitGaussian LoraInit = "gaussian"
	LoraInitRandom   LoraInit = "false"
)

// MarshalJSON writes true, false or "gaussian".
func (i LoraInit) MarshalJSON() ([]byte, error) {
	switch i {
	case "", LoraInitDefault:
		return []byte("true"), nil
	case LoraInitRandom:
		return []byte("false"), nil
	}
	return jsonMarshal(string(i))
}

// UnmarshalJSON reads true, false or a string.
func (i *LoraInit) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", "null":
		*i = LoraInitDefault
	case "false":
		*i = LoraInitRandom
	default:
		var s string
		if err := jsonUnmarshal(b, &s); err != nil {
			return fmt.Errorf("init_lora_weights: %w", err)
		}
		*i = LoraInit(s)
	}
	return nil
}

// LoraConfig configures LoRA (Hu et al. 2021): a frozen linear layer W gets a
// trainable low-rank update, y = x Wᵀ + b + scaling · (dropout(x) Aᵀ) Bᵀ with
// A [r, in], B [out, r] and scaling = lora_alpha / r (or lora_alpha / √r with
// rsLoRA). Field names are PEFT's LoraConfig fields.
type LoraConfig struct {
	CommonConfig
	R                 int            `json:"r"`
	LoraAlpha         float64        `json:"lora_alpha"`
	LoraDropout       float64        `json:"lora_dropout"`
	TargetModules     Targets        `json:"target_modules"`
	Bias              string         `json:"bias"` // "none", "all" or "lora_only"
	UseRSLoRA         bool           `json:"use_rslora"`
	InitLoraWeights   LoraInit       `json:"init_lora_weights"`
	FanInFanOut       bool           `json:"fan_in_fan_out"`
	UseDoRA           bool           `json:"use_dora"`
	LayersToTransform []int          `json:"layers_to_transform"`
	LayersPattern     *string        `json:"layers_pattern"`
	RankPattern       map[string]int `json:"rank_pattern"`
	AlphaPattern      map[string]int `json:"alpha_pattern"`
}

// NewLoraConfig returns PEFT's defaults for a BERT sequence classifier: r 8,
// lora_alpha 8, no dropout, targets query and value, bias none.
func NewLoraConfig() *LoraConfig {
	return &LoraConfig{
		CommonConfig:    CommonConfig{PeftType: TypeLoRA, TaskType: TaskSeqCls},
		R:               8,
		LoraAlpha:       8,
		TargetModules:   TargetNames("query", "value"),
		Bias:            "none",
		InitLoraWeights: LoraInitDefault,
		RankPattern:     map[string]int{},
		AlphaPattern:    map[string]int{},
	}
}

// Scaling is the factor of the low-rank update: α/r, or α/√r with rsLoRA
// (Kalajdzievski 2023, which keeps the update's size stable as r grows).
func (c *LoraConfig) Scaling() float64 {
	if c.UseRSLoRA {
		return c.LoraAlpha / math.Sqrt(float64(c.R))
	}
	return c.LoraAlpha / float64(c.R)
}

// validate checks the fields this package uses.
func (c *LoraConfig) validate() error {
	switch {
	case c.R <= 0:
		return fmt.Errorf("peft: LoraConfig.r is %d, must be positive", c.R)
	case c.LoraDropout < 0 || c.LoraDropout >= 1:
		return fmt.Errorf("peft: LoraConfig.lora_dropout is %g, must be in [0, 1)", c.LoraDropout)
	case c.Bias != "none" && c.Bias != "all" && c.Bias != "lora_only" && c.Bias != "":
		return fmt.Errorf("peft: LoraConfig.bias is %q, want none, all or lora_only", c.Bias)
	case c.UseDoRA:
		return fmt.Errorf("peft: LoraConfig.use_dora is true: DoRA is not implemented")
	case c.InitLoraWeights != "" && c.InitLoraWeights != LoraInitDefault && c.InitLoraWeights != LoraInitGaussian && c.InitLoraWeights != LoraInitRandom:
		return fmt.Errorf("peft: LoraConfig.init_lora_weights is %q, want true, false or \"gaussian\"", c.InitLoraWeights)
	case c.TargetModules.Empty():
		return fmt.Errorf("peft: LoraConfig.target_modules is empty")
	}
	return nil
}
