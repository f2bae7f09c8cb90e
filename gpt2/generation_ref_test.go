package gpt2

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/safetensors"
)

// generationRef is testdata/generation_ref.json with its tensors
// (generation_ref.safetensors), written by testdata/make_generation_ref.py: an
// independent torch implementation of transformers 4.44.2's processors and
// greedy generate() on the gpt2-ref-small model.
type generationRef struct {
	Processors []struct {
		Name   string         `json:"name"`
		Kind   string         `json:"kind"`
		Params map[string]any `json:"params"`
	} `json:"processors"`
	Generation []struct {
		Name      string         `json:"name"`
		Config    map[string]any `json:"config"`
		Prompts   [][]int        `json:"prompts"`
		Sequences [][]int        `json:"sequences"`
		Alone     [][]int        `json:"alone"`
		Scores    string         `json:"scores"`
	} `json:"generation"`

	tensors *safetensors.File
}

func loadGenerationRef(t *testing.T) *generationRef {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "generation_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	ref := &generationRef{}
	if err := json.Unmarshal(data, ref); err != nil {
		t.Fatalf("generation_ref.json: %v", err)
	}
	if ref.tensors, err = safetensors.Open(filepath.Join("testdata", "generation_ref.safetensors")); err != nil {
		t.Fatal(err)
	}
	return ref
}

// tensor returns a float32 reference tensor.
func (r *generationRef) tensor(t *testing.T, name string) *autograd.Tensor {
	t.Helper()
	values, shape, err := r.tensors.Float32(name)
	if err != nil {
		t.Fatal(err)
	}
	return autograd.New(values, shape...)
}

// ids returns an int64 reference tensor as rows of ints.
func (r *generationRef) ids(t *testing.T, name string) [][]int {
	t.Helper()
	values, shape, err := r.tensors.Int64(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 {
		t.Fatalf("%s has shape %v, want 2 dimensions", name, shape)
	}
	rows := make([][]int, shape[0])
	for b := range rows {
		for _, v := range values[b*shape[1] : (b+1)*shape[1]] {
			rows[b] = append(rows[b], int(v))
		}
	}
	return rows
}

// configFromRef builds a GenerationConfig from the reference's JSON keys,
// through ParseGenerationConfig as a generation_config.json would be.
func configFromRef(t *testing.T, keys map[string]any) *GenerationConfig {
	t.Helper()
	data, err := json.Marshal(keys)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseGenerationConfig(data)
	if err != nil {
		t.Fatalf("config %s: %v", data, err)
	}
	return c
}

// assertSameScores fails unless got and want are bitwise the same float32
// values (-inf included), naming the first difference.
func assertSameScores(t *testing.T, what string, got, want *autograd.Tensor) {
	t.Helper()
	if !autograd.SameShape(got.Shape(), want.Shape()) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), want.Shape())
	}
	g, w := got.Data(), want.Data()
	vocab := want.Size(-1)
	for i := range w {
		if math.Float32bits(g[i]) != math.Float32bits(w[i]) {
			t.Fatalf("%s: [%d, %d] = %v, want %v", what, i/vocab, i%vocab, g[i], w[i])
		}
	}
}
