package bert

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
	"github.com/turinglab/turinglab/safetensors"
)

// The acceptance test: the reference folder (TURINGLAB_BERT_REF, default
// testdata/bert-ref-small in the repository) holds an HF
// checkpoint, inputs and what PyTorch computed for them. Everything is read
// from the folder — config, shapes, names, number of layers — so any folder
// of the same format is checked the same way. Tolerances are the README's.

// parityTolerance returns the README's atol and rtol for an expected tensor.
func parityTolerance(name string) (atol, rtol float64) {
	switch {
	case strings.HasPrefix(name, "attentions."):
		return 1e-5, 1e-4
	case strings.HasSuffix(name, "_loss") || name == "adamw_losses" || name == "adamw_loss_after_step3":
		return 1e-5, 1e-5
	case strings.HasSuffix(name, "attention.self.key.bias") && strings.HasPrefix(name, "grad_"):
		// zero in exact arithmetic: the stored values are rounding noise, so
		// only the absolute tolerance applies.
		return 1e-5, 0
	case strings.HasPrefix(name, "grad_"):
		return 1e-5, 1e-3
	case strings.HasPrefix(name, "adamw_step3."):
		return 1e-5, 1e-4
	case strings.HasPrefix(name, "lora_merged"):
		return 1e-6, 1e-6
	}
	return 1e-4, 1e-4 // hidden states, pooled output, logits
}

// parityCase is the reference folder opened once per test.
type parityCase struct {
	dir      string
	ck       *Checkpoint
	expected *safetensors.File
	in       *Inputs
	mlm, nsp []int
	cls      []int
}

func openParity(t *testing.T) *parityCase {
	t.Helper()
	dir := testref.BertRefDir(t)
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &parityCase{dir: dir, ck: ck, expected: parityExpected(t, dir)}
	ids, shape := parityInts(t, p.expected, "input_ids")
	mask, _ := parityInts(t, p.expected, "attention_mask")
	types, _ := parityInts(t, p.expected, "token_type_ids")
	p.in = &Inputs{InputIDs: ids, AttentionMask: mask, TokenTypeIDs: types, Batch: shape[0], SeqLen: shape[1]}
	p.mlm, _ = parityInts(t, p.expected, "mlm_labels")
	p.nsp, _ = parityInts(t, p.expected, "nsp_labels")
	p.cls, _ = parityInts(t, p.expected, "cls_labels")
	return p
}

// check compares a tensor with the expected one of the same name.
func (p *parityCase) check(t *testing.T, name string, got *autograd.Tensor) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: not computed", name)
		return
	}
	want, shape := parityFloats(t, p.expected, name)
	atol, rtol := parityTolerance(name)
	parityClose(t, name, got.Contiguous().Data(), got.Shape(), want, shape, atol, rtol)
}

