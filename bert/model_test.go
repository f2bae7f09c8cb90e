package bert

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

func TestParameterNamesAreHF(t *testing.T) {
	p := openParity(t)
	pre, _ := NewForPreTraining(p.ck.Config, autograd.NewRNG(1))
	cls, _ := NewForSequenceClassification(p.ck.Config, autograd.NewRNG(1))
	names := map[string]bool{}
	for _, m := range []nn.Module{pre, cls} {
		for _, q := range m.NamedParameters("") {
			names[q.Name] = true
		}
	}
	for _, n := range p.ck.Weights.Names() {
		if !names[n] {
			t.Errorf("reference tensor %s has no parameter of that name", n)
		}
		delete(names, n)
	}
	for n := range names {
		t.Errorf("parameter %s is not in the reference file", n)
	}
	// Module paths resolve as in PyTorch's get_submodule.
	for _, path := range []string{"bert.encoder.layer.1.attention.self.query", "bert.encoder.layer.0.output.LayerNorm", "cls.predictions.transform.dense", "bert.embeddings.word_embeddings"} {
		if _, err := nn.GetModule(pre, path); err != nil {
			t.Errorf("GetModule(%q): %v", path, err)
		}
	}
	if want := fmt.Sprintf("(seq_relationship): Linear(in_features=%d, out_features=2, bias=True)", p.ck.Config.HiddenSize); !strings.Contains(pre.String(), want) {
		t.Errorf("repr does not show the NSP head:\n%s", pre)
	}
}

