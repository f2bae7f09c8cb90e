package bert

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

func TestConfigDefaultsAreHF(t *testing.T) {
	c, err := ParseConfig([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.VocabSize != 30522 || c.HiddenSize != 768 || c.NumHiddenLayers != 12 || c.NumAttentionHeads != 12 ||
		c.IntermediateSize != 3072 || c.HiddenAct != "gelu" || c.HiddenDropoutProb != 0.1 ||
		c.AttentionProbsDropoutProb != 0.1 || c.MaxPositionEmbeddings != 512 || c.TypeVocabSize != 2 ||
		c.InitializerRange != 0.02 || c.LayerNormEps != 1e-12 || c.PadTokenID != 0 ||
		c.PositionEmbeddingType != "absolute" || c.ClassifierDropout != nil {
		t.Fatalf("defaults differ from HF BertConfig: %+v", c)
	}
	if c.NumLabels() != 2 || c.ID2Label[1] != "LABEL_1" || c.Label2ID["LABEL_0"] != 0 {
		t.Fatalf("default labels: got %v / %v", c.ID2Label, c.Label2ID)
	}
	if c.ClassifierDropoutProb() != 0.1 || c.HeadDim() != 64 {
		t.Fatalf("classifier dropout %v head dim %d", c.ClassifierDropoutProb(), c.HeadDim())
	}
}

func TestConfigLabels(t *testing.T) {
	c, err := ParseConfig([]byte(`{"id2label": {"0": "neg", "1": "neu", "2": "pos"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.NumLabels() != 3 || c.Label2ID["pos"] != 2 || strings.Join(c.LabelNames(), ",") != "neg,neu,pos" {
		t.Fatalf("id2label only: %v %v", c.ID2Label, c.Label2ID)
	}
	c, err = ParseConfig([]byte(`{"num_labels": 5}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.NumLabels() != 5 || c.ID2Label[4] != "LABEL_4" {
		t.Fatalf("num_labels only: %v", c.ID2Label)
	}
	// HF: id2label wins over an inconsistent num_labels.
	c, err = ParseConfig([]byte(`{"num_labels": 7, "id2label": {"0": "a"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.NumLabels() != 1 {
		t.Fatalf("id2label should win, got %d labels", c.NumLabels())
	}
	if _, err := ParseConfig([]byte(`{"id2label": {"x": "a"}}`)); err == nil || !strings.Contains(err.Error(), "id2label") {
		t.Fatalf("bad id2label key: err = %v", err)
	}
	if _, err := ParseConfig([]byte(`{"id2label": {"1": "a"}}`)); err == nil || !strings.Contains(err.Error(), "id 0") {
		t.Fatalf("non-contiguous id2label: err = %v", err)
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	cases := map[string]string{
		`{"hidden_size": 30, "num_attention_heads": 4}`: "not a multiple",
		`{"hidden_act": "swishy"}`:                      "hidden_act",
		`{"problem_type": "ranking"}`:                   "problem_type",
		`{"position_embedding_type": "relative_key"}`:   "position_embedding_type",
		`{"vocab_size": "many"}`:                        "vocab_size",
		`{"model_type": "roberta"}`:                     "model_type",
		`{"layer_norm_eps": 0}`:                         "layer_norm_eps",
		`{"is_decoder": true}`:                          "is_decoder",
		`[1, 2]`:                                        "JSON object",
	}
	for doc, want := range cases {
		if _, err := ParseConfig([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to mention %q", doc, err, want)
		}
	}
}

func TestConfigReferenceRoundTrip(t *testing.T) {
	dir := testref.BertRefDir(t)
	c, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.NumLabels() != len(c.ID2Label) || c.NumLabels() == 0 {
		t.Fatalf("labels from id2label: %v", c.ID2Label)
	}
	out := t.TempDir()
	if err := c.Save(out); err != nil {
		t.Fatal(err)
	}
	back, err := LoadConfig(filepath.Join(out, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Fatalf("config round trip differs:\n%s\n%s", a, b)
	}
	// Every key of the original file survives the round trip with its value.
	var orig, saved map[string]any
	raw, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	json.Unmarshal(raw, &orig)
	raw, _ = os.ReadFile(filepath.Join(out, "config.json"))
	json.Unmarshal(raw, &saved)
	for k, v := range orig {
		if vb, _ := json.Marshal(v); string(vb) != string(mustJSON(saved[k])) {
			t.Errorf("key %q: saved %s, original %s", k, mustJSON(saved[k]), vb)
		}
	}
	if _, ok := saved["num_labels"]; ok {
		t.Errorf("saved config has num_labels; HF derives it from id2label")
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
