package gpt2

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/optim"
	"github.com/turinglab/turinglab/safetensors"
)

// The parity tests: the reference folder (TURINGLAB_GPT2_REF, default
// testdata/gpt2-ref-small) holds an HF GPT2LMHeadModel checkpoint, inputs and
// what PyTorch computed for them (see its README). Tolerances are the README's.

// refTolerance returns the README's atol and rtol for an expected tensor.
func refTolerance(name string) (atol, rtol float64) {
	switch {
	case strings.HasPrefix(name, "attentions."):
		return 1e-5, 1e-4
	case name == "loss" || name == "loss_right" || name == "token_loss" || name == "adamw_loss_after":
		return 1e-5, 1e-5
	case strings.HasPrefix(name, "grad."):
		return 1e-5, 1e-3
	case strings.HasPrefix(name, "adamw_step3."):
		return 1e-6, 1e-5
	}
	return 1e-4, 1e-4 // hidden states, logits, cache, generation logits
}

// refCase is the reference folder opened once per test.
type refCase struct {
	dir      string
	ck       *Checkpoint
	expected *safetensors.File
}

func openRef(t *testing.T) *refCase {
	t.Helper()
	dir := testref.GPT2RefDir(t)
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := safetensors.Open(filepath.Join(dir, "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	return &refCase{dir: dir, ck: ck, expected: exp}
}

// model loads the reference model (evaluation mode, every key used).
func (r *refCase) model(t *testing.T) *LMHeadModel {
	t.Helper()
	m, rep, err := r.ck.LMHeadModel(autograd.NewRNG(1), nn.LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("loading the reference: %s", rep)
	}
	return m
}

// ints reads an I64 tensor as ints with its shape.
func (r *refCase) ints(t *testing.T, name string) ([]int, []int) {
	t.Helper()
	v, shape, err := r.expected.Int64(name)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out, shape
}

// leftPadded is the README's left-padded batch with generate()'s position ids.
func (r *refCase) leftPadded(t *testing.T) (*Inputs, []int) {
	ids, shape := r.ints(t, "input_ids")
	mask, _ := r.ints(t, "attention_mask")
	pos, _ := r.ints(t, "position_ids")
	labels, _ := r.ints(t, "labels")
	return &Inputs{InputIDs: ids, AttentionMask: mask, PositionIDs: pos, Batch: shape[0], SeqLen: shape[1]}, labels
}

// check compares got with the expected tensor name at the README's tolerance.
func (r *refCase) check(t *testing.T, name string, got *autograd.Tensor) {
	t.Helper()
	r.checkAs(t, name, name, got)
}

// checkAs compares got with the expected tensor name, tolerance of group.
func (r *refCase) checkAs(t *testing.T, name, group string, got *autograd.Tensor) {
	t.Helper()
	want, shape, err := r.expected.Float32(name)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Errorf("%s: not computed", name)
		return
	}
	if got.Numel() != len(want) || (len(shape) > 0 && !autograd.SameShape(got.Shape(), shape)) {
		t.Errorf("%s: shape %v, want %v", name, got.Shape(), shape)
		return
	}
	atol, rtol := refTolerance(group)
	g := got.Contiguous().Data()
	worst, at := 0.0, -1
	for i := range want {
		d := math.Abs(float64(g[i]) - float64(want[i]))
		if excess := d - (atol + rtol*math.Abs(float64(want[i]))); excess > 0 && (at < 0 || excess > worst) {
			worst, at = excess, i
		}
	}
	if at >= 0 {
		t.Errorf("%s: element %d = %v, want %v (atol %g, rtol %g)", name, at, g[at], want[at], atol, rtol)
	}
}

// TestParityForward checks logits, loss, per-token loss, every hidden state
// and attention map and the last block's raw output on the left-padded batch
// (pad query rows included), and logits and loss on the right-padded one.
func TestParityForward(t *testing.T) {
	r := openRef(t)
	m := r.model(t)
	in, labels := r.leftPadded(t)
	in.OutputHiddenStates, in.OutputAttentions = true, true
	var lastBlock *autograd.Tensor
	remove := m.Transformer.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == m.Transformer.Config.NLayer {
			lastBlock = h
		}
		return nil
	})
	out, err := m.Forward(in, labels)
	remove()
	if err != nil {
		t.Fatal(err)
	}
	r.check(t, "logits", out.Logits)
	r.check(t, "loss", out.Loss)
	r.check(t, "token_loss", CausalLMTokenLoss(out.Logits, labels))
	r.checkAs(t, "last_block_output", "hidden_states", lastBlock)
	if len(out.HiddenStates) != m.Transformer.Config.NLayer+1 || len(out.Attentions) != m.Transformer.Config.NLayer {
		t.Fatalf("%d hidden states and %d attention maps for %d layers", len(out.HiddenStates), len(out.Attentions), m.Transformer.Config.NLayer)
	}
	for i, h := range out.HiddenStates {
		r.check(t, fmt.Sprintf("hidden_states.%d", i), h)
	}
	for i, a := range out.Attentions {
		r.check(t, fmt.Sprintf("attentions.%d", i), a)
	}

	ids, shape := r.ints(t, "input_ids_right")
	mask, _ := r.ints(t, "attention_mask_right")
	labelsRight, _ := r.ints(t, "labels_right")
	right, err := m.Forward(&Inputs{InputIDs: ids, AttentionMask: mask, Batch: shape[0], SeqLen: shape[1]}, labelsRight)
	if err != nil {
		t.Fatal(err)
	}
	r.check(t, "logits_right", right.Logits)
	r.check(t, "loss_right", right.Loss)
}