func TestReplaceModuleSwapsALinear(t *testing.T) {
	p := openParity(t)
	m, _, err := p.ck.ForSequenceClassification(autograd.NewRNG(1), nn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := m.Bert.Encoder.Layers[0].Attention.Self.Query.(*nn.Linear)
	// A wrapper that doubles the query projection stands in for a PEFT layer.
	wrapped := &scaledLinear{Linear: q, scale: 2}
	if err := nn.ReplaceModule(m, "bert.encoder.layer.0.attention.self.query", wrapped); err != nil {
		t.Fatal(err)
	}
	if m.Bert.Encoder.Layers[0].Attention.Self.Query != nn.Layer(wrapped) {
		t.Fatal("ReplaceModule did not reach the query slot")
	}
	out, err := m.Forward(p.in, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := parityFloats(t, p.expected, "cls_logits")
	same := true
	for i, v := range out.Logits.Data() {
		if math.Abs(float64(v-want[i])) > 1e-4 {
			same = false
		}
	}
	if same {
		t.Error("replacing the query projection did not change the logits")
	}
	if err := nn.ReplaceModule(m, "bert.encoder.layer.0.attention.self.query", nn.NewLayerNorm(p.ck.Config.HiddenSize, 1e-12)); err != nil {
		t.Fatal(err) // a LayerNorm is an nn.Layer too: allowed
	}
	if err := nn.ReplaceModule(m, "bert.encoder.layer.0.output.LayerNorm", nn.NewLinear(p.ck.Config.HiddenSize, p.ck.Config.HiddenSize, true, autograd.NewRNG(1))); err == nil {
		t.Error("a Linear in a LayerNorm slot should be refused")
	}
}

func TestTaskModelsSwapTheirEncoder(t *testing.T) {
	c := tinyConfig()
	pre, _ := NewForPreTraining(c, autograd.NewRNG(1))
	mlm, _ := NewForMaskedLM(c, autograd.NewRNG(1))
	seq, _ := NewForSequenceClassification(c, autograd.NewRNG(1))
	tok, _ := NewForTokenClassification(c, autograd.NewRNG(1))
	encoder := func(m nn.Parent) nn.Module { return m.Children()[0].Module }
	for _, m := range []nn.Parent{pre, mlm, seq, tok} {
		b, err := NewModel(c, autograd.NewRNG(2), true)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SetChild("bert", b); err != nil {
			t.Errorf("%T: SetChild(bert, *Model): %v", m, err)
		} else if encoder(m) != nn.Module(b) {
			t.Errorf("%T: SetChild(bert) did not store the new encoder", m)
		}
		err = m.SetChild("bert", nn.NewLinear(2, 2, true, autograd.NewRNG(1)))
		if err == nil || !strings.Contains(err.Error(), `child "bert" must be a *bert.Model, got *nn.Linear`) {
			t.Errorf("%T: a Linear in the bert slot: err = %v, want it refused by name and type", m, err)
		}
		if encoder(m) != nn.Module(b) {
			t.Errorf("%T: a refused SetChild(bert) changed the encoder", m)
		}
	}
}

// scaledLinear multiplies a Linear's output by a constant.
type scaledLinear struct {
	*nn.Linear
	scale float32
}

func (s *scaledLinear) Forward(x *autograd.Tensor) *autograd.Tensor {
	return s.Linear.Forward(x).MulScalar(s.scale)
}

// tinyConfig is a small config for tests that do not need the reference.
func tinyConfig() *Config {
	c := DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads = 50, 16, 2, 2
	c.IntermediateSize, c.MaxPositionEmbeddings = 32, 12
	c.SetLabels("no", "yes")
	return c
}

// tinyInputs is a padded batch of two sequences for tinyConfig.
func tinyInputs() *Inputs {
	in, err := NewInputs(
		[][]int{{2, 7, 9, 11, 3, 0}, {2, 5, 3, 0, 0, 0}},
		[][]int{{0, 0, 0, 1, 1, 0}, {0, 0, 0, 0, 0, 0}},
		[][]int{{1, 1, 1, 1, 1, 0}, {1, 1, 1, 0, 0, 0}})
	if err != nil {
		panic(err)
	}
	return in
}

func TestInitialisationIsHF(t *testing.T) {
	c := tinyConfig()
	c.VocabSize, c.IntermediateSize = 400, 256
	m, err := NewForPreTraining(c, autograd.NewRNG(42))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.NamedParameters("") {
		d := p.Tensor.Data()
		switch {
		case strings.HasSuffix(p.Name, "LayerNorm.weight"):
			for _, v := range d {
				if v != 1 {
					t.Fatalf("%s not all ones", p.Name)
				}
			}
		case strings.HasSuffix(p.Name, "bias"):
			for _, v := range d {
				if v != 0 {
					t.Fatalf("%s not all zeros", p.Name)
				}
			}
		case len(d) >= 4096: // large enough for a meaningful standard deviation
			var sum, sq float64
			for _, v := range d {
				sum += float64(v)
				sq += float64(v) * float64(v)
			}
			n := float64(len(d))
			if p.Name == "bert.embeddings.word_embeddings.weight" {
				n -= float64(c.HiddenSize) // the zero padding row
			}
			mean, std := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n))
			if math.Abs(mean) > 0.003 || math.Abs(std-c.InitializerRange) > 0.003 {
				t.Errorf("%s: mean %.4f std %.4f, want N(0, %g)", p.Name, mean, std, c.InitializerRange)
			}
		}
		if !p.Tensor.RequiresGrad() {
			t.Errorf("%s does not require gradients", p.Name)
		}
	}
	for j, v := range m.Bert.Embeddings.WordEmbeddings.Weight.Select(0, c.PadTokenID).Data() {
		if v != 0 {
			t.Fatalf("padding row [%d] = %v, want 0", j, v)
		}
	}
	if m.Cls.Predictions.Decoder != m.Bert.Embeddings.WordEmbeddings.Weight {
		t.Error("MLM decoder is not tied to the word embeddings")
	}
	_, total := nn.CountParameters(m)
	listed := 0
	for _, p := range m.NamedParameters("") {
		listed += p.Tensor.Numel()
	}
	if total != listed {
		t.Errorf("CountParameters %d, listed %d (the tied decoder must be counted once)", total, listed)
	}
	// Same seed, same model.
	m2, _ := NewForPreTraining(c, autograd.NewRNG(42))
	sameParams(t, m, m2)
}

