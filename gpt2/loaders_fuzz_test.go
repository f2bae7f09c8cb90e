package gpt2

import (
	"bytes"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
)

// Fuzz targets for the files of a GPT-2 checkpoint folder besides config.json
// (FuzzParseConfig) and the tokenizer's (package tokenizer): the generation
// config and the folder as a whole, with its config and safetensors header
// mutated. None may panic; every error must name the file it is about.

// readRef reads a file of the reference checkpoint the seeds start from.
func readRef(f *testing.F, name string) []byte {
	return testref.ReadFile(f, testref.GPT2RefDir(f), name)
}

// FuzzParseGenerationConfig checks that no generation_config.json makes
// ParseGenerationConfig panic, and that an accepted one validates.
func FuzzParseGenerationConfig(f *testing.F) {
	f.Add(readRef(f, GenerationConfigFile))
	f.Add([]byte(`{"eos_token_id": [1, 2], "max_new_tokens": 5, "do_sample": true, "top_k": 0, "top_p": 0.9}`))
	f.Add([]byte(`{"eos_token_id": "x"}`))
	f.Add([]byte(`{"temperature": -1, "repetition_penalty": 0}`))
	f.Add([]byte(`{"num_beams": 1e99}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGenerationConfig(data)
		if err != nil {
			return
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("ParseGenerationConfig accepted a config Validate rejects: %v", err)
		}
	})
}

// fuzzModelBudget is the largest model (in parameters) the checkpoint fuzz
// target builds: a mutated but valid config of a huge model is not bad
// input, only slow to allocate.
const fuzzModelBudget = 4 << 20

// approxParameters estimates the parameter count of a GPT-2 of config c.
func approxParameters(c *Config) float64 {
	e := float64(c.NEmbd)
	return (float64(c.VocabSize)+float64(c.NPositions))*e + float64(c.NLayer)*(4*e*e+2*e*float64(c.InnerDim()))
}

// FuzzOpenCheckpoint mutates the reference checkpoint's config.json and the
// JSON header of its model.safetensors (over the original data section), then
// opens the folder and loads the language model from it. Loading must fail
// with an error naming the file, or give a model that runs a forward pass:
// missing tensors are initialised, mis-shaped ones are an error.
func FuzzOpenCheckpoint(f *testing.F) {
	config := readRef(f, "config.json")
	header, payload := testref.SplitSafetensors(f, readRef(f, WeightsFile))
	others := map[string][]byte{}
	for _, name := range []string{GenerationConfigFile, "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"} {
		others[name] = readRef(f, name)
	}
	f.Add(config, header)
	// A tensor of the wrong shape (same byte size), and one left out.
	f.Add(config, bytes.Replace(header, []byte(`"shape":[32,96]`), []byte(`"shape":[96,32]`), 1))
	f.Add(config, bytes.Replace(header, []byte(`"transformer.h.0.attn.c_attn.bias"`), []byte(`"transformer.h.0.attn.c_attn.bias_"`), 1))
	// Configs whose shapes disagree with the weights or the tokenizer.
	f.Add(bytes.Replace(config, []byte(`"n_embd": 32`), []byte(`"n_embd": 16`), 1), header)
	f.Add(bytes.Replace(config, []byte(`"vocab_size": 520`), []byte(`"vocab_size": 100`), 1), header)
	f.Add(bytes.Replace(config, []byte(`"tie_word_embeddings": true`), []byte(`"tie_word_embeddings": false`), 1), header)
	// A small config and an empty weights file: every tensor is initialised.
	f.Add([]byte(`{"n_embd": 8, "n_head": 2, "n_layer": 1, "vocab_size": 600, "n_positions": 16}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, config, header []byte) {
		if c, err := ParseConfig(config); err == nil && approxParameters(c) > fuzzModelBudget {
			t.Skip("a valid config of a model too big to build in a fuzz run")
		}
		dir := t.TempDir()
		files := map[string][]byte{"config.json": config, WeightsFile: testref.JoinSafetensors(header, payload)}
		for name, content := range others {
			files[name] = content
		}
		testref.WriteFiles(t, dir, files)
		ck, err := OpenCheckpoint(dir)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		m, _, err := ck.LMHeadModel(autograd.NewRNG(1), nn.LoadOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), dir) && !strings.HasPrefix(err.Error(), "gpt2") {
				t.Fatalf("error names neither the file nor gpt2: %v", err)
			}
			return
		}
		var ids []int
		for i := 0; i < 3 && i < ck.Config.NPositions; i++ {
			ids = append(ids, (i+7)%ck.Config.VocabSize)
		}
		in, err := NewInputs([][]int{ids}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Forward(in, ids); err != nil {
			t.Fatalf("a loaded model cannot run: %v", err)
		}
	})
}
