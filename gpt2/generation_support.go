package gpt2

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// unsupportedSettings lists the generation_config.json keys that change which
// tokens HF's generate() produces but that Generate does not implement, with
// HF's default value (as JSON; null is HF's None). A config that sets one of
// them to anything else is refused, so that Generate never silently gives
// other tokens than HF would.
var unsupportedSettings = map[string]string{
	"min_length":                       "0",
	"min_new_tokens":                   "null",
	"max_time":                         "null",
	"stop_strings":                     "null",
	"num_beam_groups":                  "1",
	"penalty_alpha":                    "null",
	"typical_p":                        "1.0",
	"epsilon_cutoff":                   "0.0",
	"eta_cutoff":                       "0.0",
	"min_p":                            "null",
	"diversity_penalty":                "0.0",
	"encoder_repetition_penalty":       "1.0",
	"no_repeat_ngram_size":             "0",
	"bad_words_ids":                    "null",
	"force_words_ids":                  "null",
	"renormalize_logits":               "false",
	"constraints":                      "null",
	"forced_bos_token_id":              "null",
	"forced_eos_token_id":              "null",
	"exponential_decay_length_penalty": "null",
	"suppress_tokens":                  "null",
	"begin_suppress_tokens":            "null",
	"sequence_bias":                    "null",
	"token_healing":                    "false",
	"guidance_scale":                   "null",
	"num_return_sequences":             "1",
	"dola_layers":                      "null",
}

// checkSupported returns an error naming every key of cfg.Extra that asks
// generate() for something Generate does not do.
func checkSupported(cfg *GenerationConfig) error {
	var bad []string
	for key, value := range cfg.Extra {
		def, known := unsupportedSettings[key]
		if !known {
			continue
		}
		var got, want any
		if err := json.Unmarshal(value, &got); err != nil || json.Unmarshal([]byte(def), &want) != nil || !reflect.DeepEqual(got, want) {
			bad = append(bad, fmt.Sprintf("%s=%s", key, value))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("gpt2: the generation config sets %v, which Generate does not implement (greedy search and sampling with repetition_penalty, temperature, top_k, top_p); remove them from Extra to generate without them", bad)
}