// TestParityPositionIDs checks PositionIDsFromMask against the position ids
// generate() built for the left-padded batch.
func TestParityPositionIDs(t *testing.T) {
	r := openRef(t)
	mask, shape := r.ints(t, "attention_mask")
	want, _ := r.ints(t, "position_ids")
	got, err := PositionIDsFromMask(mask, shape[0], shape[1], shape[1])
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("position ids %v, want %v", got, want)
		}
	}
}

// TestParityGradients checks d loss / d parameter for every parameter,
// including the tied wte (embedding lookup + LM head, summed).
func TestParityGradients(t *testing.T) {
	r := openRef(t)
	m := r.model(t)
	in, labels := r.leftPadded(t)
	out, err := m.Forward(in, labels)
	if err != nil {
		t.Fatal(err)
	}
	out.Loss.Backward()
	seen := map[*autograd.Tensor]bool{}
	for _, p := range m.NamedParameters("") {
		if seen[p.Tensor] {
			continue // the tied lm_head.weight is transformer.wte.weight
		}
		seen[p.Tensor] = true
		r.checkAs(t, "grad."+p.Name, "grad.", p.Tensor.Grad())
	}
	if len(seen) != 28 {
		t.Errorf("%d distinct parameters, the reference has 28", len(seen))
	}
}

// TestParityAdamW runs the README's three AdamW steps (two groups: decay
// 0.01 on weight matrices and embeddings, none on biases and LayerNorm
// weights) and checks the losses after each step and the stored parameters.
func TestParityAdamW(t *testing.T) {
	r := openRef(t)
	m := r.model(t)
	in, labels := r.leftPadded(t)
	groups := optim.DecayGroups(m.NamedParameters(""), 0.01)
	opt := optim.NewAdamWGroups(groups, optim.AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8})
	if n := len(groups); n != 2 || len(groups[1].Params) != 8*m.Transformer.Config.NLayer+2 {
		t.Fatalf("decay groups: %d groups, the no-decay one with %d tensors; want 2 and every bias and LayerNorm weight", n, len(groups[len(groups)-1].Params))
	}
	losses := make([]float32, 3)
	for step := 0; step < 3; step++ {
		opt.ZeroGrad()
		out, err := m.Forward(in, labels)
		if err != nil {
			t.Fatal(err)
		}
		out.Loss.Backward()
		opt.Step()
		after, err := m.Forward(in, labels)
		if err != nil {
			t.Fatal(err)
		}
		losses[step] = after.Loss.Item()
	}
	r.check(t, "adamw_loss_after", autograd.New(losses, 3))
	for _, name := range r.expected.Names() {
		if p, ok := strings.CutPrefix(name, "adamw_step3."); ok {
			r.check(t, name, paramByName(t, m, p))
		}
	}
}

// paramByName finds a parameter tensor by its HF name.
func paramByName(t *testing.T, m nn.Module, name string) *autograd.Tensor {
	t.Helper()
	for _, p := range m.NamedParameters("") {
		if p.Name == name {
			return p.Tensor
		}
	}
	t.Fatalf("no parameter %q", name)
	return nil
}

// TestParityKVCache replays the reference's greedy generation with the
// cache: the prompt once (checking the cached keys and values), then one
// token at a time; every step's logits and the generated ids must match, and
// the last step must equal one forward over the whole sequence.
func TestParityKVCache(t *testing.T) {
	r := openRef(t)
	m := r.model(t)
	prompt, _ := r.ints(t, "gen_input_ids")
	want, _ := r.ints(t, "gen_output_ids")
	stepLogits, shape, err := r.expected.Float32("gen_step_logits")
	if err != nil {
		t.Fatal(err)
	}
	vocab := shape[1]
	seq := append([]int(nil), prompt...)
	in := &Inputs{InputIDs: prompt, Batch: 1, SeqLen: len(prompt), UseCache: true}
	autograd.NoGrad(func() {
		for step := 0; step < shape[0]; step++ {
			out, err := m.Forward(in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if step == 0 {
				for i, l := range out.Cache.Layers {
					r.check(t, fmt.Sprintf("gen_prompt_past.%d.key", i), l.Key)
					r.check(t, fmt.Sprintf("gen_prompt_past.%d.value", i), l.Value)
				}
			}
			last := out.Logits.Select(1, out.Logits.Size(1)-1).Reshape(vocab)
			r.checkStep(t, step, last, stepLogits[step*vocab:(step+1)*vocab])
			next := last.ArgMax(0)[0]
			seq = append(seq, next)
			in = &Inputs{InputIDs: []int{next}, Batch: 1, SeqLen: 1, Past: out.Cache, UseCache: true}
		}
	})
	for i := range want {
		if seq[i] != want[i] {
			t.Fatalf("greedy continuation %v, want %v", seq, want)
		}
	}
	full, err := m.Forward(&Inputs{InputIDs: seq[:len(seq)-1], Batch: 1, SeqLen: len(seq) - 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.check(t, "gen_last_logits_full", full.Logits.Select(1, len(seq)-2).Reshape(vocab))
}

// checkStep compares one generation step's logits with row step of gen_step_logits.
func (r *refCase) checkStep(t *testing.T, step int, got *autograd.Tensor, want []float32) {
	t.Helper()
	g := got.Contiguous().Data()
	for i := range want {
		if math.Abs(float64(g[i]-want[i])) > 1e-4+1e-4*math.Abs(float64(want[i])) {
			t.Fatalf("gen_step_logits[%d][%d] = %v, want %v", step, i, g[i], want[i])
		}
	}
}
