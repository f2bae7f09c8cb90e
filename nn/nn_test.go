package nn

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/safetensors"
)

// TestLinearInit checks PyTorch's default initialisation: weight and bias in
// U(−1/√in, 1/√in), spread over the whole interval, reproducible from the seed.
func TestLinearInit(t *testing.T) {
	l := NewLinear(64, 48, true, autograd.NewRNG(1))
	bound := 1 / math.Sqrt(64)
	for _, p := range []*autograd.Tensor{l.Weight, l.Bias} {
		lo, hi := 1.0, -1.0
		var sum, sq float64
		for _, v := range p.Data() {
			x := float64(v)
			lo, hi = math.Min(lo, x), math.Max(hi, x)
			sum += x
			sq += x * x
		}
		n := float64(p.Numel())
		if lo < -bound || hi > bound {
			t.Errorf("values in [%g, %g], outside ±%g", lo, hi, bound)
		}
		if n > 1000 {
			// U(-b, b) has mean 0 and variance b²/3.
			if mean := sum / n; math.Abs(mean) > 0.1*bound {
				t.Errorf("mean %g, want ≈ 0", mean)
			}
			if v := sq / n; math.Abs(v-bound*bound/3)/(bound*bound/3) > 0.1 {
				t.Errorf("variance %g, want ≈ %g", v, bound*bound/3)
			}
			if hi < 0.95*bound || lo > -0.95*bound {
				t.Errorf("values in [%g, %g] do not span ±%g", lo, hi, bound)
			}
		}
		if !p.RequiresGrad() {
			t.Error("Linear parameters must require grad")
		}
	}
	again := NewLinear(64, 48, true, autograd.NewRNG(1))
	if !l.Weight.AllClose(again.Weight, 0, 0) || !l.Bias.AllClose(again.Bias, 0, 0) {
		t.Error("same seed gave different weights")
	}
	if got := NewLinear(3, 2, false, autograd.NewRNG(1)); got.Bias != nil || len(got.NamedParameters("")) != 1 {
		t.Error("bias=false should have no bias parameter")
	}
}

// TestLinearForward compares x·Wᵀ + b with a hand computation.
func TestLinearForward(t *testing.T) {
	l := LinearFrom(autograd.New([]float32{1, 2, 3, 4, 5, 6}, 2, 3), autograd.New([]float32{0.5, -1}, 2))
	y := l.Forward(autograd.New([]float32{1, 0, -1, 2, 1, 0}, 2, 3))
	want := []float32{1 - 3 + 0.5, 4 - 6 - 1, 2 + 2 + 0.5, 8 + 5 - 1}
	if got := y.Data(); len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("Linear forward %v, want %v", got, want)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "expected last dim 3") {
			t.Errorf("wrong input width should panic clearly, got %v", r)
		}
	}()
	l.Forward(autograd.Zeros(2, 4))
}

func TestEmbedding(t *testing.T) {
	e := NewEmbedding(100, 40, 0, autograd.NewRNG(2))
	w := e.Weight.Data()
	for j := 0; j < 40; j++ {
		if w[j] != 0 {
			t.Fatalf("padding row not zero: %v", w[:40])
		}
	}
	var sum, sq float64
	for _, v := range w[40:] {
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	n := float64(len(w) - 40)
	if mean, std := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n)); math.Abs(mean) > 0.05 || math.Abs(std-1) > 0.05 {
		t.Errorf("N(0,1) init: mean %g std %g", mean, std)
	}
	y := e.Forward([]int{3, 0, 7, 3}, 2, 2)
	if s := y.Shape(); len(s) != 3 || s[0] != 2 || s[1] != 2 || s[2] != 40 {
		t.Fatalf("shape %v, want [2 2 40]", s)
	}
	if y.At(1, 1, 5) != w[3*40+5] || y.At(0, 1, 5) != 0 {
		t.Error("lookup returned the wrong rows")
	}
	// The padding row receives no gradient.
	y.Sum().Backward()
	g := e.Weight.Grad().Data()
	if g[0] != 0 || g[3*40] != 2 || g[7*40] != 1 {
		t.Errorf("grad rows: pad %v, row3 %v, row7 %v", g[0], g[3*40], g[7*40])
	}
}