func TestInputsErrors(t *testing.T) {
	c := tinyConfig()
	if _, err := NewInputs([][]int{{1, 2}, {1}}, nil, nil); err == nil || !strings.Contains(err.Error(), "row 1 has length 1") {
		t.Errorf("ragged batch: %v", err)
	}
	in := tinyInputs()
	in.InputIDs[3] = 50
	if err := in.Validate(c); err == nil || !strings.Contains(err.Error(), "input ids[0][3] = 50 is outside [0, 50)") {
		t.Errorf("id out of range: %v", err)
	}
	long, _ := NewInputs([][]int{make([]int, 13)}, nil, nil)
	m, _ := NewModel(c, autograd.NewRNG(1), true)
	if _, err := m.Forward(long); err == nil || !strings.Contains(err.Error(), "max_position_embeddings 12") {
		t.Errorf("too long: %v", err)
	}
	cls, _ := NewForSequenceClassification(c, autograd.NewRNG(1))
	if _, err := cls.Forward(tinyInputs(), &SequenceLabels{Classes: []int{0, 2}}); err == nil || !strings.Contains(err.Error(), "classification labels[1] = 2") {
		t.Errorf("label out of range: %v", err)
	}
}

func TestTrainingModeUsesDropout(t *testing.T) {
	m, _ := NewModel(tinyConfig(), autograd.NewRNG(1), true)
	a, _ := m.Forward(tinyInputs())
	b, _ := m.Forward(tinyInputs())
	if a.LastHiddenState.AllClose(b.LastHiddenState, 0, 0) {
		t.Error("a new model is in training mode (like torch): two passes should differ by dropout")
	}
	m.SetTraining(false)
	a, _ = m.Forward(tinyInputs())
	b, _ = m.Forward(tinyInputs())
	if !a.LastHiddenState.AllClose(b.LastHiddenState, 0, 0) {
		t.Error("evaluation mode must be deterministic")
	}
}

func TestHooksReadAndReplaceHiddenStates(t *testing.T) {
	m, _ := NewModel(tinyConfig(), autograd.NewRNG(1), true)
	m.SetTraining(false)
	in := tinyInputs()
	in.OutputHiddenStates = true
	plain, _ := m.Forward(in)

	var seen []int
	var cached []*autograd.Tensor
	remove := m.Encoder.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		seen = append(seen, i)
		cached = append(cached, h)
		return nil
	})
	m.Forward(in)
	if len(seen) != 3 || seen[0] != 0 || seen[2] != 2 {
		t.Fatalf("hook saw states %v, want 0..2", seen)
	}
	for i, h := range cached {
		if !h.AllClose(plain.HiddenStates[i], 0, 0) {
			t.Errorf("hook state %d differs from HiddenStates[%d]", i, i)
		}
	}
	remove()

	// Replacing layer 0's output (state 1) with zeros changes everything after it.
	remove = m.Encoder.AddHook(func(i int, h *autograd.Tensor) *autograd.Tensor {
		if i == 1 {
			return autograd.ZerosLike(h)
		}
		return nil
	})
	patched, _ := m.Forward(in)
	if patched.HiddenStates[1].Abs().Sum().Item() != 0 {
		t.Error("the replacement is not what HiddenStates reports")
	}
	if patched.LastHiddenState.AllClose(plain.LastHiddenState, 1e-3, 1e-3) {
		t.Error("patching state 1 did not change the output")
	}
	remove()
	back, _ := m.Forward(in)
	if !back.LastHiddenState.AllClose(plain.LastHiddenState, 0, 0) {
		t.Error("removing the hook did not restore the forward pass")
	}
}