// namesWithPrefix lists the expected tensors whose name starts with prefix.
func (p *parityCase) namesWithPrefix(prefix string) []string {
	var out []string
	for _, n := range p.expected.Names() {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// paramsByName indexes a model's parameters by HF name.
func paramsByName(m nn.Module) map[string]*autograd.Tensor {
	out := map[string]*autograd.Tensor{}
	for _, p := range m.NamedParameters("") {
		out[p.Name] = p.Tensor
	}
	return out
}

func TestParityPreTraining(t *testing.T) {
	p := openParity(t)
	m, report, err := p.ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Missing) > 0 || len(report.Mismatched) > 0 {
		t.Fatalf("loading the reference into ForPreTraining: %v", report)
	}
	for _, u := range report.Unexpected {
		if !strings.HasPrefix(u, "classifier.") {
			t.Errorf("unexpected key %s (only the classifier belongs to another head)", u)
		}
	}
	if len(report.Renamed) != 0 {
		t.Errorf("the reference stores the word embeddings under their own names; nothing should be renamed: %v", report.Renamed)
	}

	in := *p.in
	in.OutputHiddenStates, in.OutputAttentions = true, true
	out, err := m.Forward(&in, &PreTrainingLabels{MLM: p.mlm, NSP: p.nsp})
	if err != nil {
		t.Fatal(err)
	}
	layers := p.ck.Config.NumHiddenLayers
	if len(out.HiddenStates) != layers+1 || len(out.Attentions) != layers {
		t.Fatalf("got %d hidden states and %d attentions for %d layers", len(out.HiddenStates), len(out.Attentions), layers)
	}
	if n := len(p.namesWithPrefix("hidden_states.")); n != layers+1 {
		t.Fatalf("reference has %d hidden states for %d layers", n, layers)
	}
	for i, h := range out.HiddenStates {
		p.check(t, fmt.Sprintf("hidden_states.%d", i), h)
	}
	for i, a := range out.Attentions {
		p.check(t, fmt.Sprintf("attentions.%d", i), a)
	}
	p.check(t, "last_hidden_state", out.HiddenStates[layers])
	p.check(t, "mlm_logits", out.PredictionLogits)
	p.check(t, "nsp_logits", out.SeqRelationshipLogits)
	p.check(t, "mlm_loss", out.MLMLoss)
	p.check(t, "nsp_loss", out.NSPLoss)
	p.check(t, "pretrain_loss", out.Loss)

	p.check(t, "pooler_output", out.PoolerOutput)

	out.Loss.Backward()
	params := paramsByName(m)
	grads := p.namesWithPrefix("grad_pretrain.")
	if len(grads) == 0 {
		t.Fatal("reference has no grad_pretrain.* tensors")
	}
	for _, g := range grads {
		name := strings.TrimPrefix(g, "grad_pretrain.")
		param, ok := params[name]
		if !ok {
			t.Errorf("%s: the model has no parameter %s", g, name)
			continue
		}
		p.check(t, g, param.Grad())
	}
	// The tied word-embedding matrix gets a decoder gradient on every row,
	// the padding row included.
	word := params["bert.embeddings.word_embeddings.weight"].Grad()
	if row0 := word.Select(0, p.ck.Config.PadTokenID); row0.Abs().Sum().Item() == 0 {
		t.Errorf("pre-training gradient of the tied word embeddings: padding row is zero, want the decoder's contribution")
	}
}

func TestParityMaskedOnlyLogits(t *testing.T) {
	p := openParity(t)
	m, _, err := p.ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m.MaskedOnly = true
	out, err := m.Forward(p.in, &PreTrainingLabels{MLM: p.mlm, NSP: p.nsp})
	if err != nil {
		t.Fatal(err)
	}
	want, shape := parityFloats(t, p.expected, "mlm_logits")
	vocab := shape[len(shape)-1]
	var rows []float32
	for _, pos := range out.MaskedPositions {
		if p.mlm[pos] == -100 {
			t.Fatalf("masked-only position %d has no label", pos)
		}
		rows = append(rows, want[pos*vocab:(pos+1)*vocab]...)
	}
	labelled := 0
	for _, l := range p.mlm {
		if l != -100 {
			labelled++
		}
	}
	if len(out.MaskedPositions) != labelled {
		t.Fatalf("masked-only computed %d rows, %d positions are labelled", len(out.MaskedPositions), labelled)
	}
	parityClose(t, "mlm_logits at masked positions", out.PredictionLogits.Data(), out.PredictionLogits.Shape(), rows, []int{labelled, vocab}, 1e-4, 1e-4)
	p.check(t, "mlm_loss", out.MLMLoss)
	p.check(t, "pretrain_loss", out.Loss)
}

func TestParitySequenceClassification(t *testing.T) {
	p := openParity(t)
	m, report, err := p.ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Missing) > 0 {
		t.Fatalf("loading the reference into ForSequenceClassification: %v", report)
	}
	for _, u := range report.Unexpected {
		if !strings.HasPrefix(u, "cls.") {
			t.Errorf("unexpected key %s (only cls.* belongs to the pre-training heads)", u)
		}
	}
	out, err := m.Forward(p.in, &SequenceLabels{Classes: p.cls})
	if err != nil {
		t.Fatal(err)
	}
	p.check(t, "cls_logits", out.Logits)
	p.check(t, "cls_loss", out.Loss)
	out.Loss.Backward()
	params := paramsByName(m)
	grads := p.namesWithPrefix("grad_cls.")
	if len(grads) == 0 {
		t.Fatal("reference has no grad_cls.* tensors")
	}
	for _, g := range grads {
		name := strings.TrimPrefix(g, "grad_cls.")
		param, ok := params[name]
		if !ok {
			t.Errorf("%s: the model has no parameter %s", g, name)
			continue
		}
		p.check(t, g, param.Grad())
	}
	// Without a decoder, the padding row gets exactly no gradient.
	word := params["bert.embeddings.word_embeddings.weight"].Grad()
	for j, v := range word.Select(0, p.ck.Config.PadTokenID).Data() {
		if v != 0 {
			t.Fatalf("classification gradient of the padding row [%d] = %g, want exactly 0", j, v)
		}
	}
}

