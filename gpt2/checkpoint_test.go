package gpt2

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// TestReferenceSavesIdentically loads the reference checkpoint and saves it
// again: config.json and generation_config.json come out byte for byte the
// same, model.safetensors holds the same names, dtypes, shapes and values
// (no lm_head.weight), and the tokenizer files load back.
func TestReferenceSavesIdentically(t *testing.T) {
	dir := testref.GPT2RefDir(t)
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := ck.LMHeadModel(autograd.NewRNG(1), nn.LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := SavePretrained(out, m, ck.Config, ck.Generation, ck.Tokenizer); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.json", GenerationConfigFile} {
		want, _ := os.ReadFile(filepath.Join(dir, name))
		got, _ := os.ReadFile(filepath.Join(out, name))
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs:\n%s\nwant:\n%s", name, got, want)
		}
	}
	sameTensors(t, filepath.Join(dir, WeightsFile), filepath.Join(out, WeightsFile))
	if _, err := LoadLMHeadModel(out, 2); err != nil {
		t.Fatalf("reloading the saved checkpoint: %v", err)
	}
}

// sameTensors fails unless two safetensors files hold the same tensors.
func sameTensors(t *testing.T, wantPath, gotPath string) {
	t.Helper()
	want, err := safetensors.Open(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := safetensors.Open(gotPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Names(), ",") != strings.Join(want.Names(), ",") {
		t.Fatalf("%s has tensors %v, want %v", gotPath, got.Names(), want.Names())
	}
	for _, name := range want.Names() {
		wr, wi, _ := want.Raw(name)
		gr, gi, _ := got.Raw(name)
		if wi.DType != gi.DType || !autograd.SameShape(wi.Shape, gi.Shape) || !bytes.Equal(wr, gr) {
			t.Errorf("%s: %s %v differs from the original %s %v", name, gi.DType, gi.Shape, wi.DType, wi.Shape)
		}
	}
}

// TestRoundTripUntied saves a fresh untied model with a padding id and loads
// it back: lm_head.weight is stored, the config says so, the values survive
// and the loaded model is in evaluation mode.
func TestRoundTripUntied(t *testing.T) {
	c := tinyConfig()
	c.TieEmbeddings = false
	pad := 3
	c.PadTokenID = &pad
	m, err := NewLMHeadModel(c, autograd.NewRNG(4))
	if err != nil {
		t.Fatal(err)
	}
	if m.Tied() {
		t.Fatal("tie_word_embeddings false built a tied head")
	}
	dir := t.TempDir()
	if err := SavePretrained(dir, m, c, NewGenerationConfig(c), nil); err != nil {
		t.Fatal(err)
	}
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	back, rep, err := ck.LMHeadModel(autograd.NewRNG(5), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || back.Tied() || *back.Transformer.Config.PadTokenID != 3 {
		t.Fatalf("reloaded: %s, tied %v, config %v", rep, back.Tied(), back.Transformer.Config)
	}
	if back.Transformer.Drop.Training() {
		t.Error("a loaded model must be in evaluation mode")
	}
	for i, p := range m.NamedParameters("") {
		q := back.NamedParameters("")[i]
		if p.Name != q.Name || !p.Tensor.AllClose(q.Tensor, 0, 0) {
			t.Fatalf("%s did not survive the round trip", p.Name)
		}
	}
	g, err := LoadGenerationConfig(dir)
	if err != nil || len(g.EOSTokenID) != 1 || g.PadTokenID == nil || *g.PadTokenID != 3 {
		t.Fatalf("generation config %+v, %v", g, err)
	}
}

// TestLoadHubLayout loads a file in openai-community/gpt2's layout: names
// without "transformer.", plus the old attn.bias / attn.masked_bias buffers,
// which are ignored; into a bare Model too.
func TestLoadHubLayout(t *testing.T) {
	c := tinyConfig()
	src, _ := NewLMHeadModel(c, autograd.NewRNG(6))
	sd := nn.StripPrefix(src.NamedParameters(""), BaseModelPrefix)
	for i := 0; i < c.NLayer; i++ {
		prefix := "h." + string(rune('0'+i)) + ".attn."
		sd = append(sd, nn.NamedParameter{Name: prefix + "bias", Tensor: autograd.Ones(1, 1, 4, 4)},
			nn.NamedParameter{Name: prefix + "masked_bias", Tensor: autograd.Scalar(-1e4)})
	}
	path := filepath.Join(t.TempDir(), WeightsFile)
	if err := nn.SaveStateDict(sd, path, nil); err != nil {
		t.Fatal(err)
	}
	dst, _ := NewLMHeadModel(c, autograd.NewRNG(7))
	rep, err := LoadWeights(dst, path, nn.LoadOptions{Strict: true})
	if err != nil || !rep.OK() {
		t.Fatalf("hub layout into LMHeadModel: %v %s", err, rep)
	}
	if !dst.LMHead.Weight.AllClose(src.LMHead.Weight, 0, 0) {
		t.Error("the tied head did not get the stored wte")
	}
	bare, _ := NewModel(c, autograd.NewRNG(8))
	if rep, err := LoadWeights(bare, path, nn.LoadOptions{Strict: true}); err != nil || !rep.OK() {
		t.Fatalf("hub layout into Model: %v %s", err, rep)
	}
}

// TestConfigErrorsNameTheKey checks that a bad config.json names the key.
func TestConfigErrorsNameTheKey(t *testing.T) {
	for doc, key := range map[string]string{
		`{"n_embd": 30, "n_head": 4}`:                 "n_embd",
		`{"activation_function": "gelu_fast2"}`:       "activation_function",
		`{"n_layer": "two"}`:                          "n_layer",
		`{"model_type": "bert"}`:                      "model_type",
		`{"eos_token_id": 60000}`:                     "eos_token_id",
		`{"resid_pdrop": 1.5}`:                        "resid_pdrop",
		`{"n_inner": -1}`:                             "n_inner",
		`[1, 2]`:                                      "JSON object",
		`{"vocab_size": 10, "bos_token_id": [1, 2]}`:  "bos_token_id",
		`{"add_cross_attention": true, "n_layer": 1}`: "add_cross_attention",
	} {
		_, err := ParseConfig([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("ParseConfig(%s) = %v, want an error naming %q", doc, err, key)
		}
	}
	c, err := ParseConfig([]byte(`{"n_embd": 64, "n_head": 4, "n_layer": 1}`))
	if err != nil || !c.TieEmbeddings || c.InnerDim() != 256 || c.LayerNormEps != 1e-5 {
		t.Fatalf("defaults: %v, %v", c, err)
	}
}

// FuzzParseConfig checks that no config.json makes ParseConfig panic, and
// that whatever it accepts saves and parses back to the same JSON.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"n_embd": 32, "n_head": 4, "n_layer": 2, "vocab_size": 520, "n_positions": 64}`))
	f.Add([]byte(`{"n_inner": null, "bos_token_id": null, "eos_token_id": 3, "tie_word_embeddings": false}`))
	f.Add([]byte(`{"activation_function": "relu", "layer_norm_epsilon": 1e-12, "summary_type": "cls_index", "n_ctx": 8}`))
	f.Add([]byte(`{"scale_attn_by_inverse_layer_idx": true, "reorder_and_upcast_attn": true, "pad_token_id": 0}`))
	if data, err := os.ReadFile(filepath.Join("..", "testdata", "gpt2-ref-small", "config.json")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil {
			return
		}
		first, err := c.MarshalJSON()
		if err != nil {
			return // a value JSON cannot hold (NaN is impossible; an Extra key may be odd)
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