// TestLayerNorm compares with the definition, and checks the 1/0 initialisation.
func TestLayerNorm(t *testing.T) {
	ln := NewLayerNorm(4, 1e-5)
	x := autograd.New([]float32{1, 2, 3, 4, -1, 0, 0, 5}, 2, 4)
	y := ln.Forward(x).Data()
	xs := x.Data()
	for r := 0; r < 2; r++ {
		row := xs[4*r : 4*r+4]
		var mean, v float64
		for _, a := range row {
			mean += float64(a) / 4
		}
		for _, a := range row {
			v += (float64(a) - mean) * (float64(a) - mean) / 4
		}
		for i, a := range row {
			want := (float64(a) - mean) / math.Sqrt(v+1e-5)
			if math.Abs(float64(y[4*r+i])-want) > 1e-5 {
				t.Errorf("row %d elem %d: %v, want %v", r, i, y[4*r+i], want)
			}
		}
	}
	if len(NewLayerNormNoAffine(4, 1e-5).NamedParameters("")) != 0 {
		t.Error("non-affine LayerNorm has parameters")
	}
}

func TestDropoutMode(t *testing.T) {
	d := NewDropout(0.5, autograd.NewRNG(3))
	x := autograd.Ones(1000)
	y := d.Forward(x).Data()
	zeros := 0
	for _, v := range y {
		if v == 0 {
			zeros++
		} else if v != 2 {
			t.Fatalf("survivor %v, want 2 (scaled by 1/(1-p))", v)
		}
	}
	if zeros < 400 || zeros > 600 {
		t.Errorf("%d of 1000 dropped with p=0.5", zeros)
	}
	seq := NewSequential(NewLinear(4, 4, true, autograd.NewRNG(1)), d)
	Eval(seq)
	if d.Training() {
		t.Fatal("Eval did not reach the child")
	}
	if out := d.Forward(x); out != x {
		t.Error("dropout in eval mode should return its input")
	}
	Train(seq)
	if !d.Training() {
		t.Error("Train did not reach the child")
	}
}

// TestRepr checks the torch-style printing of every layer and the containers.
func TestRepr(t *testing.T) {
	rng := autograd.NewRNG(1)
	cases := []struct {
		m    Module
		want string
	}{
		{NewLinear(4, 2, true, rng), "Linear(in_features=4, out_features=2, bias=True)"},
		{NewLinear(4, 2, false, rng), "Linear(in_features=4, out_features=2, bias=False)"},
		{NewEmbedding(544, 32, 0, rng), "Embedding(544, 32, padding_idx=0)"},
		{NewEmbedding(2, 32, -1, rng), "Embedding(2, 32)"},
		{NewLayerNorm(32, 1e-12), "LayerNorm((32,), eps=1e-12, elementwise_affine=True)"},
		{NewLayerNormNoAffine(8, 1e-5), "LayerNorm((8,), eps=1e-05, elementwise_affine=False)"},
		{NewDropout(0.1, rng), "Dropout(p=0.1, inplace=False)"},
		{NewGELU(), "GELU()"},
		{NewSequential(NewLinear(2, 8, true, rng), NewReLU(), NewLinear(8, 1, true, rng)),
			"Sequential(\n  (0): Linear(in_features=2, out_features=8, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=8, out_features=1, bias=True)\n)"},
		{NewModuleList(NewModuleList(NewTanh()), NewSigmoid()),
			"ModuleList(\n  (0): ModuleList(\n    (0): Tanh()\n  )\n  (1): Sigmoid()\n)"},
	}
	for _, c := range cases {
		if got := c.m.(interface{ String() string }).String(); got != c.want {
			t.Errorf("repr:\n%s\nwant:\n%s", got, c.want)
		}
	}
}

