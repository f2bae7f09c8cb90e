package bert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// Fuzz targets for every file a user points bert at: config.json and a whole
// checkpoint folder whose safetensors header and config are mutated (the
// tokenizer's vocab.txt and tokenizer_config.json are fuzzed in package
// tokenizer). None may panic; every error must name the
// file it is about.

// readRef reads a file of the reference checkpoint the seeds start from.
func readRef(f *testing.F, name string) []byte {
	return testref.ReadFile(f, testref.BertRefDir(f), name)
}

// FuzzParseConfig checks that no config.json makes ParseConfig panic, and
// that whatever it accepts saves and parses back to the same JSON.
func FuzzParseConfig(f *testing.F) {
	f.Add(readRef(f, "config.json"))
	f.Add([]byte(`{"num_labels": 3, "hidden_size": 8, "num_attention_heads": 2}`))
	f.Add([]byte(`{"id2label": {"1": "b"}, "label2id": {"b": 1}}`))
	f.Add([]byte(`{"id2label": {"x": "a"}}`))
	f.Add([]byte(`{"hidden_size": 10, "num_attention_heads": 3}`))
	f.Add([]byte(`{"classifier_dropout": 1.5, "model_type": "gpt2"}`))
	f.Add([]byte(`{"num_labels": -1, "hidden_act": "mish"}`))
	f.Add([]byte(`[1, 2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bert config: ") {
				t.Fatalf("error does not say it is about the bert config: %v", err)
			}
			return
		}
		if len(c.LabelNames()) != c.NumLabels() {
			t.Fatalf("%d label names for %d labels", len(c.LabelNames()), c.NumLabels())
		}
		first, err := c.MarshalJSON()
		if err != nil {
			return // an Extra value JSON cannot re-encode
		}
		d, err := ParseConfig(first)
		if err != nil {
			t.Fatalf("a saved config does not parse: %v\n%s", err, first)
		}
		second, err := d.MarshalJSON()
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("save/parse/save changed the config:\n%s\n%s", first, second)
		}
	})
}

// fuzzModelBudget is the largest model (in parameters) the checkpoint fuzz
// target builds: a mutated but valid config of a huge model is not bad
// input, only slow to allocate.
const fuzzModelBudget = 4 << 20

// approxParameters estimates the parameter count of a BERT of config c.
func approxParameters(c *Config) float64 {
	h, i := float64(c.HiddenSize), float64(c.IntermediateSize)
	emb := (float64(c.VocabSize) + float64(c.MaxPositionEmbeddings) + float64(c.TypeVocabSize)) * h
	layer := 4*h*h + 2*h*i
	return emb + float64(c.NumHiddenLayers)*layer + h*h + h*float64(c.NumLabels()+1)
}

// FuzzOpenCheckpoint mutates the reference checkpoint's config.json and the
// JSON header of its model.safetensors (over the original data section), then
// opens the folder and loads a sequence classifier from it. Loading must fail
// with an error naming the file, or give a model that runs a forward pass:
// missing tensors are initialised, mis-shaped ones are an error.
func FuzzOpenCheckpoint(f *testing.F) {
	config, vocab := readRef(f, "config.json"), readRef(f, "vocab.txt")
	header, payload := testref.SplitSafetensors(f, readRef(f, WeightsFile))
	f.Add(config, header)
	// A tensor of the wrong shape (same byte size), and one left out.
	f.Add(config, bytes.Replace(header, []byte(`"shape":[32,32]`), []byte(`"shape":[16,64]`), 1))
	f.Add(config, bytes.Replace(header, []byte(`"bert.embeddings.LayerNorm.bias"`), []byte(`"bert.embeddings.LayerNorm.bias_"`), 1))
	// A config whose shapes disagree with the weights, and one with bad labels.
	f.Add(bytes.Replace(config, []byte(`"intermediate_size": 64`), []byte(`"intermediate_size": 32`), 1), header)
	f.Add(bytes.Replace(config, []byte(`"vocab_size": 544`), []byte(`"vocab_size": 100`), 1), header)
	f.Add(bytes.Replace(config, []byte(`"2": "positive"`), []byte(`"7": "positive"`), 1), header)
	// A small config and an empty weights file: every tensor is initialised.
	f.Add([]byte(`{"hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "intermediate_size": 8, "vocab_size": 600}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, config, header []byte) {
		if c, err := ParseConfig(config); err == nil && approxParameters(c) > fuzzModelBudget {
			t.Skip("a valid config of a model too big to build in a fuzz run")
		}
		dir := t.TempDir()
		testref.WriteFiles(t, dir, map[string][]byte{
			"config.json": config, tokenizer.BertVocabFileName: vocab, WeightsFile: testref.JoinSafetensors(header, payload),
		})
		ck, err := OpenCheckpoint(dir)
		if err != nil {
			if !strings.Contains(err.Error(), dir) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		m, _, err := ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), dir) && !strings.HasPrefix(err.Error(), "bert") {
				t.Fatalf("error names neither the file nor bert: %v", err)
			}
			return
		}
		var ids []int
		for i := 0; i < 3 && i < ck.Config.MaxPositionEmbeddings; i++ {
			ids = append(ids, (i+2)%ck.Config.VocabSize)
		}
		in, err := NewInputs([][]int{ids}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Forward(in, nil); err != nil {
			t.Fatalf("a loaded model cannot run: %v", err)
		}
	})
}