// TestPrefixAttentionMatchesDefinition checks self-attention with a
// key/value prefix and a padding mask against the definition computed
// element by element in float64.
func TestPrefixAttentionMatchesDefinition(t *testing.T) {
	c := tinyConfig()
	m, _ := NewModel(c, autograd.NewRNG(1), true)
	m.SetTraining(false)
	in := tinyInputs()
	rng := autograd.NewRNG(9)
	heads, hd, P := c.NumAttentionHeads, c.HeadDim(), 3
	prefix := &KVPrefix{
		Key:   autograd.RandN(rng, heads, P, hd).SetRequiresGrad(true),
		Value: autograd.RandN(rng, heads, P, hd).SetRequiresGrad(true),
	}
	m.Encoder.SetPrefix(0, prefix)
	in.OutputHiddenStates, in.OutputAttentions = true, true
	out, err := m.Forward(in)
	if err != nil {
		t.Fatal(err)
	}
	// HF shifts the positions by the prefix length (past_key_values_length).
	if !out.HiddenStates[0].AllClose(m.Embeddings.ForwardAt(in, P), 0, 0) || out.HiddenStates[0].AllClose(m.Embeddings.Forward(in), 1e-3, 1e-3) {
		t.Error("with a prefix of length P the positions should run P..P+T-1")
	}
	probs := out.Attentions[0]
	if s := probs.Shape(); !autograd.SameShape(s, []int{in.Batch, heads, in.SeqLen, P + in.SeqLen}) {
		t.Fatalf("attention shape %v", s)
	}

	// The definition, in float64.
	att := m.Encoder.Layers[0].Attention.Self
	h0 := out.HiddenStates[0]
	lin := func(l nn.Layer) []float64 { return l.Forward(h0).Float64s() } // [B, T, H]
	q, k, v := lin(att.Query), lin(att.Key), lin(att.Value)
	pk, pv := prefix.Key.Float64s(), prefix.Value.Float64s()
	B, T, H := in.Batch, in.SeqLen, c.HiddenSize
	got := probs.Float64s()
	ctxT, _ := att.Forward(h0, additiveMask(in.AttentionMask, B, T, P), prefix)
	ctx := ctxT.Float64s()
	for b := 0; b < B; b++ {
		for hh := 0; hh < heads; hh++ {
			for i := 0; i < T; i++ {
				scores := make([]float64, P+T)
				for j := 0; j < P+T; j++ {
					var s float64
					for d := 0; d < hd; d++ {
						qd := q[(b*T+i)*H+hh*hd+d]
						var kd float64
						if j < P {
							kd = pk[(hh*P+j)*hd+d]
						} else {
							kd = k[(b*T+j-P)*H+hh*hd+d]
						}
						s += qd * kd
					}
					scores[j] = s / math.Sqrt(float64(hd))
					if j >= P && in.AttentionMask[b*T+j-P] == 0 {
						scores[j] = math.Inf(-1)
					}
				}
				max := math.Inf(-1)
				for _, s := range scores {
					max = math.Max(max, s)
				}
				var z float64
				for j := range scores {
					scores[j] = math.Exp(scores[j] - max)
					z += scores[j]
				}
				want := make([]float64, hd)
				for j := range scores {
					w := scores[j] / z
					g := got[((b*heads+hh)*T+i)*(P+T)+j]
					if math.Abs(g-w) > 1e-5 {
						t.Fatalf("probs[%d,%d,%d,%d] = %g, definition %g", b, hh, i, j, g, w)
					}
					for d := 0; d < hd; d++ {
						if j < P {
							want[d] += w * pv[(hh*P+j)*hd+d]
						} else {
							want[d] += w * v[(b*T+j-P)*H+hh*hd+d]
						}
					}
				}
				for d := 0; d < hd; d++ {
					if g := ctx[(b*T+i)*H+hh*hd+d]; math.Abs(g-want[d]) > 1e-4 {
						t.Fatalf("context[%d,%d,%d] = %g, definition %g", b, i, hh*hd+d, g, want[d])
					}
				}
			}
		}
	}
	// Gradients reach the prefix (prefix tuning trains it).
	out.LastHiddenState.Sum().Backward()
	if prefix.Key.Grad() == nil || prefix.Value.Grad() == nil || prefix.Value.Grad().Abs().Sum().Item() == 0 {
		t.Error("no gradient reached the prefix keys/values")
	}
	m.Encoder.SetPrefix(0, nil)
	if m.Encoder.Prefix(0) != nil {
		t.Error("SetPrefix(0, nil) did not remove the prefix")
	}
}