// The types below build a miniature BERT-shaped tree the way the bert package
// will: typed fields, Children and SetChild, names as in HF checkpoints.

type selfAttention struct {
	Query, Key, Value Layer
}

func (a *selfAttention) Children() []NamedModule {
	return []NamedModule{{"query", a.Query}, {"key", a.Key}, {"value", a.Value}}
}
func (a *selfAttention) SetChild(name string, m Module) error {
	l, ok := m.(Layer)
	if !ok {
		return os.ErrInvalid
	}
	switch name {
	case "query":
		a.Query = l
	case "key":
		a.Key = l
	case "value":
		a.Value = l
	default:
		return os.ErrNotExist
	}
	return nil
}
func (a *selfAttention) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, a.Children())
}
func (a *selfAttention) SetTraining(train bool) { SetChildrenTraining(a.Children(), train) }

type block struct {
	Self *selfAttention
	Norm *LayerNorm
}

func (b *block) Children() []NamedModule {
	return []NamedModule{{"attention.self", b.Self}, {"LayerNorm", b.Norm}}
}
func (b *block) SetChild(string, Module) error { return os.ErrInvalid }
func (b *block) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, b.Children())
}
func (b *block) SetTraining(train bool) { SetChildrenTraining(b.Children(), train) }

type tinyModel struct {
	Embeddings *Embedding
	Layers     *ModuleList
}

func (m *tinyModel) Children() []NamedModule {
	return []NamedModule{{"embeddings", m.Embeddings}, {"encoder.layer", m.Layers}}
}
func (m *tinyModel) SetChild(string, Module) error { return os.ErrInvalid }
func (m *tinyModel) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, m.Children())
}
func (m *tinyModel) SetTraining(train bool) { SetChildrenTraining(m.Children(), train) }

func newTiny(seed uint64) *tinyModel {
	rng := autograd.NewRNG(seed)
	layers := NewModuleList()
	for i := 0; i < 2; i++ {
		layers.Append(&block{
			Self: &selfAttention{NewLinear(4, 4, true, rng), NewLinear(4, 4, true, rng), NewLinear(4, 4, false, rng)},
			Norm: NewLayerNorm(4, 1e-12),
		})
	}
	return &tinyModel{Embeddings: NewEmbedding(10, 4, 0, rng), Layers: layers}
}

// scaled is a stand-in PEFT wrapper: it wraps a Linear and adds a parameter.
type scaled struct {
	Base  *Linear
	Scale *autograd.Tensor
}

func (s *scaled) Forward(x *autograd.Tensor) *autograd.Tensor { return s.Base.Forward(x).Mul(s.Scale) }
func (s *scaled) NamedParameters(prefix string) []NamedParameter {
	return append(s.Base.NamedParameters(Join(prefix, "base_layer")), NamedParameter{Join(prefix, "scale"), s.Scale})
}
func (s *scaled) SetTraining(bool) {}

