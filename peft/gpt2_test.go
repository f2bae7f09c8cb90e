package peft

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/gpt2"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// The torch reference (testdata/make_gpt2_ref.py) implements PEFT's
// lora.Linear on a Conv1D with fan_in_fan_out, and PEFT's prefix and prompt
// tuning for a causal LM, on testdata/gpt2-ref-small.

// refGPT2 loads the reference GPT-2, the reference outputs and their batch.
func refGPT2(t testing.TB) (*gpt2.LMHeadModel, *gpt2.Inputs, *safetensors.File) {
	t.Helper()
	m, err := gpt2.LoadLMHeadModel(filepath.Join("..", "testdata", "gpt2-ref-small"), 1)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := safetensors.Open(filepath.Join("testdata", "gpt2_ref.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	ints := func(name string) ([]int, []int) {
		v, shape, err := exp.Int64(name)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int, len(v))
		for i, x := range v {
			out[i] = int(x)
		}
		return out, shape
	}
	ids, shape := ints("input_ids_right")
	mask, _ := ints("attention_mask_right")
	return m, &gpt2.Inputs{InputIDs: ids, AttentionMask: mask, Batch: shape[0], SeqLen: shape[1]}, exp
}

func lmLogits(t testing.TB, f func() (*gpt2.LMOutput, error)) *autograd.Tensor {
	t.Helper()
	var out *gpt2.LMOutput
	var err error
	autograd.NoGrad(func() { out, err = f() })
	if err != nil {
		t.Fatal(err)
	}
	return out.Logits
}

func TestLoraOnGPT2Conv1DMatchesTorch(t *testing.T) {
	m, in, exp := refGPT2(t)
	plain := lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })
	pm, err := FromPretrained(m, filepath.Join("testdata", "gpt2-lora"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pm.Warnings()) != 0 {
		t.Fatalf("a config with fan_in_fan_out true warned: %v", pm.Warnings())
	}
	l, ok := m.Transformer.H[1].Attn.CAttn.(*LoraLinear)
	if !ok || !l.FanInFanOut {
		t.Fatalf("c_attn is %T, want a LoraLinear with FanInFanOut", m.Transformer.H[1].Attn.CAttn)
	}
	expectClose(t, exp, "lora_logits", lmLogits(t, func() (*gpt2.LMOutput, error) { return pm.ForwardCausalLM(in, nil) }), 1e-4, 1e-4)

	// Merging writes transpose(B A)·scaling into the [in, out] weight.
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	for i := range m.Transformer.H {
		w := m.Transformer.H[i].Attn.CAttn.(*LoraLinear).Conv.Weight
		expectClose(t, exp, "merged.transformer.h."+string(rune('0'+i))+".attn.c_attn.weight", w, 1e-6, 1e-5)
	}
	expectClose(t, exp, "lora_logits_merged", lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) }), 1e-4, 1e-4)
	pm.Unmerge()
	pm.DisableAdapters()
	if d := maxDiff(plain, lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })); d > 1e-5 {
		t.Fatalf("unmerged and disabled: logits moved by %g from the base", d)
	}
	pm.EnableAdapters()

	// Saving writes PEFT's files: the same keys and config as the reference.
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, filepath.Join("testdata", "gpt2-lora"), dir)

	// MergeAndUnload leaves plain Conv1D layers computing the adapted model.
	merged, err := pm.MergeAndUnload()
	if err != nil {
		t.Fatal(err)
	}
	lm := merged.(*gpt2.LMHeadModel)
	if _, ok := lm.Transformer.H[0].Attn.CAttn.(*nn.Conv1D); !ok {
		t.Fatalf("after MergeAndUnload c_attn is %T", lm.Transformer.H[0].Attn.CAttn)
	}
	expectClose(t, exp, "lora_logits", lmLogits(t, func() (*gpt2.LMOutput, error) { return lm.Forward(in, nil) }), 1e-4, 1e-4)
}

