package nn

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

// taskModel holds a tinyModel under "bert" plus a classifier, like HF's task
// models hold the base model under base_model_prefix.
type taskModel struct {
	base *tinyModel
	head *Linear
}

func (m *taskModel) NamedParameters(prefix string) []NamedParameter {
	return append(m.base.NamedParameters(Join(prefix, "bert")), m.head.NamedParameters(Join(prefix, "classifier"))...)
}
func (m *taskModel) SetTraining(train bool) {}

func newTask(seed uint64) *taskModel {
	return &taskModel{newTiny(seed), NewLinear(4, 3, true, autograd.NewRNG(seed))}
}

// TestLoadBaseModelPrefix checks HF's prefix rule both ways: a bare model's
// state dict into a task model gets the prefix added (the head is missing),
// a task model's into a bare model gets it stripped (the head is unexpected),
// and without BaseModelPrefix nothing matches.
func TestLoadBaseModelPrefix(t *testing.T) {
	bare, task := newTiny(1), newTask(2)
	opts := LoadOptions{BaseModelPrefix: "bert"}

	rep, err := LoadStateDict(task, StateDict(bare), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Loaded) != 15 || strings.Join(rep.Missing, ",") != "classifier.bias,classifier.weight" || len(rep.Unexpected) != 0 {
		t.Fatalf("bare into task: %v", rep)
	}
	if !task.base.Embeddings.Weight.AllClose(bare.Embeddings.Weight, 0, 0) {
		t.Error("bare into task did not copy")
	}
	if len(rep.Renamed) != 15 || rep.Renamed[0] != "embeddings.weight -> bert.embeddings.weight" {
		t.Errorf("renamed %v", rep.Renamed)
	}

	other := newTiny(3)
	rep, err = LoadStateDict(other, StateDict(newTask(4)), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Loaded) != 15 || len(rep.Missing) != 0 || strings.Join(rep.Unexpected, ",") != "classifier.bias,classifier.weight" {
		t.Fatalf("task into bare: %v", rep)
	}

	rep, _ = LoadStateDict(newTask(5), StateDict(bare), LoadOptions{})
	if len(rep.Loaded) != 0 || len(rep.Missing) != 17 || len(rep.Unexpected) != 15 {
		t.Errorf("without the prefix option nothing should match: %v", rep)
	}
}

// TestLoadRename checks the renaming hook: a dropped key is neither loaded nor
// reported; a renamed key loads when the canonical one is absent and loses to
// it when both are stored (a tied weight saved under both names).
func TestLoadRename(t *testing.T) {
	src := newTiny(1)
	sd := StateDict(src)
	alias := NamedParameter{"decoder.weight", autograd.Zeros(10, 4)}
	buffer := NamedParameter{"embeddings.position_ids", autograd.Zeros(1, 10)}
	rename := func(key string) (string, bool) {
		switch key {
		case "embeddings.position_ids":
			return "", false
		case "decoder.weight":
			return "embeddings.weight", true
		}
		return key, true
	}
	opts := LoadOptions{Strict: true, Rename: rename}

	dst := newTiny(2)
	rep, err := LoadStateDict(dst, append(append([]NamedParameter{alias}, sd...), buffer), opts)
	if err != nil || !rep.OK() {
		t.Fatalf("both names stored: %v %v", rep, err)
	}
	if !dst.Embeddings.Weight.AllClose(src.Embeddings.Weight, 0, 0) || len(rep.Renamed) != 0 {
		t.Errorf("the canonical key should win over the renamed one (renamed %v)", rep.Renamed)
	}

	onlyAlias := []NamedParameter{{"decoder.weight", src.Embeddings.Weight}, buffer}
	for _, p := range sd[1:] {
		onlyAlias = append(onlyAlias, p)
	}
	dst = newTiny(3)
	rep, err = LoadStateDict(dst, onlyAlias, opts)
	if err != nil || !rep.OK() {
		t.Fatalf("only the alias stored: %v %v", rep, err)
	}
	if !dst.Embeddings.Weight.AllClose(src.Embeddings.Weight, 0, 0) {
		t.Error("the alias did not load")
	}
	if strings.Join(rep.Renamed, ",") != "decoder.weight -> embeddings.weight" {
		t.Errorf("renamed %v", rep.Renamed)
	}
}

// TestLoadIgnoreMismatchedSizes checks that a shape mismatch fails naming the
// file, the parameter and both shapes, and loads nothing; with
// IgnoreMismatchedSizes the rest loads and the mismatched parameter keeps
// its initialisation.
func TestLoadIgnoreMismatchedSizes(t *testing.T) {
	src := newTask(1)
	src.head = NewLinear(4, 5, true, autograd.NewRNG(1)) // 5 labels instead of 3
	path := filepath.Join(t.TempDir(), "task.safetensors")
	if err := SaveSafetensors(src, path, nil); err != nil {
		t.Fatal(err)
	}
	dst := newTask(2)
	head := append([]float32(nil), dst.head.Weight.Data()...)
	emb := append([]float32(nil), dst.base.Embeddings.Weight.Data()...)
	_, err := LoadSafetensors(dst, path, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), path) ||
		!strings.Contains(err.Error(), "size mismatch for classifier.weight: copying a param with shape [5 4] from checkpoint, the shape in current model is [3 4]") ||
		!strings.Contains(err.Error(), "IgnoreMismatchedSizes") {
		t.Fatalf("mismatch error: %v", err)
	}
	if !autograd.New(emb, 10, 4).AllClose(dst.base.Embeddings.Weight, 0, 0) {
		t.Fatal("a failed load changed the model")
	}
	rep, err := LoadSafetensors(dst, path, LoadOptions{IgnoreMismatchedSizes: true, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Mismatched) != 2 || len(rep.Missing) != 0 || len(rep.Loaded) != 15 || rep.Source != path {
		t.Fatalf("report %v", rep)
	}
	if !autograd.New(head, 3, 4).AllClose(dst.head.Weight, 0, 0) {
		t.Error("the mismatched classifier was changed")
	}
	if !dst.base.Embeddings.Weight.AllClose(src.base.Embeddings.Weight, 0, 0) {
		t.Error("the rest was not loaded")
	}
}
