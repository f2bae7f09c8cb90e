package peft

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
)

// TestLoraLinearByHand checks y = xWᵀ + b + s·(xAᵀ)Bᵀ on numbers small enough
// to do by hand, and merge/unmerge.
func TestLoraLinearByHand(t *testing.T) {
	base := nn.LinearFrom(autograd.New([]float32{1, 0, 0, 1}, 2, 2), autograd.New([]float32{0.5, -0.5}, 2))
	l := newLoraLinear(base)
	l.addBranch("a", 1, 2, 0, LoraInitDefault, autograd.NewRNG(0))
	copy(l.Branches["a"].A.Data(), []float32{1, 2}) // A [1, 2]
	copy(l.Branches["a"].B.Data(), []float32{3, 4}) // B [2, 1]
	l.setActive("a")
	x := autograd.New([]float32{1, 1}, 1, 2)
	// xWᵀ+b = [1.5, 0.5]; xAᵀ = 3; (xAᵀ)Bᵀ = [9, 12]; ·2 = [18, 24].
	y := l.Forward(x)
	if got := y.Data(); got[0] != 19.5 || got[1] != 24.5 {
		t.Fatalf("LoRA forward = %v, want [19.5 24.5]", got)
	}
	if err := l.merge("a"); err != nil {
		t.Fatal(err)
	}
	// W + 2·BA = [[1+6, 12], [8, 1+16]].
	if w := base.Weight.Data(); w[0] != 7 || w[1] != 12 || w[2] != 8 || w[3] != 17 {
		t.Fatalf("merged weight %v, want [7 12 8 17]", w)
	}
	if got := l.Forward(x).Data(); got[0] != 19.5 || got[1] != 24.5 {
		t.Fatalf("merged forward = %v, want [19.5 24.5]", got)
	}
	l.unmerge()
	if w := base.Weight.Data(); w[0] != 1 || w[1] != 0 || w[2] != 0 || w[3] != 1 {
		t.Fatalf("unmerged weight %v, want the identity", w)
	}
}