// sameFiles checks that two adapter folders hold the same config and the
// same tensor names and shapes.
func sameFiles(t *testing.T, wantDir, gotDir string) {
	t.Helper()
	read := func(dir string) map[string]any {
		raw, err := os.ReadFile(filepath.Join(dir, ConfigFileName))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	want, got := read(wantDir), read(gotDir)
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s: %s is %v, PEFT writes %v", ConfigFileName, k, got[k], v)
		}
	}
	wf, err := safetensors.Open(filepath.Join(wantDir, WeightsFileName))
	if err != nil {
		t.Fatal(err)
	}
	gf, err := safetensors.Open(filepath.Join(gotDir, WeightsFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(wf.Names(), gf.Names()) {
		t.Fatalf("tensors %v, PEFT writes %v", gf.Names(), wf.Names())
	}
	for _, n := range wf.Names() {
		a, _ := wf.Info(n)
		b, _ := gf.Info(n)
		if !reflect.DeepEqual(a.Shape, b.Shape) {
			t.Errorf("%s: shape %v, PEFT writes %v", n, b.Shape, a.Shape)
		}
	}
}

func TestFanInFanOutFollowsTheTargetLayout(t *testing.T) {
	m, in, _ := refGPT2(t)
	cfg := NewLoraConfig()
	cfg.TaskType, cfg.TargetModules, cfg.InitLoraWeights = TaskCausalLM, TargetNames("c_attn", "mlp.c_proj"), LoraInitRandom
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if w := pm.Warnings(); len(w) != 1 || !strings.Contains(w[0], "Conv1D") {
		t.Fatalf("warnings %v, want one about Conv1D", w)
	}
	if !pm.AdapterConfig(DefaultAdapterName).(*LoraConfig).FanInFanOut || cfg.FanInFanOut {
		t.Fatal("the adapter's config must say fan_in_fan_out true, the caller's stay as it was")
	}
	sd, _ := pm.AdapterStateDict(DefaultAdapterName)
	if sd[0].Name != "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight" || !autograd.SameShape(sd[0].Tensor.Shape(), []int{8, 32}) {
		t.Fatalf("first key %s %v", sd[0].Name, sd[0].Tensor.Shape())
	}
	// Merged and unmerged compute the same function.
	before := lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(before, lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })); d > 1e-4 {
		t.Fatalf("merged LoRA differs by %g", d)
	}
	pm.Unmerge()

	// On a BERT Linear, fan_in_fan_out true is set back to false.
	b, _ := tinyBert(t, 3)
	bc := NewLoraConfig()
	bc.FanInFanOut = true
	bm, err := New(b, bc)
	if err != nil {
		t.Fatal(err)
	}
	if bm.AdapterConfig(DefaultAdapterName).(*LoraConfig).FanInFanOut || len(bm.Warnings()) != 1 {
		t.Fatalf("fan_in_fan_out on nn.Linear: warnings %v", bm.Warnings())
	}
}

func TestIA3OnGPT2(t *testing.T) {
	m, in, _ := refGPT2(t)
	plain := lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })
	// PEFT's GPT-2 defaults: c_attn and mlp.c_proj, the latter feed-forward.
	cfg := &IA3Config{CommonConfig: CommonConfig{TaskType: TaskCausalLM}, TargetModules: TargetNames("c_attn", "mlp.c_proj"),
		FeedforwardModules: TargetNames("mlp.c_proj"), FanInFanOut: true}
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sd, _ := pm.AdapterStateDict(DefaultAdapterName)
	shapes := map[string][]int{}
	for _, p := range sd {
		shapes[p.Name] = p.Tensor.Shape()
	}
	if s := shapes["base_model.model.transformer.h.0.attn.c_attn.ia3_l"]; !autograd.SameShape(s, []int{96, 1}) {
		t.Fatalf("c_attn ia3_l shape %v, want [96 1]", s)
	}
	if s := shapes["base_model.model.transformer.h.1.mlp.c_proj.ia3_l"]; !autograd.SameShape(s, []int{1, 128}) {
		t.Fatalf("mlp.c_proj ia3_l shape %v, want [1 128]", s)
	}
	for _, p := range sd {
		r := autograd.Normal(autograd.NewRNG(7), 1, 0.5, p.Tensor.Shape()...).Data()
		copy(p.Tensor.Data(), r)
	}
	adapted := lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })
	if maxDiff(adapted, plain) < 1e-3 {
		t.Fatal("the IA3 vectors changed nothing")
	}
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(adapted, lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })); d > 1e-4 {
		t.Fatalf("merged IA3 on Conv1D differs by %g", d)
	}
	pm.Unmerge()
	pm.DisableAdapters()
	if d := maxDiff(plain, lmLogits(t, func() (*gpt2.LMOutput, error) { return m.Forward(in, nil) })); d > 1e-4 {
		t.Fatalf("unmerged IA3: base moved by %g", d)
	}
}