func TestHierarchicalNames(t *testing.T) {
	m := newTiny(1)
	var names []string
	for _, p := range StateDict(m) {
		names = append(names, p.Name)
	}
	want := "embeddings.weight," +
		"encoder.layer.0.attention.self.query.weight,encoder.layer.0.attention.self.query.bias," +
		"encoder.layer.0.attention.self.key.weight,encoder.layer.0.attention.self.key.bias," +
		"encoder.layer.0.attention.self.value.weight," +
		"encoder.layer.0.LayerNorm.weight,encoder.layer.0.LayerNorm.bias," +
		"encoder.layer.1.attention.self.query.weight,encoder.layer.1.attention.self.query.bias," +
		"encoder.layer.1.attention.self.key.weight,encoder.layer.1.attention.self.key.bias," +
		"encoder.layer.1.attention.self.value.weight," +
		"encoder.layer.1.LayerNorm.weight,encoder.layer.1.LayerNorm.bias"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("names:\n%s\nwant:\n%s", got, want)
	}
	if got := StateDict(m)[0].Name; StateDict(m)[0].Tensor != m.Embeddings.Weight || got != "embeddings.weight" {
		t.Error("state dict does not hold the live parameters")
	}
	if p := m.NamedParameters("bert"); p[0].Name != "bert.embeddings.weight" {
		t.Errorf("prefix not applied: %s", p[0].Name)
	}
	trainable, total := CountParameters(m)
	wantTotal := 10*4 + 2*(3*16+2*4+2*4)
	if total != wantTotal || trainable != wantTotal {
		t.Errorf("CountParameters = %d, %d; want %d", total, trainable, wantTotal)
	}
	Freeze(m.Layers)
	if trainable, total = CountParameters(m); trainable != 40 || total != wantTotal {
		t.Errorf("after freezing the layers %d of %d trainable, want 40 of %d", trainable, total, wantTotal)
	}
	Unfreeze(m)
	if len(TrainableTensors(m)) != len(Parameters(m)) {
		t.Error("Unfreeze left frozen parameters")
	}
	var modNames []string
	for _, nm := range NamedModules(m, "") {
		modNames = append(modNames, nm.Name)
	}
	if got := strings.Join(modNames, ","); !strings.HasPrefix(got, ",embeddings,encoder.layer,encoder.layer.0,encoder.layer.0.attention.self,encoder.layer.0.attention.self.query,") {
		t.Errorf("NamedModules: %s", got)
	}
}

// TestReplaceModule wraps a Linear by name, as PEFT will.
func TestReplaceModule(t *testing.T) {
	m := newTiny(1)
	got, err := GetModule(m, "encoder.layer.1.attention.self.query")
	if err != nil {
		t.Fatal(err)
	}
	q := got.(*Linear)
	if q != m.Layers.At(1).(*block).Self.Query {
		t.Fatal("GetModule found the wrong module")
	}
	if err := ReplaceModule(m, "encoder.layer.1.attention.self.query", &scaled{Base: q, Scale: autograd.Ones(1)}); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range StateDict(m) {
		names[p.Name] = true
	}
	if !names["encoder.layer.1.attention.self.query.base_layer.weight"] || !names["encoder.layer.1.attention.self.query.scale"] || names["encoder.layer.1.attention.self.query.weight"] {
		t.Errorf("after replacement: %v", names)
	}
	if _, err := GetModule(m, "encoder.layer.7.attention"); err == nil || !strings.Contains(err.Error(), `no child "7"`) || !strings.Contains(err.Error(), "children: 0, 1") {
		t.Errorf("bad path error: %v", err)
	}
	if err := ReplaceModule(m, "encoder.layer.0.LayerNorm.weight", q); err == nil || !strings.Contains(err.Error(), "has no children") {
		t.Errorf("replacing below a leaf: %v", err)
	}
	if err := ReplaceModule(m, "encoder.layer.0.attention.self.query", NewEmbedding(3, 4, -1, autograd.NewRNG(1))); err == nil {
		t.Error("an Embedding is not a Layer and must be refused")
	}
	seq := NewSequential(NewLinear(2, 2, true, autograd.NewRNG(1)))
	if err := seq.SetChild("1", NewReLU()); err == nil || !strings.Contains(err.Error(), `no child "1"`) {
		t.Errorf("Sequential.SetChild out of range: %v", err)
	}
}