// TestLoraInitAndScaling checks the default init (A in U(±1/√in), B zero, so
// the model starts unchanged), the gaussian option and rsLoRA's scaling.
func TestLoraInitAndScaling(t *testing.T) {
	m, in := tinyBert(t, 1)
	before := logits(t, m, in)
	cfg := NewLoraConfig()
	cfg.R, cfg.LoraAlpha = 4, 16
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(before, logits(t, m, in)); d != 0 {
		t.Errorf("a fresh LoRA adapter changed the logits by %g, want 0 (B starts at zero)", d)
	}
	q := moduleAt(t, m, "bert.encoder.layer.0.attention.self.query").(*LoraLinear)
	br := q.Branches["default"]
	bound := float32(1 / math.Sqrt(16))
	for _, v := range br.A.Data() {
		if v < -bound || v >= bound {
			t.Fatalf("A element %g outside U(-%g, %g)", v, bound, bound)
		}
	}
	if br.Scaling != 4 {
		t.Errorf("scaling %g, want alpha/r = 4", br.Scaling)
	}
	cfg2 := NewLoraConfig()
	cfg2.R, cfg2.LoraAlpha, cfg2.UseRSLoRA, cfg2.InitLoraWeights = 4, 16, true, LoraInitGaussian
	if err := pm.AddAdapter("rs", cfg2); err != nil {
		t.Fatal(err)
	}
	if s := q.Branches["rs"].Scaling; s != 8 {
		t.Errorf("rsLoRA scaling %g, want alpha/sqrt(r) = 8", s)
	}
	var sum, sq float64
	a := q.Branches["rs"].A.Data()
	for _, v := range a {
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	if std := math.Sqrt(sq / float64(len(a))); std < 0.1 || std > 0.5 {
		t.Errorf("gaussian A has std %g, want about 1/r = 0.25", std)
	}
}

// TestLoraTargetsAndFreezing checks suffix and regex targets, that the base is
// frozen, that the classifier joins modules_to_save, and that gradients reach
// only the trainable parameters.
func TestLoraTargetsAndFreezing(t *testing.T) {
	m, in := tinyBert(t, 2)
	cfg := NewLoraConfig()
	cfg.TargetModules = TargetRegex(`.*layer\.1\.attention\.self\.(key|value)`)
	cfg.InitLoraWeights = LoraInitRandom
	cfg.LoraDropout = 0.1
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var wrapped []string
	for _, nm := range nn.NamedModules(m, "") {
		if _, ok := nm.Module.(*LoraLinear); ok {
			wrapped = append(wrapped, nm.Name)
		}
	}
	if strings.Join(wrapped, ",") != "bert.encoder.layer.1.attention.self.key,bert.encoder.layer.1.attention.self.value" {
		t.Fatalf("regex wrapped %v", wrapped)
	}
	if _, ok := moduleAt(t, m, "classifier").(*ModulesToSave); !ok {
		t.Fatal("the classifier was not added to modules_to_save for SEQ_CLS")
	}
	want := map[string]bool{}
	for _, p := range pm.NamedParameters("") {
		if p.Tensor.RequiresGrad() {
			want[p.Name] = true
		}
	}
	for _, n := range []string{
		"base_model.model.bert.encoder.layer.1.attention.self.key.lora_A.default.weight",
		"base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.default.weight",
		"base_model.model.classifier.modules_to_save.default.weight",
		"base_model.model.classifier.modules_to_save.default.bias",
	} {
		if !want[n] {
			t.Errorf("%s is not trainable", n)
		}
	}
	if len(want) != 6 {
		t.Errorf("trainable parameters %v, want the 4 LoRA matrices and the head copy", want)
	}
	pm.SetTraining(true)
	out, err := m.Forward(in, &bert.SequenceLabels{Classes: []int{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	checkGradientsOnlyTrainable(t, pm, out.Loss)

	if _, err := New(func() nn.Module { m, _ := tinyBert(t, 3); return m }(), &LoraConfig{R: 2, LoraAlpha: 2, TargetModules: TargetNames("nothing")}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("unmatched target_modules gave %v, want a not-found error", err)
	}
}

// TestLoraBiasModes checks bias "all" and "lora_only".
func TestLoraBiasModes(t *testing.T) {
	for _, tc := range []struct {
		bias string
		want int
	}{{"none", 0}, {"lora_only", 4}, {"all", 0}} {
		m, _ := tinyBert(t, 4)
		cfg := NewLoraConfig()
		cfg.Bias = tc.bias
		cfg.CommonConfig.ModulesToSave = nil
		cfg.TaskType = TaskFeatureExtr
		pm, err := New(m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		biases := 0
		total := 0
		for _, p := range pm.NamedParameters("") {
			if strings.HasSuffix(p.Name, ".bias") {
				total++
				if p.Tensor.RequiresGrad() {
					biases++
				}
			}
		}
		if tc.bias == "all" {
			tc.want = total
		}
		if biases != tc.want {
			t.Errorf("bias=%s: %d trainable biases, want %d", tc.bias, biases, tc.want)
		}
		sd, _ := pm.AdapterStateDict(DefaultAdapterName)
		if len(sd) != 8+tc.want {
			t.Errorf("bias=%s: adapter file has %d tensors, want %d", tc.bias, len(sd), 8+tc.want)
		}
	}
}

// TestLoraMergeKeepsOutputs checks that merge, unmerge and merge-and-unload
// leave the outputs unchanged.
func TestLoraMergeKeepsOutputs(t *testing.T) {
	m, in := tinyBert(t, 5)
	cfg := NewLoraConfig()
	cfg.InitLoraWeights = LoraInitRandom
	cfg.TargetModules = TargetNames("query", "value", "dense")
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	adapted := logits(t, m, in)
	if err := pm.Merge(); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(adapted, logits(t, m, in)); d > 1e-5 {
		t.Errorf("merged logits differ by %g", d)
	}
	pm.Unmerge()
	if d := maxDiff(adapted, logits(t, m, in)); d > 1e-5 {
		t.Errorf("unmerged logits differ by %g", d)
	}
	pm.DisableAdapters()
	plain := logits(t, m, in)
	if maxDiff(plain, adapted) < 1e-4 {
		t.Error("disabling the adapter did not change the logits")
	}
	pm.EnableAdapters()
	base, err := pm.MergeAndUnload()
	if err != nil {
		t.Fatal(err)
	}
	for _, nm := range nn.NamedModules(base, "") {
		if _, ok := nm.Module.(tunerLayer); ok {
			t.Fatalf("%s is still wrapped after merge-and-unload", nm.Name)
		}
	}
	if d := maxDiff(adapted, logits(t, m, in)); d > 1e-5 {
		t.Errorf("merge-and-unload logits differ by %g", d)
	}
}

// TestMultipleAdapters adds, switches, disables and deletes named adapters.
func TestMultipleAdapters(t *testing.T) {
	m, in := tinyBert(t, 6)
	plain := logits(t, m, in)
	c1 := NewLoraConfig()
	c1.InitLoraWeights = LoraInitRandom
	pm, err := New(m, c1)
	if err != nil {
		t.Fatal(err)
	}
	one := logits(t, m, in)
	c2 := NewLoraConfig()
	c2.InitLoraWeights, c2.R = LoraInitRandom, 2
	if err := pm.AddAdapter("second", c2); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(one, logits(t, m, in)); d != 0 {
		t.Errorf("adding an adapter changed the active one's output by %g", d)
	}
	if err := pm.SetAdapter("second"); err != nil {
		t.Fatal(err)
	}
	two := logits(t, m, in)
	if maxDiff(one, two) < 1e-4 {
		t.Error("switching adapters did not change the output")
	}
	for _, p := range pm.NamedParameters("") {
		if p.Tensor.RequiresGrad() != strings.Contains(p.Name, ".second.") {
			t.Errorf("after switching, %s requires-grad = %v", p.Name, p.Tensor.RequiresGrad())
		}
	}
	pm.DisableAdapters()
	if d := maxDiff(plain, logits(t, m, in)); d != 0 {
		t.Errorf("disabled adapters still change the output by %g", d)
	}
	pm.EnableAdapters()
	if err := pm.AddAdapter("second", c2); err == nil {
		t.Error("adding a duplicate adapter name did not fail")
	}
	if err := pm.DeleteAdapter("second"); err != nil {
		t.Fatal(err)
	}
	if pm.ActiveAdapter() != DefaultAdapterName || len(pm.Adapters()) != 1 {
		t.Fatalf("after delete: active %q, adapters %v", pm.ActiveAdapter(), pm.Adapters())
	}
	if d := maxDiff(one, logits(t, m, in)); d != 0 {
		t.Errorf("after deleting the second adapter the first's output changed by %g", d)
	}
	if err := pm.DeleteAdapter(DefaultAdapterName); err != nil {
		t.Fatal(err)
	}
	for _, nm := range nn.NamedModules(m, "") {
		if _, ok := nm.Module.(tunerLayer); ok {
			t.Fatalf("%s still wrapped after deleting every adapter", nm.Name)
		}
	}
	if d := maxDiff(plain, logits(t, m, in)); d != 0 {
		t.Errorf("with no adapters the output differs from the base by %g", d)
	}
	if err := pm.SetAdapter("nope"); err == nil {
		t.Error("SetAdapter of an unknown name did not fail")
	}
}

// TestLoraSaveLoadRoundTrip saves an adapter in PEFT's format, checks the
// file's keys and config field names, and loads it onto a fresh base.
func TestLoraSaveLoadRoundTrip(t *testing.T) {
	m, in := tinyBert(t, 7)
	cfg := NewLoraConfig()
	cfg.InitLoraWeights = LoraInitRandom
	pm, err := New(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := logits(t, m, in)
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, ConfigFileName))
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"peft_type", "task_type", "r", "lora_alpha", "lora_dropout", "target_modules", "bias", "use_rslora", "init_lora_weights", "modules_to_save", "inference_mode", "fan_in_fan_out", "rank_pattern", "alpha_pattern", "base_model_name_or_path"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("adapter_config.json lacks %q", k)
		}
	}
	if fields["inference_mode"] != true || fields["init_lora_weights"] != false {
		t.Errorf("inference_mode %v, init_lora_weights %v", fields["inference_mode"], fields["init_lora_weights"])
	}
	sd, _, err := nn.ReadSafetensors(filepath.Join(dir, WeightsFileName))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, p := range sd {
		keys[p.Name] = true
	}
	for _, k := range []string{"base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight", "base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight", "base_model.model.classifier.weight", "base_model.model.classifier.bias"} {
		if !keys[k] {
			t.Errorf("adapter file lacks %s (has %v)", k, keys)
		}
	}
	if len(keys) != 10 {
		t.Errorf("adapter file has %d tensors, want 10", len(keys))
	}
	fresh, _ := tinyBert(t, 7)
	pm2, err := FromPretrained(fresh, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(want, logits(t, fresh, in)); d > 1e-6 {
		t.Errorf("loaded adapter gives logits %g away", d)
	}
	if tr, _ := pm2.TrainableParameters(); tr == 0 {
		t.Error("adapter loaded with trainable=true has no trainable parameters")
	}
	// A file with a missing tensor is rejected, naming it.
	os.WriteFile(filepath.Join(dir, WeightsFileName), []byte("bad"), 0o644)
	if _, err := FromPretrained(func() nn.Module { m, _ := tinyBert(t, 7); return m }(), dir, false); err == nil {
		t.Error("a corrupt adapter file loaded without error")
	}
}

// TestTrainableReport checks PEFT's exact text and the per-module table.
func TestTrainableReport(t *testing.T) {
	m, _ := tinyBert(t, 8)
	pm, err := New(m, NewLoraConfig())
	if err != nil {
		t.Fatal(err)
	}
	tr, all := pm.TrainableParameters()
	// LoRA: 2 layers × 2 targets × (8·16 + 16·8) = 1024; head copy 3·16+3 = 51.
	if tr != 1024+51 {
		t.Errorf("trainable %d, want 1075", tr)
	}
	// All: the plain model's parameters plus the adapters and the head copy.
	plain, _ := tinyBert(t, 8)
	if trPlain, allPlain := nn.CountParameters(plain); trPlain != allPlain || all != allPlain+1075 {
		t.Errorf("all %d, want the plain model's %d (all %d trainable) + 1075", all, allPlain, trPlain)
	}
	want := "trainable params: 1,075 || all params: " + thousands(all) + " || trainable%: "
	if s := pm.TrainableSummary(); !strings.HasPrefix(s, want) || !strings.Contains(s, ".") {
		t.Errorf("summary %q, want prefix %q", s, want)
	}
	if thousands(1234567) != "1,234,567" || thousands(12) != "12" || thousands(123456) != "123,456" {
		t.Error("thousands separator wrong")
	}
	tab := pm.TrainableTable()
	last := tab.Rows[len(tab.Rows)-1]
	if last[0] != "total" || last[1] != all || last[2] != tr {
		t.Errorf("table total row %v, want total %d %d", last, all, tr)
	}
	if tab.Rows[0][0] != "classifier" && !strings.Contains(tab.Rows[0][0].(string), "attention.self") {
		t.Errorf("first row %v", tab.Rows[0])
	}
}