func TestPrefixTuningOnGPT2MatchesTorch(t *testing.T) {
	m, in, exp := refGPT2(t)
	pm, err := FromPretrained(m, filepath.Join("testdata", "gpt2-prefix"), false)
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, exp, "prefix_logits", lmLogits(t, func() (*gpt2.LMOutput, error) { return pm.ForwardCausalLM(in, nil) }), 1e-4, 1e-4)
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, filepath.Join("testdata", "gpt2-prefix"), dir)

	// The loss trains the prefix table and nothing else.
	labels := append([]int(nil), in.InputIDs...)
	for i, v := range in.AttentionMask {
		if v == 0 {
			labels[i] = gpt2.IgnoreLabel
		}
	}
	tm, _, _ := refGPT2(t)
	tpm, err := FromPretrained(tm, filepath.Join("testdata", "gpt2-prefix"), true)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpm.ForwardCausalLM(in, labels)
	if err != nil {
		t.Fatal(err)
	}
	out.Loss.Backward()
	a := tpm.adapters[DefaultAdapterName]
	if g := a.prompt.Embedding.Weight.Grad(); g == nil || g.Abs().Sum().Item() == 0 {
		t.Fatal("no gradient reached the prefix")
	}
	if tm.Transformer.Wte.Weight.Grad() != nil {
		t.Fatal("the frozen base got a gradient")
	}
}

func TestPromptTuningOnGPT2MatchesTorch(t *testing.T) {
	m, in, exp := refGPT2(t)
	cfg := NewPromptTuningConfig(3)
	cfg.TaskType = TaskCausalLM
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	table, _, _ := exp.Float32("prompt_table")
	copy(pm.adapters[DefaultAdapterName].prompt.Embedding.Weight.Data(), table)
	row := &gpt2.Inputs{InputIDs: in.InputIDs[:in.SeqLen], Batch: 1, SeqLen: in.SeqLen}
	expectClose(t, exp, "prompt_logits", lmLogits(t, func() (*gpt2.LMOutput, error) { return pm.ForwardCausalLM(row, nil) }), 1e-4, 1e-4)

	// Labels get IgnoreLabel under the virtual tokens, so (as in PEFT) the
	// last virtual token predicts the first real one and the loss is that of
	// logits[P−1:] against [ignored, ids...].
	out, err := pm.ForwardCausalLM(row, row.InputIDs)
	if err != nil {
		t.Fatal(err)
	}
	P := 3
	own := out.Logits.Slice(1, P-1, P+row.SeqLen).Contiguous()
	if d := maxDiff(out.Loss, gpt2.CausalLMLoss(own, append([]int{gpt2.IgnoreLabel}, row.InputIDs...))); d > 1e-5 {
		t.Fatalf("loss differs from the loss on the shifted labels by %g", d)
	}
	// TEXT init from token ids (GPT-2 has no BERT tokenizer).
	text := "Once upon a time"
	tc := NewPromptTuningConfig(5)
	tc.TaskType, tc.PromptTuningInit, tc.PromptTuningInitText, tc.InitTokenIDs = TaskCausalLM, PromptInitText, &text, []int{394, 338}
	if err := pm.AddAdapter("text", tc); err != nil {
		t.Fatal(err)
	}
	got := pm.adapters["text"].prompt.Embedding.Weight
	want := m.Transformer.Wte.Weight.IndexSelect(0, []int{394, 338, 394, 338, 394})
	if maxDiff(got, want) != 0 {
		t.Fatal("TEXT init is not the repeated token embeddings")
	}
}
