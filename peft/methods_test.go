package peft

import (
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// TestIA3ByHand checks output scaling (key/value) and input scaling
// (feed-forward) on a 2×2 layer, and merge/unmerge.
func TestIA3ByHand(t *testing.T) {
	for _, ff := range []bool{false, true} {
		base := nn.LinearFrom(autograd.New([]float32{1, 2, 3, 4}, 2, 2), autograd.New([]float32{1, 1}, 2))
		l := &IA3Linear{Base: base, FeedForward: ff, Vectors: map[string]*autograd.Tensor{}}
		l.addVector("a", true, nil)
		l.setActive("a")
		x := autograd.New([]float32{1, 1}, 1, 2)
		if got := l.Forward(x).Data(); got[0] != 4 || got[1] != 8 {
			t.Fatalf("ff=%v: IA3 initialised to 1 changed the output: %v", ff, got)
		}
		copy(l.Vectors["a"].Data(), []float32{2, 3})
		var want []float32
		if ff {
			// x⊙l = [2, 3]; W = [[1,2],[3,4]]: [2+6+1, 6+12+1].
			want = []float32{9, 19}
		} else {
			// (xWᵀ+b)⊙l = [4·2, 8·3].
			want = []float32{8, 24}
		}
		if got := l.Forward(x).Data(); got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("ff=%v: IA3 forward %v, want %v", ff, got, want)
		}
		if err := l.merge("a"); err != nil {
			t.Fatal(err)
		}
		if got := l.Forward(x).Data(); got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("ff=%v: merged forward %v, want %v", ff, got, want)
		}
		l.unmerge()
		if w := base.Weight.Data(); absDiff(w[3], 4) > 1e-5 || absDiff(base.Bias.Data()[1], 1) > 1e-5 {
			t.Fatalf("ff=%v: unmerge left weight %v bias %v", ff, w, base.Bias.Data())
		}
	}
}