func TestInputsFromEncodings(t *testing.T) {
	p := openParity(t)
	if p.ck.Tokenizer == nil {
		t.Skip("reference folder has no vocab.txt")
	}
	a, err := p.ck.Tokenizer.Encode("hello, world!", tokenizer.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := InputsFromEncodings([]*tokenizer.BertEncoding{a})
	if err != nil {
		t.Fatal(err)
	}
	if in.Batch != 1 || in.SeqLen != len(a.IDs) || in.InputIDs[0] != p.ck.Tokenizer.ClsID || in.AttentionMask[0] != 1 {
		t.Fatalf("inputs %+v from %+v", in, a)
	}
	if err := in.Validate(p.ck.Config); err != nil {
		t.Fatal(err)
	}
}

func TestExtendedAttentionMask(t *testing.T) {
	in := tinyInputs()
	m := ExtendedAttentionMask(in)
	if !autograd.SameShape(m.Shape(), []int{2, 1, 1, 6}) {
		t.Fatalf("shape %v", m.Shape())
	}
	for i, v := range m.Data() {
		want := float32(0)
		if in.AttentionMask[i] == 0 {
			want = -math.MaxFloat32 // finfo(float32).min, as HF
		}
		if v != want {
			t.Fatalf("mask[%d] = %g, want %g", i, v, want)
		}
	}
	in.AttentionMask = nil
	if ExtendedAttentionMask(in).Abs().Sum().Item() != 0 {
		t.Error("no attention mask should give an all-zero additive mask")
	}
}

func TestForwardStopsOnInterrupt(t *testing.T) {
	m, _ := NewModel(tinyConfig(), autograd.NewRNG(1), true)
	display.BeginRun()
	display.Interrupt()
	defer display.BeginRun()
	_, err := m.Forward(tinyInputs())
	if !errors.Is(err, display.ErrInterrupted) || !strings.Contains(err.Error(), "before layer 0") {
		t.Fatalf("interrupted forward: err = %v", err)
	}
}

func TestClassifiersRefuseAConfigWithoutLabels(t *testing.T) {
	c := tinyConfig()
	c.SetNumLabels(0)
	if _, err := NewForSequenceClassification(c, autograd.NewRNG(1)); err == nil || !strings.Contains(err.Error(), "at least one label") {
		t.Errorf("sequence classification without labels: %v", err)
	}
	if _, err := NewForTokenClassification(c, autograd.NewRNG(1)); err == nil || !strings.Contains(err.Error(), "at least one label") {
		t.Errorf("token classification without labels: %v", err)
	}
}

// dropoutModes lists the training flag of every dropout in m's tree.
func dropoutModes(m nn.Module) []bool {
	var modes []bool
	var walk func(nn.Module)
	walk = func(m nn.Module) {
		if d, ok := m.(*nn.Dropout); ok {
			modes = append(modes, d.Training())
		}
		if p, ok := m.(nn.Parent); ok {
			for _, c := range p.Children() {
				walk(c.Module)
			}
		}
	}
	walk(m)
	return modes
}

// TestNewModelsTrainLoadedModelsEvaluate checks the documented modes, HF's:
// a freshly built model is in training mode (dropout on), one loaded from a
// checkpoint is in evaluation mode, as from_pretrained returns it.
func TestNewModelsTrainLoadedModelsEvaluate(t *testing.T) {
	c := tinyConfig()
	fresh, err := NewForSequenceClassification(c, autograd.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	bare, _ := NewModel(c, autograd.NewRNG(1), true)
	for name, m := range map[string]nn.Module{"NewForSequenceClassification": fresh, "NewModel": bare} {
		modes := dropoutModes(m)
		if len(modes) == 0 {
			t.Fatalf("%s: no dropout found", name)
		}
		for _, training := range modes {
			if !training {
				t.Fatalf("%s: a new model has a dropout in evaluation mode", name)
			}
		}
	}
	dir := t.TempDir()
	if err := SavePretrained(dir, fresh, c, nil); err != nil {
		t.Fatal(err)
	}
	ck, err := OpenCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	loaded, _, err := ck.ForSequenceClassification(autograd.NewRNG(2), nn.LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, training := range dropoutModes(loaded) {
		if training {
			t.Fatal("a model loaded from a checkpoint has a dropout in training mode")
		}
	}
}