// TestSaveLoadRoundTrip saves the reference model with SavePretrained, loads
// it back strictly and checks every parameter bit for bit and the outputs
// for identity.
func TestSaveLoadRoundTrip(t *testing.T) {
	p := openParity(t)
	m, _, err := p.ck.ForPreTraining(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := SavePretrained(dir, m, p.ck.Config, p.ck.Tokenizer); err != nil {
		t.Fatal(err)
	}
	saved, err := safetensors.Open(filepath.Join(dir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	if saved.Metadata["format"] != "pt" {
		t.Errorf("metadata %v, want format pt", saved.Metadata)
	}
	if _, ok := saved.Info("cls.predictions.decoder.weight"); ok {
		t.Errorf("saved file stores the tied decoder weight; HF leaves it out")
	}
	// The saved names are exactly the reference's, minus the classifier head
	// that this model does not have.
	var want []string
	for _, n := range p.ck.Weights.Names() {
		if !strings.HasPrefix(n, "classifier.") {
			want = append(want, n)
		}
	}
	if got := saved.Names(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("saved names differ from the reference:\n got %v\nwant %v", got, want)
	}

	// Byte for byte what HF's safetensors writes for the same tensors: the
	// reference file's own tensors (minus the classifier) re-encoded.
	var entries []safetensors.Entry
	for _, n := range want {
		raw, info, err := p.ck.Weights.Raw(n)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, safetensors.RawEntry(n, info.DType, info.Shape, raw))
	}
	hfBytes, err := safetensors.Marshal(entries, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	ourBytes, err := os.ReadFile(filepath.Join(dir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(hfBytes, ourBytes) {
		t.Errorf("saved model.safetensors (%d bytes) differs from the HF layout of the same tensors (%d bytes)", len(ourBytes), len(hfBytes))
	}

	ck2, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ck2.Tokenizer == nil || ck2.Tokenizer.Vocab.Size() != p.ck.Tokenizer.Vocab.Size() {
		t.Errorf("tokenizer did not round-trip")
	}
	m2, report, err := ck2.ForPreTraining(autograd.NewRNG(99), nn.LoadOptions{Strict: true})
	if err != nil {
		t.Fatalf("strict reload: %v", err)
	}
	if !report.OK() {
		t.Fatalf("strict reload report: %v", report)
	}
	a, b := paramsByName(m), paramsByName(m2)
	for name, pa := range a {
		da, db := pa.Data(), b[name].Data()
		for i := range da {
			if math.Float32bits(da[i]) != math.Float32bits(db[i]) {
				t.Fatalf("%s[%d]: saved %v, loaded %v", name, i, da[i], db[i])
			}
		}
	}
	o1, err := m.Forward(p.in, nil)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := m2.Forward(p.in, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range o1.PredictionLogits.Data() {
		if math.Float32bits(v) != math.Float32bits(o2.PredictionLogits.Data()[i]) {
			t.Fatalf("logits differ after save/load at %d: %v vs %v", i, v, o2.PredictionLogits.Data()[i])
		}
	}
}

// TestParityAdamW runs the README's three AdamW steps (lr 1e-3, betas 0.9 /
// 0.999, eps 1e-8, weight decay 0.01 over all parameters, eval mode) on the
// classification loss and compares the losses and the updated parameters.
func TestParityAdamW(t *testing.T) {
	p := openParity(t)
	m, _, err := p.ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opt := optim.NewAdamW(nn.Parameters(m), optim.AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01})
	wantLosses, _ := parityFloats(t, p.expected, "adamw_losses")
	losses := make([]float32, len(wantLosses))
	for step := range wantLosses {
		opt.ZeroGrad()
		out, err := m.Forward(p.in, &SequenceLabels{Classes: p.cls})
		if err != nil {
			t.Fatal(err)
		}
		losses[step] = out.Loss.Item()
		out.Loss.Backward()
		opt.Step()
	}
	parityClose(t, "adamw_losses", losses, []int{len(losses)}, wantLosses, []int{len(wantLosses)}, 1e-5, 1e-5)
	var after *ClassificationOutput
	autograd.NoGrad(func() { after, err = m.Forward(p.in, &SequenceLabels{Classes: p.cls}) })
	if err != nil {
		t.Fatal(err)
	}
	p.check(t, "adamw_loss_after_step3", after.Loss)
	params := paramsByName(m)
	names := p.namesWithPrefix("adamw_step3.")
	if len(names) == 0 {
		t.Fatal("reference has no adamw_step3.* tensors")
	}
	for _, n := range names {
		param, ok := params[strings.TrimPrefix(n, "adamw_step3.")]
		if !ok {
			t.Errorf("%s: the model has no such parameter", n)
			continue
		}
		p.check(t, n, param)
	}
}
