package peft

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// Fuzz targets for the two files of a saved adapter: adapter_config.json on
// its own, and the adapter folder (config and the JSON header of
// adapter_model.safetensors, mutated together) loaded onto the reference BERT
// classifier. None may panic; every error must name the file it is about.

// refBertDir is the reference BERT checkpoint, which also holds a LoRA adapter.
var refBertDir = filepath.Join("..", "testdata", "bert-ref-small")

// methodConfigSeeds are adapter_config.json documents of every method, as
// this package saves them.
func methodConfigSeeds(f *testing.F) [][]byte {
	f.Helper()
	lora := NewLoraConfig()
	lora.TargetModules = TargetNames("query", "value")
	lora.TaskType = TaskSeqCls
	ia3 := NewIA3Config()
	ia3.TaskType = TaskSeqCls
	var out [][]byte
	for _, c := range []Config{lora, NewAdaLoraConfig(10), ia3, NewPrefixTuningConfig(3), NewPromptTuningConfig(3), NewBitFitConfig(), NewHoulsbyConfig(), NewPfeifferConfig()} {
		data, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzParseConfig checks that no adapter_config.json makes ParseConfig panic
// and that every error names the file.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range methodConfigSeeds(f) {
		f.Add(seed)
	}
	f.Add([]byte(`{"peft_type": "LORA", "r": -1, "target_modules": "query"}`))
	f.Add([]byte(`{"peft_type": "LORA", "target_modules": 7}`))
	f.Add([]byte(`{"peft_type": "LOHA"}`))
	f.Add([]byte(`{"peft_type": ["LORA"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, "adapter_config.json")
		if err != nil {
			if !strings.Contains(err.Error(), "adapter_config.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if cfg.Common() == nil {
			t.Fatal("an accepted config has no common fields")
		}
	})
}

// tooBig reports whether a JSON document holds a number beyond max in
// magnitude: a valid adapter of that size (rank, virtual tokens, ...) is not
// bad input, only slow to allocate in a fuzz run.
func tooBig(data []byte, max float64) bool {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case float64:
			return x > max || x < -max
		case []any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// FuzzLoadAdapter mutates the reference LoRA adapter's config and the JSON
// header of its weights (over the original data section) and loads the
// folder onto the reference classifier. Loading must fail with an error
// naming the adapter's file, or give a model that runs a forward pass.
func FuzzLoadAdapter(f *testing.F) {
	ck, err := bert.OpenCheckpoint(refBertDir)
	if err != nil {
		f.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(refBertDir, ConfigFileName))
	if err != nil {
		f.Fatal(err)
	}
	buf, err := os.ReadFile(filepath.Join(refBertDir, WeightsFileName))
	if err != nil {
		f.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(buf[:8])
	header, payload := buf[8:8+n], buf[8+n:]
	f.Add(config, header)
	for _, seed := range methodConfigSeeds(f) {
		f.Add(seed, header)
	}
	f.Add(bytes.Replace(config, []byte(`"r": 4`), []byte(`"r": 2`), 1), header)
	f.Add(bytes.Replace(config, []byte(`"query"`), []byte(`"nowhere"`), 1), header)
	f.Add(config, bytes.Replace(header, []byte(`lora_A`), []byte(`lora_C`), 1))
	f.Add(config, []byte(`{}`))
	f.Fuzz(func(t *testing.T, config, header []byte) {
		if tooBig(config, 4096) {
			t.Skip("an adapter too big to build in a fuzz run")
		}
		dir := t.TempDir()
		weights := make([]byte, 8, 8+len(header)+len(payload))
		binary.LittleEndian.PutUint64(weights, uint64(len(header)))
		weights = append(append(weights, header...), payload...)
		for name, content := range map[string][]byte{ConfigFileName: config, WeightsFileName: weights} {
			if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		base, _, err := ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		pm, err := FromPretrained(base, dir, false)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		in, err := bert.NewInputs([][]int{{2, 40, 3}}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pm.Forward(in, nil); err != nil {
			t.Fatalf("a loaded adapter cannot run: %v", err)
		}
	})
}