// TestStateDictRoundTrip saves a model, loads it into a differently seeded twin
// and compares every tensor; it also checks the twin's parameters stay the same
// objects (loading is in place).
func TestStateDictRoundTrip(t *testing.T) {
	src, dst := newTiny(1), newTiny(2)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := SaveSafetensors(src, path, map[string]string{"note": "test"}); err != nil {
		t.Fatal(err)
	}
	before := Parameters(dst)
	rep, err := LoadSafetensors(dst, path, LoadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || len(rep.Loaded) != 15 {
		t.Errorf("report %v", rep)
	}
	a, b := StateDict(src), StateDict(dst)
	for i := range a {
		if !a[i].Tensor.AllClose(b[i].Tensor, 0, 0) {
			t.Errorf("%s differs after the round trip", a[i].Name)
		}
		if b[i].Tensor != before[i] {
			t.Errorf("%s was replaced, not loaded in place", b[i].Name)
		}
	}
	sd, meta, err := ReadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta["format"] != "pt" || meta["note"] != "test" || len(sd) != 15 {
		t.Errorf("metadata %v, %d tensors", meta, len(sd))
	}
	// In memory too, from a fresh model.
	third := newTiny(3)
	if _, err := LoadStateDict(third, sd, LoadOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if !third.Embeddings.Weight.AllClose(src.Embeddings.Weight, 0, 0) {
		t.Error("LoadStateDict did not copy")
	}
}

// TestLoadErrors checks strict and non-strict loading report missing and
// unexpected keys and shape mismatches by name and shape, and that a failed
// load changes nothing.
func TestLoadErrors(t *testing.T) {
	m := newTiny(1)
	orig := append([]float32(nil), m.Embeddings.Weight.Data()...)
	sd := StateDict(newTiny(2))
	var partial []NamedParameter
	for _, p := range sd {
		if p.Name == "encoder.layer.1.LayerNorm.bias" {
			continue
		}
		if p.Name == "encoder.layer.0.attention.self.key.weight" {
			p.Name = "encoder.layer.0.attention.self.k.weight"
		}
		partial = append(partial, p)
	}
	partial = append(partial, NamedParameter{"pooler.dense.weight", autograd.Zeros(2, 2)})

	rep, err := LoadStateDict(m, partial, LoadOptions{Strict: true})
	if err == nil {
		t.Fatal("strict load with missing keys succeeded")
	}
	for _, want := range []string{
		`missing key(s) in state dict: "encoder.layer.0.attention.self.key.weight", "encoder.layer.1.LayerNorm.bias"`,
		`unexpected key(s) in state dict: "encoder.layer.0.attention.self.k.weight", "pooler.dense.weight"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\nshould contain %q", err, want)
		}
	}
	if len(rep.Missing) != 2 || len(rep.Unexpected) != 2 || len(rep.Loaded) != 0 {
		t.Errorf("report %+v", rep)
	}
	if !m.Embeddings.Weight.AllClose(autograd.New(orig, 10, 4), 0, 0) {
		t.Error("a failed strict load changed the model")
	}

	rep, err = LoadStateDict(m, partial, LoadOptions{})
	if err != nil {
		t.Fatalf("non-strict load: %v", err)
	}
	if len(rep.Loaded) != 13 || len(rep.Missing) != 2 || len(rep.Unexpected) != 2 || !strings.Contains(rep.String(), "missing keys (2, newly initialised)") {
		t.Errorf("non-strict report: %v", rep)
	}

	bad := []NamedParameter{{"embeddings.weight", autograd.Zeros(12, 4)}}
	_, err = LoadStateDict(m, bad, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "size mismatch for embeddings.weight: copying a param with shape [12 4] from checkpoint, the shape in current model is [10 4]") {
		t.Errorf("shape mismatch error: %v", err)
	}
	_, err = LoadStateDict(m, append(bad, bad...), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "two entries") {
		t.Errorf("duplicate entry error: %v", err)
	}
}

// TestLoadReferenceEmbeddings loads the embedding part of the reference BERT
// checkpoint into a module tree with HF names (non-strict: the rest of the
// checkpoint is reported as unexpected), and checks values and the report.
func TestLoadReferenceEmbeddings(t *testing.T) {
	path := filepath.Join(testref.BertRefDir(t), "model.safetensors")
	rng := autograd.NewRNG(0)
	emb := &embeddings{
		Word:      NewEmbedding(544, 32, 0, rng),
		Position:  NewEmbedding(32, 32, -1, rng),
		TokenType: NewEmbedding(2, 32, -1, rng),
		Norm:      NewLayerNorm(32, 1e-12),
	}
	root := &prefixed{name: "bert.embeddings", m: emb}
	rep, err := LoadSafetensors(root, path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Loaded) != 5 || len(rep.Missing) != 0 || len(rep.Unexpected) == 0 {
		t.Errorf("report: loaded %d missing %v unexpected %d", len(rep.Loaded), rep.Missing, len(rep.Unexpected))
	}
	sd, _, err := ReadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sd {
		if p.Name == "bert.embeddings.position_embeddings.weight" && !p.Tensor.AllClose(emb.Position.Weight, 0, 0) {
			t.Error("position embeddings differ from the file")
		}
	}
	if _, err := LoadSafetensors(root, path, LoadOptions{Strict: true}); err == nil || !strings.Contains(err.Error(), `unexpected key(s) in state dict: "bert.encoder.layer.0`) || !strings.Contains(err.Error(), path) {
		t.Errorf("strict load of the whole checkpoint: %v", err)
	}
}

type embeddings struct {
	Word, Position, TokenType *Embedding
	Norm                      *LayerNorm
}

func (e *embeddings) Children() []NamedModule {
	return []NamedModule{{"word_embeddings", e.Word}, {"position_embeddings", e.Position}, {"token_type_embeddings", e.TokenType}, {"LayerNorm", e.Norm}}
}
func (e *embeddings) SetChild(string, Module) error { return os.ErrInvalid }
func (e *embeddings) NamedParameters(prefix string) []NamedParameter {
	return ChildParameters(prefix, e.Children())
}
func (e *embeddings) SetTraining(train bool) { SetChildrenTraining(e.Children(), train) }

// prefixed mounts a module under a dotted name.
type prefixed struct {
	name string
	m    Module
}

func (p *prefixed) NamedParameters(prefix string) []NamedParameter {
	return p.m.NamedParameters(Join(prefix, p.name))
}
func (p *prefixed) SetTraining(train bool) { p.m.SetTraining(train) }

// TestSaveTied writes a tensor shared by two names once, as HF does.
func TestSaveTied(t *testing.T) {
	w := autograd.Ones(3, 2)
	sd := []NamedParameter{{"a.weight", w}, {"b.weight", w}}
	path := filepath.Join(t.TempDir(), "tied.safetensors")
	if err := SaveStateDict(sd, path, nil); err != nil {
		t.Fatal(err)
	}
	got, _, err := ReadSafetensors(path)
	if err != nil || len(got) != 1 || got[0].Name != "a.weight" {
		t.Errorf("tied save: %v %v", got, err)
	}
}

// TestTrainMLP trains a small Sequential regression with plain gradient steps
// to check the pieces fit together (forward, backward, parameter updates).
func TestTrainMLP(t *testing.T) {
	rng := autograd.NewRNG(7)
	net := NewSequential(NewLinear(2, 16, true, rng), NewTanh(), NewLinear(16, 1, true, rng))
	x := autograd.Uniform(rng, -1, 1, 64, 2)
	xd := x.Data()
	yd := make([]float32, 64)
	for i := range yd {
		yd[i] = xd[2*i] * xd[2*i+1]
	}
	y := autograd.New(yd, 64, 1)
	loss := func() *autograd.Tensor { return net.Forward(x).Sub(y).Square().Mean() }
	first := loss().Item()
	for step := 0; step < 300; step++ {
		for _, p := range Parameters(net) {
			p.ZeroGrad()
		}
		l := loss()
		l.Backward()
		for _, p := range Parameters(net) {
			w, g := p.Data(), p.Grad().Data()
			for i := range w {
				w[i] -= 0.2 * g[i]
			}
		}
	}
	if last := loss().Item(); !(last < first/4) {
		t.Errorf("loss %v -> %v: training did not reduce it enough", first, last)
	}
}

func TestSummary(t *testing.T) {
	m := newTiny(1)
	Freeze(m.Embeddings)
	s := Summary(m)
	if len(s.Rows) != 16 || s.Rows[0][0] != "embeddings.weight" || s.Rows[0][1] != "[10 4]" || s.Rows[0][2] != 40 || s.Rows[0][3] != false {
		t.Errorf("first row %v of %d", s.Rows[0], len(s.Rows))
	}
	if last := s.Rows[15]; last[2] != 168 || last[3] != "128 trainable" {
		t.Errorf("total row %v", last)
	}
	if !strings.Contains(s.String(), "encoder.layer.1.LayerNorm.bias") {
		t.Errorf("text form:\n%s", s)
	}
}

// TestTiedLoad: a tensor listed under two names loads from either name, and the
// other is not reported missing; prefixes can be added and stripped.
func TestTiedLoad(t *testing.T) {
	emb := NewEmbedding(5, 3, 0, autograd.NewRNG(1))
	tied := &prefixed{name: "", m: &tiedModel{emb}}
	path := filepath.Join(t.TempDir(), "tied.safetensors")
	if err := SaveSafetensors(tied, path, nil); err != nil {
		t.Fatal(err)
	}
	sd, _, _ := ReadSafetensors(path)
	if len(sd) != 1 || sd[0].Name != "embeddings.word_embeddings.weight" {
		t.Fatalf("tied save wrote %v", sd)
	}
	other := &tiedModel{NewEmbedding(5, 3, 0, autograd.NewRNG(2))}
	rep, err := LoadSafetensors(other, path, LoadOptions{Strict: true})
	if err != nil || len(rep.Missing) != 0 || len(rep.Loaded) != 1 {
		t.Errorf("tied strict load: %v %v", rep, err)
	}
	if !other.emb.Weight.AllClose(emb.Weight, 0, 0) {
		t.Error("tied load did not copy")
	}
	pre := WithPrefix(sd, "bert")
	if pre[0].Name != "bert.embeddings.word_embeddings.weight" {
		t.Errorf("WithPrefix: %s", pre[0].Name)
	}
	back := StripPrefix(append(pre, NamedParameter{"cls.x", autograd.Zeros(1)}), "bert")
	if len(back) != 1 || back[0].Name != sd[0].Name {
		t.Errorf("StripPrefix: %v", back)
	}
}

// tiedModel lists one embedding matrix under two names, like BERT's MLM decoder.
type tiedModel struct{ emb *Embedding }

func (m *tiedModel) NamedParameters(prefix string) []NamedParameter {
	return []NamedParameter{
		{Join(prefix, "embeddings.word_embeddings.weight"), m.emb.Weight},
		{Join(prefix, "cls.predictions.decoder.weight"), m.emb.Weight},
	}
}
func (m *tiedModel) SetTraining(bool) {}

// TestLoadConvertsDtypes loads F16 and I64 tensors into float32 parameters and
// refuses an F8 tensor before copying anything.
func TestLoadConvertsDtypes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mixed.safetensors")
	err := safetensors.Save(path, []safetensors.Entry{
		safetensors.RawEntry("weight", safetensors.F16, []int{1, 2}, []byte{0x00, 0x3c, 0x00, 0xc0}), // 1, -2
		safetensors.I64Entry("bias", []int{1}, []int64{7}),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := LinearFrom(autograd.Zeros(1, 2), autograd.Zeros(1))
	if _, err := LoadSafetensors(l, path, LoadOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if w, b := l.Weight.Data(), l.Bias.Data(); w[0] != 1 || w[1] != -2 || b[0] != 7 {
		t.Errorf("loaded weight %v bias %v", w, b)
	}
	bad := filepath.Join(dir, "f8.safetensors")
	safetensors.Save(bad, []safetensors.Entry{
		safetensors.F32Entry("weight", []int{1, 2}, []float32{5, 5}),
		safetensors.RawEntry("bias", safetensors.F8E4M3, []int{1}, []byte{0x38}),
	}, nil)
	if _, err := LoadSafetensors(l, bad, LoadOptions{Strict: true}); err == nil || !strings.Contains(err.Error(), `tensor "bias" has dtype F8_E4M3`) {
		t.Errorf("F8 load: %v", err)
	}
	if l.Weight.Data()[0] != 1 {
		t.Error("a failed load changed the weight")
	}
}