func absDiff(a, b float32) float32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestIA3OnBert checks the default targets (key, value, FFN output dense as
// feed-forward), the unchanged start, gradients and the PEFT round trip.
func TestIA3OnBert(t *testing.T) {
	m, in := tinyBert(t, 11)
	plain := logits(t, m, in)
	cfg := NewIA3Config()
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(plain, logits(t, m, in)); d != 0 {
		t.Errorf("IA3 at init changed logits by %g", d)
	}
	var got []string
	for _, nm := range nn.NamedModules(m, "bert") {
		if l, ok := nm.Module.(*IA3Linear); ok {
			got = append(got, strings.TrimPrefix(nm.Name, "bert.bert.encoder.layer.0.")+map[bool]string{true: "(ff)", false: ""}[l.FeedForward])
		}
	}
	if s := strings.Join(got[:3], ","); s != "attention.self.key,attention.self.value,output.dense(ff)" {
		t.Errorf("IA3 targets of layer 0: %s", s)
	}
	for _, n := range got {
		if strings.Contains(n, "attention.output") {
			t.Errorf("IA3 adapted %s", n)
		}
	}
	// Give the vectors random values, then check merge and the round trip.
	rng := autograd.NewRNG(3)
	for _, p := range pm.NamedParameters("") {
		if strings.Contains(p.Name, "ia3_l") {
			copy(p.Tensor.Data(), autograd.Normal(rng, 1, 0.3, p.Tensor.Shape()...).Data())
		}
	}
	adapted := logits(t, m, in)
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(adapted, logits(t, m, in)); d > 1e-5 {
		t.Errorf("IA3 merge changed logits by %g", d)
	}
	pm.Unmerge()
	checkGradientsOnlyTrainable(t, pm, trainLoss(t, pm, m, in))
	checkRoundTrip(t, pm, m, in, 11, TypeIA3)
	sd, _ := pm.AdapterStateDict(DefaultAdapterName)
	if sd[0].Name != "base_model.model.bert.encoder.layer.0.attention.self.key.ia3_l" {
		t.Errorf("first IA3 key %q", sd[0].Name)
	}
}

// TestBitFit checks that only biases (LayerNorm β included) and the head
// train, that switching adapters swaps bias values, and the round trip.
func TestBitFit(t *testing.T) {
	m, in := tinyBert(t, 12)
	plain := logits(t, m, in)
	pm, err := New(m, NewBitFitConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pm.NamedParameters("") {
		isBias := strings.HasSuffix(p.Name, ".bias") && !strings.Contains(p.Name, "original_module")
		isHead := strings.Contains(p.Name, "modules_to_save")
		if p.Tensor.RequiresGrad() != (isBias || isHead) {
			t.Errorf("%s: requires-grad %v", p.Name, p.Tensor.RequiresGrad())
		}
	}
	if p := mustParam(t, pm, "base_model.model.bert.embeddings.LayerNorm.bias"); !p.RequiresGrad() {
		t.Error("LayerNorm β is not trained")
	}
	checkGradientsOnlyTrainable(t, pm, trainLoss(t, pm, m, in))
	// Change the adapter's biases; disabling restores the base's.
	q := mustParam(t, pm, "base_model.model.bert.encoder.layer.0.attention.self.query.bias")
	autograd.NoGrad(func() { q.AddInPlace(autograd.Full(0.5, q.Shape()...), 1) })
	adapted := logits(t, m, in)
	pm.DisableAdapters()
	if d := maxDiff(plain, logits(t, m, in)); d != 0 {
		t.Errorf("disabled BitFit differs from the base by %g", d)
	}
	pm.EnableAdapters()
	if d := maxDiff(adapted, logits(t, m, in)); d != 0 {
		t.Errorf("re-enabled BitFit differs by %g", d)
	}
	if err := pm.AddAdapter("other", NewBitFitConfig()); err != nil {
		t.Fatal(err)
	}
	if err := pm.SetAdapter("other"); err != nil {
		t.Fatal(err)
	}
	otherHead := logits(t, m, in)
	_ = otherHead
	if q.Data()[0] != 0 && absDiff(q.Data()[0], plainBias(t, 12)) > 1e-6 {
		t.Errorf("the second BitFit adapter did not start from the base biases")
	}
	if err := pm.SetAdapter(DefaultAdapterName); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(adapted, logits(t, m, in)); d != 0 {
		t.Errorf("switching back to the first BitFit adapter differs by %g", d)
	}
	checkRoundTrip(t, pm, m, in, 12, TypeBitFit)
}

// plainBias is the first query bias of a fresh tinyBert(seed).
func plainBias(t *testing.T, seed uint64) float32 {
	m, _ := tinyBert(t, seed)
	return m.Bert.Encoder.Layers[0].Attention.Self.Query.(*nn.Linear).Bias.Data()[0]
}

// mustParam finds a parameter of pm by name.
func mustParam(t *testing.T, pm *Model, name string) *autograd.Tensor {
	t.Helper()
	for _, p := range pm.NamedParameters("") {
		if p.Name == name {
			return p.Tensor
		}
	}
	t.Fatalf("no parameter %s", name)
	return nil
}

// TestBottleneckByHand checks y + up(act(down(y))) on a 2-d example.
func TestBottleneckByHand(t *testing.T) {
	base := nn.LinearFrom(autograd.Eye(2), nil)
	b := &Bottleneck{Base: base, Down: map[string]*nn.Linear{}, Up: map[string]*nn.Linear{}, Act: map[string]*nn.Activation{}, Res: map[string]bool{}}
	b.order = []string{"a"}
	b.Down["a"] = nn.LinearFrom(autograd.New([]float32{1, -1}, 1, 2), autograd.New([]float32{0}, 1))
	b.Up["a"] = nn.LinearFrom(autograd.New([]float32{2, 3}, 2, 1), autograd.New([]float32{0, 1}, 2))
	b.Act["a"] = nn.NewReLU()
	b.Res["a"] = true
	b.setActive("a")
	// y = [3, 1]; down = 2; relu 2; up = [4, 7]; + y = [7, 8].
	if got := b.Forward(autograd.New([]float32{3, 1}, 1, 2)).Data(); got[0] != 7 || got[1] != 8 {
		t.Fatalf("bottleneck forward %v, want [7 8]", got)
	}
	// relu cuts a negative bottleneck: y = [1, 3]: down = -2 → 0; up = [0, 1].
	if got := b.Forward(autograd.New([]float32{1, 3}, 1, 2)).Data(); got[0] != 1 || got[1] != 4 {
		t.Fatalf("bottleneck forward %v, want [1 4]", got)
	}
	b.Res["a"] = false
	if got := b.Forward(autograd.New([]float32{3, 1}, 1, 2)).Data(); got[0] != 4 || got[1] != 7 {
		t.Fatalf("bottleneck without residual %v, want [4 7]", got)
	}
}

// TestBottleneckPlacement checks Houlsby (two per layer) and Pfeiffer (one per
// layer, after the FFN), the near-identity start, gradients and round trip.
func TestBottleneckPlacement(t *testing.T) {
	for _, tc := range []struct {
		cfg  *BottleneckConfig
		want []string
	}{
		{NewHoulsbyConfig(), []string{"attention.output.dense", "output.dense"}},
		{NewPfeifferConfig(), []string{"output.dense"}},
	} {
		m, in := tinyBert(t, 13)
		plain := logits(t, m, in)
		tc.cfg.ReductionFactor = 4
		pm, err := New(m, tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, nm := range nn.NamedModules(m, "") {
			if b, ok := nm.Module.(*Bottleneck); ok && strings.HasPrefix(nm.Name, "bert.encoder.layer.0.") {
				got = append(got, strings.TrimPrefix(nm.Name, "bert.encoder.layer.0."))
				if d := b.Down[DefaultAdapterName].Weight.Shape(); d[0] != 4 || d[1] != 16 {
					t.Errorf("down projection %v, want [4 16] (hidden/reduction)", d)
				}
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: adapters at %v, want %v", tc.cfg.Architecture, got, tc.want)
		}
		if d := maxDiff(plain, logits(t, m, in)); d > 0.05 || d == 0 {
			t.Errorf("%s: near-identity init moved the logits by %g", tc.cfg.Architecture, d)
		}
		checkGradientsOnlyTrainable(t, pm, trainLoss(t, pm, m, in))
		checkRoundTrip(t, pm, m, in, 13, TypeBottleneck)
	}
}

var _ = bert.DefaultConfig
